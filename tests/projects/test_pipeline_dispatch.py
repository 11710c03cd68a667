"""One message per take in the queue (docs/decisions/011): a webhook's nudge sends a follow only
when none is waiting, and a provider that calls back is polled only as a backstop."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline import follow
from projects.pipeline.follow import CALLBACK_BACKSTOP_SECONDS
from projects.pipeline.submit import take_submit
from projects.pipeline.webhooks import follow_now
from projects.services import work
from projects.services.takes import take_request
from providers.core.base import Progress, State
from tests.test_providers_end_to_end import make_shot, simulator

__all__ = ["simulator"]


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, int]]:
    """Every take step sent to the broker, in order (the test decides when workers run)."""
    messages: list[tuple[str, int]] = []
    monkeypatch.setattr(work, "send_after_commit", lambda name, pk: messages.append((name, pk)))
    return messages


def running_take(shot, remote_id="cgt-1", provider="seedance") -> Take:
    return Take.objects.create(
        project=shot.project,
        shot=shot,
        number=Take.objects.filter(shot=shot).count() + 1,
        model="seedance-1.5-pro",
        provider=provider,
        prompt="p",
        state=TakeState.RUNNING,
        remote_id=remote_id,
        next_poll_at=timezone.now() + timedelta(hours=1),
    )


def test_a_nudge_sends_one_follow_and_a_second_nudge_none(db, shot, sent):
    take = running_take(shot)
    assert follow_now(provider="seedance", remote_ids={"cgt-1"}) == 1
    assert sent == [(work.FOLLOW, take.pk)]
    assert follow_now(provider="seedance", remote_ids={"cgt-1"}) == 1  # nudged, not resent
    assert sent == [(work.FOLLOW, take.pk)]
    take.refresh_from_db()
    assert take.dispatched_at is not None and take.next_poll_at <= timezone.now()

    work.picked_up(work.FOLLOW, take.pk)  # a worker has it: the next nudge is news again
    follow_now(provider="seedance", remote_ids={"cgt-1"})
    assert sent == [(work.FOLLOW, take.pk)] * 2


def test_a_nudge_for_a_take_the_sweeper_already_sent_adds_nothing(db, shot, sent):
    from projects.pipeline.sweeper import sweep

    take = running_take(shot)
    Take.objects.filter(pk=take.pk).update(next_poll_at=timezone.now() - timedelta(seconds=1))
    assert sweep()["running"] == 1
    follow_now(provider="seedance", remote_ids={"cgt-1"})
    assert sent == [(work.FOLLOW, take.pk)]


def test_a_nudge_for_another_provider_or_a_finished_take_sends_nothing(db, shot, sent):
    running_take(shot, remote_id="cgt-1")
    assert follow_now(provider="kling", remote_ids={"cgt-1"}) == 0
    assert follow_now(provider="seedance", remote_ids={"cgt-2"}) == 0
    assert sent == []


def still_running(take: Take) -> Take:
    follow._apply_progress(take, Progress(state=State.RUNNING, raw_status="running", poll_after=5))
    return Take.objects.get(pk=take.pk)


def test_a_provider_that_calls_back_is_polled_only_as_a_backstop(db, shot, settings):
    settings.STUDIO_PUBLIC_URL = "https://studio.example.org"
    take = still_running(running_take(shot))  # Seedance is sent our callback address
    assert take.next_poll_at >= timezone.now() + timedelta(seconds=CALLBACK_BACKSTOP_SECONDS - 1)


def test_without_callbacks_the_providers_own_hint_is_kept(db, shot, settings):
    settings.STUDIO_PUBLIC_URL = ""  # no address to call back to: polling alone follows it
    take = still_running(running_take(shot))
    assert take.next_poll_at <= timezone.now() + timedelta(seconds=5)
    settings.STUDIO_PUBLIC_URL = "https://studio.example.org"
    runway = still_running(running_take(shot, remote_id="r-1", provider="runway"))
    assert runway.next_poll_at <= timezone.now() + timedelta(seconds=5)  # Runway has no webhooks


def test_the_sweeper_sends_no_more_submits_than_the_provider_has_free_slots(
    db, shot, sent, monkeypatch
):
    from projects.pipeline import sweeper

    monkeypatch.setattr(sweeper, "concurrency_limit", lambda provider: 3)
    running_take(shot)  # one slot taken
    past = timezone.now() - timedelta(seconds=1)
    waiting = [running_take(shot, remote_id="") for _ in range(5)]
    Take.objects.filter(pk__in=[t.pk for t in waiting]).update(
        state=TakeState.QUEUED, next_poll_at=past
    )
    assert sweeper.sweep()["queued"] == 2
    assert sweeper.sweep()["queued"] == 0  # the two sent are on their way to the free slots
    assert [name for name, _ in sent] == [work.SUBMIT] * 2
    monkeypatch.setattr(sweeper, "concurrency_limit", lambda provider: 0)  # no limit
    assert sweeper.sweep()["queued"] == 3


@pytest.mark.django_db(transaction=True)
def test_a_take_sent_to_a_provider_that_calls_back_is_read_first_at_the_backstop(
    simulator, settings, sent
):
    # An address to call back to; nothing listens there, and nothing here waits for it.
    settings.STUDIO_PUBLIC_URL = "http://127.0.0.1:9"
    user, shot = make_shot("seedance-1.5-pro")
    take = take_request(shot=shot, user=user)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING and take.remote_id
    # No status read right after the send (it would only hear "queued"): the callback's nudge
    # comes when the job ends, the sweeper's backstop read after 30 s.
    assert sent == [(work.SUBMIT, take.pk)]
    assert take.next_poll_at >= timezone.now() + timedelta(seconds=CALLBACK_BACKSTOP_SECONDS - 5)

    settings.STUDIO_PUBLIC_URL = ""  # no address to call back to: polled from the start
    polled = take_request(shot=shot, user=user, allow_duplicate=True)
    take_submit(polled.pk)
    assert sent[-2:] == [(work.SUBMIT, polled.pk), (work.FOLLOW, polled.pk)]
