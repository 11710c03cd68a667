"""No worker ever sleeps to wait (docs/decisions/011): a rate limit, an outage or a slow answer
sends the take back to the pipeline with its next try in the database, and the worker moves on.

A whole take goes through the pipeline's steps, one call at a time as workers would make them,
against the simulator with faults injected; time.sleep raises inside every step."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline.download import take_download
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.services.takes import take_request
from tests.support.workers import wait_for
from tests.test_providers_end_to_end import make_shot, simulator

__all__ = ["simulator"]
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def no_sleeping(monkeypatch):
    """time.sleep raises in this thread (the simulator's own threads may still pause)."""
    worker = threading.current_thread()
    real_sleep = time.sleep

    def sleep(seconds):
        if threading.current_thread() is worker:
            raise AssertionError(f"a worker slept {seconds} s")
        real_sleep(seconds)

    with monkeypatch.context() as patch:
        patch.setattr(time, "sleep", sleep)
        yield


def due_now(take: Take) -> None:
    """As if the wait the pipeline chose had passed (the test does not wait for it)."""
    Take.objects.filter(pk=take.pk).update(next_poll_at=timezone.now())


def test_a_take_through_rate_limits_and_outages_never_sleeps(simulator, monkeypatch):
    user, shot = make_shot("seedance-1.5-pro")
    take = take_request(shot=shot, user=user)

    simulator.sim.add_fault("seedance", "rate_limit")  # 429 with Retry-After on the paid POST
    with no_sleeping(monkeypatch):
        take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.QUEUED
    assert take.next_poll_at > timezone.now()  # the provider's Retry-After, kept in the row
    assert "trying again" in take.status_note

    due_now(take)
    with no_sleeping(monkeypatch):
        take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING
    assert take.submit_attempts == 2
    assert len(simulator.sim.submissions) == 1  # the 429 took nothing; one job at the provider

    for fault in ("unavailable", "rate_limit", "server_error"):
        simulator.sim.add_fault("seedance", fault)
        with no_sleeping(monkeypatch):
            take_follow(take.pk)
        take.refresh_from_db()
        assert take.state == TakeState.RUNNING
        assert take.next_poll_at > timezone.now()  # asked again later, by the sweeper
        due_now(take)
    assert take.poll_errors == 3

    def followed_to_the_end() -> bool:
        with no_sleeping(monkeypatch):
            take_follow(take.pk)
        return Take.objects.get(pk=take.pk).state != TakeState.RUNNING

    wait_for(followed_to_the_end, timeout=30)
    take.refresh_from_db()
    assert take.state == TakeState.DOWNLOADING
    with no_sleeping(monkeypatch):
        take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    assert take.video and take.poll_errors == 0


def test_an_outage_on_a_status_read_is_one_read_not_four(simulator, monkeypatch):
    user, shot = make_shot("seedance-1.5-pro")
    take = take_request(shot=shot, user=user)
    take_submit(take.pk)
    simulator.sim.add_fault("seedance", "unavailable", times=4)
    with no_sleeping(monkeypatch):
        take_follow(take.pk)
    assert simulator.sim.faults["seedance"] == ["unavailable"] * 3  # one request, not four
    take.refresh_from_db()
    assert (take.state, take.poll_errors) == (TakeState.RUNNING, 1)
    assert take.next_poll_at > timezone.now()  # the next read is the sweeper's, later
