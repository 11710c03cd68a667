"""The needs-check lookup step on its own: who gets asked, when, and what each answer does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline.check import take_check
from projects.pipeline.submit import MAX_SUBMIT_ATTEMPTS, first_lookup_at
from projects.pipeline.sweeper import sweep
from projects.services.takes import take_request
from tests.test_providers_end_to_end import make_shot, simulator

__all__ = ["simulator"]
pytestmark = pytest.mark.django_db(transaction=True)


def unclear_take(user, shot, **fields) -> Take:
    """A real take of `shot` whose send had an unclear outcome: holding its money, no remote
    id yet (requested through the service, then put where a 500 on create leaves it)."""
    take = take_request(shot=shot, user=user, allow_duplicate=True)
    values = {
        "state": TakeState.NEEDS_CHECK,
        "error_kind": "unknown_outcome",
        "error_message": "Kling: internal error (code 5000, HTTP 500)",
        "submit_attempts": 1,
        "next_poll_at": timezone.now() - timedelta(seconds=1),
        "dispatched_at": None,  # its submit message was picked up: none waits for it
        **fields,
    }
    Take.objects.filter(pk=take.pk).update(**values)
    return Take.objects.get(pk=take.pk)


def test_only_providers_that_can_look_up_get_a_lookup_time(settings):
    settings.TAKE_LOOKUP_AFTER_SECONDS = 60
    assert first_lookup_at("kling") > timezone.now() + timedelta(seconds=59)
    for provider in ("seedance", "runway", "google-veo", "higgsfield", "previz"):
        assert first_lookup_at(provider) is None


def test_the_sweeper_wakes_due_lookups_and_leaves_the_rest_to_a_person(simulator):
    user, shot = make_shot("kling-2.6-std")
    due = unclear_take(user, shot)
    later = unclear_take(user, shot, next_poll_at=timezone.now() + timedelta(hours=1))
    for_a_person = unclear_take(user, shot, provider="seedance", next_poll_at=None)
    counts = sweep()
    assert counts["lookups"] == 1
    leased = Take.objects.get(pk=due.pk).next_poll_at
    assert leased > timezone.now()  # leased, so the next sweep does not wake it again
    assert Take.objects.get(pk=later.pk).next_poll_at == later.next_poll_at
    assert Take.objects.get(pk=for_a_person.pk).next_poll_at is None


def test_absent_and_out_of_tries_fails_and_releases(simulator):
    user, shot = make_shot("kling-2.6-std")
    take = unclear_take(user, shot, submit_attempts=MAX_SUBMIT_ATTEMPTS)
    take_check(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.FAILED
    take.project.refresh_from_db()
    assert take.project.reserved == 0
    assert take.error_message == (
        f"The provider never received this take after {MAX_SUBMIT_ATTEMPTS} tries; "
        "nothing was charged and its hold was released."
    )


def test_a_failing_lookup_is_asked_again_later_and_keeps_the_hold(simulator, settings):
    settings.TAKE_LOOKUP_AFTER_SECONDS = 30
    user, shot = make_shot("kling-2.6-std")
    take = unclear_take(user, shot)
    simulator.sim.add_fault("kling", "server_error")  # the GET, tried once
    take_check(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.NEEDS_CHECK
    assert take.next_poll_at > timezone.now() + timedelta(seconds=20)


def test_a_take_that_already_has_a_remote_id_is_not_looked_up(simulator):
    user, shot = make_shot("kling-2.6-std")
    take = unclear_take(user, shot, remote_id="text2video/123")
    take_check(take.pk)
    assert Take.objects.get(pk=take.pk).state == TakeState.NEEDS_CHECK
