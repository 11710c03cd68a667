"""Following a sent take: polling its provider, asking it to stop when a cancel was pressed,
and moving the take on when the provider says it finished."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from projects.models import Take, TakeEvent, TakeState, cancels
from projects.pipeline.requests import CALLBACK_BACKSTOP_SECONDS, calls_back
from projects.pipeline.submit import error_fields
from projects.registry import (
    cancel_policy,
    model_gone_take_message,
    provider_by_slug,
)
from projects.services.take_states import move, note
from projects.services.work import DOWNLOAD, send_after_commit
from providers.core.base import (
    FINISHED_STATES,
    CancelPolicy,
    ModelRetired,
    Progress,
    ProviderError,
    State,
    VideoProvider,
)
from providers.core.http import backoff

log = logging.getLogger(__name__)

MAX_POLL_ERRORS = 10


FINAL_FROM_PROVIDER = {
    State.FAILED: TakeState.FAILED,
    State.REJECTED: TakeState.REJECTED,
    State.CANCELED: TakeState.CANCELED,
}


# --- follow ---------------------------------------------------------------------------------
def take_follow(take_id: int) -> None:
    """Ask the provider how a running take is doing, and move it one step. Safe to repeat.

    A cancel does not end the take here: the provider is asked to stop (once, and only if it
    can), and the take keeps being followed until the provider's own status ends it, so what
    the ledger says is what the provider did."""
    take = Take.objects.filter(pk=take_id, state=TakeState.RUNNING).first()
    if take is None:
        return
    provider = provider_by_slug(take.provider)
    try:
        progress = provider.poll(take.remote_id)
    except ModelRetired as error:
        # A clear answer, not a lost poll: asking again would only hear it again.
        move(
            take.pk,
            TakeState.RUNNING,
            TakeState.FAILED,
            error_kind=ModelRetired.kind,
            error_message=model_gone_take_message(take.model, error.message)[:2000],
        )
        return
    except ProviderError as error:
        _poll_later(take, error)
        return
    if take.cancel_requested and progress.state not in FINISHED_STATES:
        # Asked only after a read that says the job is still going: some providers' cancel
        # call deletes a finished job and its video (Runway, Seedance).
        _ask_to_stop(take, provider)
    _apply_progress(take, progress)


def _ask_to_stop(take: Take, provider: VideoProvider) -> None:
    """Pass a filmmaker's cancel on to the provider, at most once; keep what it answered."""
    untouched = Take.objects.filter(
        pk=take.pk, cancel_requested=True, cancel_sent_at__isnull=True, cancel_answer=""
    )
    if cancel_policy(take.provider) == CancelPolicy.NEVER:
        answer = cancels.answer_not_asked(take.provider)
        if untouched.update(cancel_answer=answer[:300]):
            TakeEvent.objects.create(take_id=take.pk, state=take.state, message=answer)
        return
    # Claimed before the call, so a second follow running beside this one never asks again.
    if not untouched.update(cancel_sent_at=timezone.now()):
        return
    try:
        provider.cancel(take.remote_id)
    except ProviderError as error:
        answer = cancels.answer_refused(take.provider, error.message)
    except Exception as error:
        log.exception("take %s: cancel call failed", take.pk)
        answer = cancels.answer_lost(take.provider, str(error) or type(error).__name__)
    else:
        answer = cancels.answer_accepted(take.provider)
    Take.objects.filter(pk=take.pk).update(cancel_answer=answer[:300])
    TakeEvent.objects.create(take_id=take.pk, state=take.state, message=answer)


def _apply_progress(take: Take, progress: Progress) -> None:
    now = timezone.now()
    # Every answer from the provider is news: whatever the note said before no longer holds.
    common = {"raw_status": progress.raw_status[:200], "poll_errors": 0, "status_note": ""}
    if progress.cost is not None:
        common["actual_cost"] = progress.cost
    if progress.state == State.SUCCEEDED:
        # Leased: the download is enqueued right here; the sweeper only picks up a lost one.
        # The move stamps the download's message as waiting (services.work.send_take_step's
        # UPDATE, folded in: one round trip less on the way to a take seen done).
        lease = now + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
        if move(
            take.pk,
            TakeState.RUNNING,
            TakeState.DOWNLOADING,
            progress=100,
            result_url=progress.result_url or "",
            next_poll_at=lease,
            dispatched_at=now,
            **common,
        ):
            send_after_commit(DOWNLOAD, take.pk)
    elif progress.state in FINISHED_STATES:
        message = progress.error or f"The provider reported “{progress.raw_status}”."
        if progress.state == State.CANCELED and take.cancel_requested:
            message = cancels.cancel_confirmed(take.provider)
        move(
            take.pk,
            TakeState.RUNNING,
            FINAL_FROM_PROVIDER[progress.state],
            error_kind=progress.state.value,
            error_message=message[:2000],
            **common,
        )
    else:
        wait = max(0.5, progress.poll_after)
        if calls_back(take.provider):
            wait = max(wait, CALLBACK_BACKSTOP_SECONDS)
        Take.objects.filter(pk=take.pk, state=TakeState.RUNNING).update(
            progress=progress.percent if progress.percent is not None else F("progress"),
            next_poll_at=now + timedelta(seconds=wait),
            updated_at=now,
            **common,
        )


def _poll_later(take: Take, error: ProviderError) -> None:
    if take.poll_errors + 1 >= MAX_POLL_ERRORS:
        move(take.pk, TakeState.RUNNING, TakeState.NEEDS_CHECK, **error_fields(error))
        return
    wait = error.retry_after or backoff(take.poll_errors + 1, first=2, cap=60)
    note(
        take.pk,
        TakeState.RUNNING,
        f"No answer from the provider, asking again in {wait:.0f} s: {error.message}",
        poll_errors=F("poll_errors") + 1,
        next_poll_at=timezone.now() + timedelta(seconds=wait),
    )
