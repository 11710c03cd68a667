"""Ambiguous submits settle themselves where the provider can be asked by our own key.

A real worker (with beat) and the simulator: Kling's create answers 500, so the take goes to
"needs a check" holding its money; the sweeper then asks Kling for the task by its
external_task_id (the take's random request key). Found → it is followed to the end; provably
absent → it is sent again. Either way the provider makes it once and the ledger charges once.
"""

import pytest

from projects.models import LedgerEntry, LedgerKind, Take, TakeEvent, TakeState
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker, wait_for
from tests.test_providers_end_to_end import generate, make_shot

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

QUICK_LOOKUP = {"TAKE_LOOKUP_AFTER_SECONDS": "1"}


def states_seen(take: Take) -> list[str]:
    return list(TakeEvent.objects.filter(take=take).values_list("state", flat=True))


def run_until_settled(client, simulator, tmp_path, fault: str) -> Take:
    # A worker of its own: the shared one waits the studio's minute before a lookup.
    user, shot = make_shot("kling-2.6-std")
    simulator.sim.add_fault("kling", fault)
    env = {**simulator_env(simulator), **QUICK_LOOKUP}
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "w.log", env=env):
        take = generate(client, user, shot)
        wait_for(lambda: Take.objects.get(pk=take.pk).state == TakeState.SUCCEEDED, timeout=120)
    return Take.objects.get(pk=take.pk)


def charged_once(take: Take) -> None:
    settles = LedgerEntry.objects.filter(take=take, kind=LedgerKind.SETTLE)
    assert settles.count() == 1
    take.project.refresh_from_db()
    assert take.project.reserved == 0
    assert take.project.spent == settles.get().spent_change > 0


def test_a_lost_answer_is_found_by_its_key_and_followed(client, simulator, tmp_path, media_root):
    take = run_until_settled(client, simulator, tmp_path, "lost_answer")
    (job,) = [job for job in simulator.sim.jobs.values() if job.provider == "kling"]
    assert job.external_id == str(take.request_key)
    assert take.remote_id.endswith(job.id)
    assert take.submit_attempts == 1  # found, never sent again
    assert TakeState.NEEDS_CHECK in states_seen(take)
    assert take.error_message == ""  # the card shows what is true now
    charged_once(take)


def test_a_create_that_never_arrived_is_sent_again(client, simulator, tmp_path, media_root):
    take = run_until_settled(client, simulator, tmp_path, "server_error")
    kling_jobs = [job for job in simulator.sim.jobs.values() if job.provider == "kling"]
    assert len(kling_jobs) == 1 and kling_jobs[0].external_id == str(take.request_key)
    assert take.submit_attempts == 2  # the 500, then the one that made it
    assert TakeState.NEEDS_CHECK in states_seen(take)
    charged_once(take)
