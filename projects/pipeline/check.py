"""Settling "needs a check" by asking the provider for the take by its request key."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline.requests import generation_request
from projects.pipeline.submit import MAX_SUBMIT_ATTEMPTS
from projects.registry import (
    ProviderUnavailable,
    can_look_up,
    provider_by_slug,
)
from projects.services.take_states import move, shot_generating
from projects.services.work import enqueue_follow, enqueue_submit
from providers.core.base import (
    ProviderError,
)

log = logging.getLogger(__name__)


# --- settling "needs a check" by asking the provider ---------------------------------------
def take_check(take_id: int) -> None:
    """Ask the provider, by our request key, whether it has a take whose send was unclear:
    found → follow it; provably absent → send it again (or, out of tries, fail it)."""
    take = Take.objects.filter(pk=take_id, state=TakeState.NEEDS_CHECK, remote_id="").first()
    if take is None or not can_look_up(take.provider):
        return
    try:
        with generation_request(take) as request:
            found = provider_by_slug(take.provider).lookup(request)
    except (ProviderError, ProviderUnavailable) as error:
        _check_later(take, error)
        return
    resumed = {"error_kind": "", "error_message": "", "finished_at": None, "poll_errors": 0}
    if found is not None:
        if move(
            take_id,
            TakeState.NEEDS_CHECK,
            TakeState.RUNNING,
            remote_id=found.remote_id,
            raw_status=found.raw_status[:200],
            next_poll_at=timezone.now(),
            status_note="The provider had it after all: following it.",
            event="Found at the provider by its request key: following it.",
            **resumed,
        ):
            shot_generating(take)
            enqueue_follow(take_id)
        return
    if take.submit_attempts >= MAX_SUBMIT_ATTEMPTS:
        move(
            take_id,
            TakeState.NEEDS_CHECK,
            TakeState.FAILED,
            error_kind="not_received",
            error_message=(
                f"The provider never received this take after {take.submit_attempts} tries; "
                "nothing was charged and its hold was released."
            ),
        )
        return
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    if move(
        take_id,
        TakeState.NEEDS_CHECK,
        TakeState.QUEUED,
        next_poll_at=lease,
        status_note="The provider never received it: sending it again.",
        event="The provider has no job with its request key: sending it again.",
        **resumed,
    ):
        shot_generating(take)
        enqueue_submit(take_id)


def _check_later(take: Take, error: Exception) -> None:
    """The lookup itself failed (provider down, rate limit): ask again later, it stays held."""
    wait = getattr(error, "retry_after", None) or settings.TAKE_LOOKUP_AFTER_SECONDS
    Take.objects.filter(pk=take.pk, state=TakeState.NEEDS_CHECK).update(
        next_poll_at=timezone.now() + timedelta(seconds=max(1.0, wait)),
        updated_at=timezone.now(),
    )
    log.warning("take %s: lookup failed, will ask again: %s", take.pk, error)
