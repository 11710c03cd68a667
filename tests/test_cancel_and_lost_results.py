"""Cancel, lost results and stale notes end to end: a real worker (with beat), the provider
simulator speaking each API, and the filmmaker's clicks sent over HTTP.

A cancel only ends a take when the provider says it stopped; otherwise the take is followed
to the provider's real outcome and charged what it cost. The simulator's jobs are held in
"running" until the test lets them finish (see `held_running`), so "canceled while running"
does not depend on how fast this machine is.
"""

import pytest
from django.urls import reverse

from projects.models import LedgerEntry, LedgerKind, Take, TakeState
from projects.models.cancels import PROVIDER_FINISHING
from projects.selectors.money import charged_for, held_for
from providers.core.media import probe
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker, wait_for
from tests.test_providers_end_to_end import final_state, generate, make_shot

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_running(simulator, monkeypatch):
    """Every job the simulator accepts stays running until the test sets its outcome."""
    jobs = []
    create_job = simulator.sim.create_job

    def create_held(*args, **kwargs):
        job = create_job(*args, **kwargs)
        job.outcome = "running"  # Job.state answers the outcome once queued and running pass
        jobs.append(job)
        return job

    monkeypatch.setattr(simulator.sim, "create_job", create_held)
    return jobs


def worker(simulator, tmp_path):
    """A worker of the test's own (tests/browser/test_cancel.py); the tests here share one."""
    return celery_worker(
        pipeline=True,
        tmp_path=tmp_path,
        log_path=tmp_path / "worker.log",
        env=simulator_env(simulator),
    )


def running_at_provider(take: Take, word: str) -> Take:
    """Wait until a status read has shown the provider running the job."""
    return wait_for(
        lambda: Take.objects.filter(pk=take.pk, state=TakeState.RUNNING, raw_status=word).first(),
        timeout=90,
    )


def press(client, take: Take, action: str):
    url = reverse("projects:take-action", args=[take.project_id, take.pk, action])
    response = client.post(url)
    assert response.status_code == 302
    return response


def card(client, take: Take) -> str:
    url = reverse("projects:take-card", args=[take.project_id, take.pk])
    return client.get(url).content.decode()


def answered(take: Take) -> Take:
    return wait_for(lambda: Take.objects.exclude(cancel_answer="").filter(pk=take.pk).first())


def assert_charged_its_cost(take: Take) -> None:
    cost = take.actual_cost if take.actual_cost is not None else take.estimated_cost
    assert cost > 0
    assert (charged_for(take.pk), held_for(take.pk)) == (cost, 0)
    take.project.refresh_from_db()
    assert (take.project.spent, take.project.reserved) == (cost, 0)


def test_a_veo_take_canceled_while_running_finishes_and_is_charged(
    client, simulator, held_running, pipeline_worker
):
    user, shot = make_shot("veo-3.1")
    take = generate(client, user, shot)
    running_at_provider(take, "running")
    press(client, take, "cancel")
    take = answered(take)
    # Veo has no cancel call: nothing is sent, the take is followed on.
    assert (take.state, take.cancel_sent_at) == (TakeState.RUNNING, None)
    assert f"{PROVIDER_FINISHING} Not asked: Veo cannot stop a job" in card(client, take)
    held_running[0].outcome = "succeeded"  # Google finishes the job
    take = final_state(take)
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    assert probe(take.video.path).codec == "h264"
    assert_charged_its_cost(take)
    assert "Cancel</dt><dd>asked" in card(client, take)  # the camera report remembers


def test_a_runway_take_canceled_while_running_is_canceled_and_released(
    client, simulator, held_running, pipeline_worker
):
    user, shot = make_shot("runway-gen4-turbo")
    take = generate(client, user, shot)
    running_at_provider(take, "RUNNING")
    press(client, take, "cancel")
    take = final_state(take)
    assert take.state == TakeState.CANCELED, (take.error_kind, take.error_message)
    assert take.cancel_answer == "Runway accepted the request to stop it."
    assert take.error_message == "Canceled: Runway confirmed it stopped the job."
    assert held_running[0].canceled  # the simulator's job was stopped by our DELETE
    assert (charged_for(take.pk), held_for(take.pk)) == (0, 0)
    take.project.refresh_from_db()
    assert (take.project.spent, take.project.reserved) == (0, 0)


def test_a_seedance_take_canceled_while_running_finishes_and_is_charged(
    client, simulator, held_running, pipeline_worker
):
    user, shot = make_shot("seedance-1.5-pro")
    take = generate(client, user, shot)
    running_at_provider(take, "running")
    press(client, take, "cancel")
    take = answered(take)
    # ModelArk refuses to cancel a running task (providers.md §4.2).
    assert take.cancel_answer.startswith("Seedance refused to stop it: The task ")
    assert "is running and cannot be cancelled" in take.cancel_answer
    assert take.cancel_sent_at is not None and take.state == TakeState.RUNNING
    assert f"{PROVIDER_FINISHING} Seedance refused to stop it" in card(client, take)
    held_running[0].outcome = "succeeded"
    take = final_state(take)
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    assert_charged_its_cost(take)


def test_a_lost_result_is_charged_once_and_can_be_fetched_again(client, simulator, pipeline_worker):
    user, shot = make_shot("seedance-1.5-pro")
    simulator.sim.add_fault("seedance", "expired_url")
    take = final_state(generate(client, user, shot), timeout=120)
    assert take.state == TakeState.RESULT_LOST, (take.error_kind, take.error_message)
    assert "expired" in take.error_message
    assert_charged_its_cost(take)
    assert ">Fetch again</button>" in card(client, take)

    simulator.sim.expired.clear()  # the provider's link works again
    press(client, take, "fetch-again")
    take = final_state(take)
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    assert probe(take.video.path).codec == "h264"
    assert_charged_its_cost(take)
    assert LedgerEntry.objects.filter(take=take, kind=LedgerKind.SETTLE).count() == 1


def test_a_take_that_waited_for_a_busy_provider_shows_no_busy_note_once_done(
    client, simulator, pipeline_worker
):
    user, shot = make_shot("seedance-1.5-pro")
    simulator.sim.add_fault("seedance", "rate_limit")
    take = final_state(generate(client, user, shot), timeout=120)
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    head, _, report = card(client, take).partition('<details class="camera-report">')
    assert "Provider busy" not in head
    assert "Waiting its turn — Provider busy, trying again in 2 s: " in report
