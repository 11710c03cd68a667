"""The pipeline steps a worker runs for a take: submit, follow, download, and the sweeper.

Every step moves the take with a compare-and-swap UPDATE (… WHERE state = expected), so two
workers, a redelivered message or a sweep racing a task cannot both advance it. The paid call
happens only after the claim has committed; if its outcome is unclear the take goes to
"needs check" and is never resubmitted automatically.
"""

from __future__ import annotations

import fcntl
import logging
import os
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from providers.core.base import (
    FINISHED_STATES,
    AuthFailed,
    CancelPolicy,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Transient,
    VideoProvider,
)
from providers.core.http import backoff
from providers.core.media import InvalidVideo, extract_poster, probe
from studio.models import ProviderAccount

from ..models import FINISHED_TAKE_STATES, Shot, ShotStatus, Take, TakeEvent, TakeState
from ..money import budget_release, budget_settle
from . import cancels
from .registry import (
    ProviderUnavailable,
    can_look_up,
    cancel_policy,
    concurrency_limit,
    provider_by_slug,
)
from .requests import generation_request

log = logging.getLogger(__name__)

MAX_SUBMIT_ATTEMPTS = 5
WAIT_FOR_SLOT_SECONDS = 3
MAX_POLL_ERRORS = 10
FINAL_FROM_PROVIDER = {
    State.FAILED: TakeState.FAILED,
    State.REJECTED: TakeState.REJECTED,
    State.CANCELED: TakeState.CANCELED,
}


def move(
    take_id: int, expected: str | tuple[str, ...], new: str, *, event: str = "", **fields
) -> bool:
    """Compare-and-swap the take's state; True if this caller made the move.

    A move clears the take's status note (it described the state being left) and adds a line
    to its history: `event`, else the error that ended it."""
    expected = (expected,) if isinstance(expected, str) else expected
    now = timezone.now()
    stamp = {
        TakeState.SUBMITTING: "submitting_at",
        TakeState.RUNNING: "running_at",
        TakeState.DOWNLOADING: "downloading_at",
    }.get(new, "finished_at")
    fields.setdefault(stamp, now)
    fields.setdefault("status_note", "")
    finished = new in FINISHED_TAKE_STATES
    if finished:
        fields.setdefault("next_poll_at", None)
    with transaction.atomic():
        updated = Take.objects.filter(pk=take_id, state__in=expected).update(
            state=new, updated_at=now, **fields
        )
        if updated:
            message = event or fields.get("error_message", "")
            TakeEvent.objects.create(take_id=take_id, at=now, state=new, message=message)
        if updated and finished:
            _money_after_take(take_id, new)
            _shot_after_take(take_id)
    return bool(updated)


def note(take_id: int, state: str, text: str, **fields) -> bool:
    """Say what is true now on a take still in `state` (shown on its card until the next
    change) and keep it in the history. True if the take was still in that state."""
    now = timezone.now()
    with transaction.atomic():
        updated = Take.objects.filter(pk=take_id, state=state).update(
            status_note=text[:300], updated_at=now, **fields
        )
        if updated:
            TakeEvent.objects.create(take_id=take_id, at=now, state=state, message=text)
    return bool(updated)


def move_to_queue(take_id: int, *, approved_by: str = "an owner") -> bool:
    """Approval given: the take joins the queue, leased so the sweeper does not double it."""
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    return move(
        take_id,
        TakeState.AWAITING_APPROVAL,
        TakeState.QUEUED,
        next_poll_at=lease,
        finished_at=None,
        event=f"Approved by {approved_by}.",
    )


def _money_after_take(take_id: int, state: str) -> None:
    """Success spends the hold, and so does a result the provider made (and billed) but we
    could not fetch; a failure lets it go; "needs check" keeps it until a person decides,
    because the provider may have charged for it. Settling twice (a result fetched again
    after it was lost) changes nothing: budget_settle settles a take once."""
    take = Take.objects.get(pk=take_id)
    if state in (TakeState.SUCCEEDED, TakeState.RESULT_LOST):
        budget_settle(take=take, actual=take.actual_cost)
    elif state != TakeState.NEEDS_CHECK:
        budget_release(take=take, note=f"take {take.number} {take.get_state_display().lower()}")


def _shot_after_take(take_id: int) -> None:
    """A shot stays "generating" while any take is in flight, then goes to review."""
    shot_id = Take.objects.filter(pk=take_id).values_list("shot_id", flat=True).first()
    in_flight = Take.objects.filter(shot_id=shot_id).exclude(state__in=FINISHED_TAKE_STATES)
    if not in_flight.exists():
        has_video = Take.objects.filter(shot_id=shot_id, state=TakeState.SUCCEEDED).exists()
        Shot.objects.filter(pk=shot_id, status=ShotStatus.GENERATING).update(
            status=ShotStatus.REVIEW if has_video else ShotStatus.READY
        )


# --- submit ---------------------------------------------------------------------------------
def take_submit(take_id: int) -> None:
    """Claim a queued take and send it, at most once."""
    take = Take.objects.filter(pk=take_id, state=TakeState.QUEUED).first()
    if take is None:
        return
    try:
        limit = concurrency_limit(take.provider)
    except ProviderUnavailable as error:
        move(take_id, TakeState.QUEUED, TakeState.FAILED, **_error(error))
        return
    if limit:
        ProviderAccount.objects.get_or_create(slug=take.provider)
    with transaction.atomic():
        if limit:
            # One claimer per provider account at a time, so the count below stays true.
            ProviderAccount.objects.select_for_update().get(slug=take.provider)
            in_flight = Take.objects.filter(
                provider=take.provider, state__in=(TakeState.SUBMITTING, TakeState.RUNNING)
            ).count()
            if in_flight >= limit:
                Take.objects.filter(pk=take_id, state=TakeState.QUEUED).update(
                    next_poll_at=timezone.now() + timedelta(seconds=WAIT_FOR_SLOT_SECONDS),
                    raw_status=f"waiting for a free slot ({in_flight} of {limit} running)",
                )
                return
        now = timezone.now()
        claimed = Take.objects.filter(
            pk=take_id, state=TakeState.QUEUED, cancel_requested=False
        ).update(
            state=TakeState.SUBMITTING,
            submitting_at=now,
            updated_at=now,
            status_note="",  # "busy, trying again" stops being true the moment it is sent
            submit_attempts=F("submit_attempts") + 1,
        )
        if claimed:
            TakeEvent.objects.create(take_id=take_id, at=now, state=TakeState.SUBMITTING)
    if not claimed:
        return  # someone else has it, it was canceled, or it already went
    # Autocommit: the claim is durable before the provider hears anything.
    take = Take.objects.get(pk=take_id)
    try:
        provider = provider_by_slug(take.provider)
        submitted = provider.submit(generation_request(take))
    except Transient as error:
        _submit_later(take, error)
    except (Rejected, AuthFailed, QuotaExceeded, ProviderUnavailable) as error:
        final = TakeState.REJECTED if isinstance(error, Rejected) else TakeState.FAILED
        move(take_id, TakeState.SUBMITTING, final, **_error(error))
    except Exception as error:
        # Timeouts after sending, 5xx other than 503, malformed replies, crashes: we cannot
        # know if it was taken. Where the provider can be asked by our key, the sweeper asks.
        log.exception("take %s: submit outcome unknown", take_id)
        move(
            take_id,
            TakeState.SUBMITTING,
            TakeState.NEEDS_CHECK,
            next_poll_at=_first_lookup_at(take.provider),
            **_error(error),
        )
    else:
        move(
            take_id,
            TakeState.SUBMITTING,
            TakeState.RUNNING,
            remote_id=submitted.remote_id,
            raw_status=submitted.raw_status[:200],
            next_poll_at=timezone.now(),
            actual_cost=submitted.cost,
        )
        _enqueue_follow(take_id)


def _submit_later(take: Take, error: ProviderError) -> None:
    if take.submit_attempts >= MAX_SUBMIT_ATTEMPTS:
        move(take.pk, TakeState.SUBMITTING, TakeState.FAILED, **_error(error))
        return
    wait = error.retry_after or min(60, 2**take.submit_attempts)
    text = f"Provider busy, trying again in {wait:.0f} s: {error.message}"
    now = timezone.now()
    with transaction.atomic():
        # A note, not an error: it stops being true as soon as the take moves on.
        requeued = Take.objects.filter(
            pk=take.pk, state=TakeState.SUBMITTING, cancel_requested=False
        ).update(
            state=TakeState.QUEUED,
            next_poll_at=now + timedelta(seconds=wait),
            status_note=text[:300],
            updated_at=now,
        )
        if requeued:
            TakeEvent.objects.create(take_id=take.pk, at=now, state=TakeState.QUEUED, message=text)
    if not requeued:
        # Canceled while it was being sent, and the provider accepted nothing: it ends here
        # (the claim in take_submit would never pick a canceled take up again).
        move(
            take.pk,
            TakeState.SUBMITTING,
            TakeState.CANCELED,
            event="Canceled before the provider accepted it: nothing was charged.",
        )


def _error(error: Exception) -> dict:
    kind = getattr(error, "kind", type(error).__name__)
    message = getattr(error, "message", "") or str(error) or type(error).__name__
    return {"error_kind": kind[:40], "error_message": message[:2000]}


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
        lease = now + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
        if move(
            take.pk,
            TakeState.RUNNING,
            TakeState.DOWNLOADING,
            progress=100,
            result_url=progress.result_url or "",
            next_poll_at=lease,
            **common,
        ):
            _enqueue_download(take.pk)
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
        Take.objects.filter(pk=take.pk, state=TakeState.RUNNING).update(
            progress=progress.percent if progress.percent is not None else F("progress"),
            next_poll_at=now + timedelta(seconds=max(0.5, progress.poll_after)),
            updated_at=now,
            **common,
        )


def _poll_later(take: Take, error: ProviderError) -> None:
    if take.poll_errors + 1 >= MAX_POLL_ERRORS:
        move(take.pk, TakeState.RUNNING, TakeState.NEEDS_CHECK, **_error(error))
        return
    wait = error.retry_after or backoff(take.poll_errors + 1, first=2, cap=60)
    note(
        take.pk,
        TakeState.RUNNING,
        f"No answer from the provider, asking again in {wait:.0f} s: {error.message}",
        poll_errors=F("poll_errors") + 1,
        next_poll_at=timezone.now() + timedelta(seconds=wait),
    )


# --- download -------------------------------------------------------------------------------
def take_download(take_id: int) -> None:
    """Fetch the result into media storage right away (provider URLs expire). Safe to repeat."""
    take = Take.objects.filter(pk=take_id, state=TakeState.DOWNLOADING).first()
    if take is None:
        return
    folder = Path(settings.MEDIA_ROOT) / "takes" / str(take.project_id)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"take-{take.pk}.lock", "a") as lock:
        # One fetch per take at a time: a second copy (a redelivery, a sweep) steps aside; the
        # kernel drops the lock if the worker dies, so the next sweep can try again.
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        take.refresh_from_db()
        if take.state == TakeState.DOWNLOADING:
            _fetch(take, folder)


def _fetch(take: Take, folder: Path) -> None:
    take_id = take.pk
    if not take.result_url:
        _result_lost(take, "The provider reported the video finished but gave no link to it.")
        return
    provider = provider_by_slug(take.provider)
    final = folder / f"take-{take.pk}.mp4"
    partial = folder / f"take-{take.pk}-{uuid.uuid4().hex[:8]}.mp4.part"
    try:
        size = provider.download(
            take.result_url, str(partial), max_bytes=settings.TAKE_MAX_VIDEO_BYTES
        )
        info = probe(str(partial))
        os.replace(partial, final)
        poster = folder / f"take-{take.pk}-poster.jpg"
        thumb = folder / f"take-{take.pk}-thumb.jpg"
        extract_poster(str(final), str(poster), str(thumb))
    except Transient as error:
        partial.unlink(missing_ok=True)
        _download_later(take, error)
        return
    except (ProviderError, InvalidVideo, OSError) as error:
        # Expired or refused link, over the size cap, not a video we can read: the provider
        # made it and billed it, so this is a lost result, not a failed generation.
        partial.unlink(missing_ok=True)
        _result_lost(take, error)
        return
    media = Path(settings.MEDIA_ROOT)
    move(
        take_id,
        TakeState.DOWNLOADING,
        TakeState.SUCCEEDED,
        video=str(final.relative_to(media)),
        poster=str(poster.relative_to(media)),
        thumbnail=str(thumb.relative_to(media)),
        duration_seconds=info.duration_seconds,
        width=info.width,
        height=info.height,
        file_size=size,
        progress=100,
    )


def _download_later(take: Take, error: ProviderError) -> None:
    """A hiccup while fetching: try again soon, while the provider's link is still valid."""
    if take.poll_errors + 1 >= MAX_POLL_ERRORS:
        _result_lost(take, error)
        return
    wait = error.retry_after or backoff(take.poll_errors + 1, first=2, cap=60)
    note(
        take.pk,
        TakeState.DOWNLOADING,
        f"Saving the video was interrupted, trying again in {wait:.0f} s: {error.message}",
        poll_errors=F("poll_errors") + 1,
        next_poll_at=timezone.now() + timedelta(seconds=wait),
    )


def _result_lost(take: Take, error: Exception | str) -> None:
    """The provider finished (and charged) but the studio has no video: settle the hold as
    spent and keep the take as "result lost", which can be fetched again while the provider's
    link may still work."""
    fields = _error(error) if isinstance(error, Exception) else {"error_message": error}
    fields["error_kind"] = "result_lost"
    move(take.pk, TakeState.DOWNLOADING, TakeState.RESULT_LOST, **fields)


# --- settling "needs a check" by asking the provider ---------------------------------------
def _first_lookup_at(provider: str):
    """When to first ask the provider about an unclear send, or None (a person decides).

    Not at once: a provider that answered 500 may still be creating the job, and "not found"
    is only proof of absence once it has had time to appear.
    """
    if not can_look_up(provider):
        return None
    return timezone.now() + timedelta(seconds=settings.TAKE_LOOKUP_AFTER_SECONDS)


def take_check(take_id: int) -> None:
    """Ask the provider, by our request key, whether it has a take whose send was unclear:
    found → follow it; provably absent → send it again (or, out of tries, fail it)."""
    take = Take.objects.filter(pk=take_id, state=TakeState.NEEDS_CHECK, remote_id="").first()
    if take is None or not can_look_up(take.provider):
        return
    try:
        found = provider_by_slug(take.provider).lookup(generation_request(take))
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
            _shot_generating(take)
            _enqueue_follow(take_id)
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
        _shot_generating(take)
        from ..tasks import submit_take

        transaction.on_commit(lambda: submit_take.delay(take_id))


def _check_later(take: Take, error: Exception) -> None:
    """The lookup itself failed (provider down, rate limit): ask again later, it stays held."""
    wait = getattr(error, "retry_after", None) or settings.TAKE_LOOKUP_AFTER_SECONDS
    Take.objects.filter(pk=take.pk, state=TakeState.NEEDS_CHECK).update(
        next_poll_at=timezone.now() + timedelta(seconds=max(1.0, wait)),
        updated_at=timezone.now(),
    )
    log.warning("take %s: lookup failed, will ask again: %s", take.pk, error)


def _shot_generating(take: Take) -> None:
    Shot.objects.filter(pk=take.shot_id).exclude(status=ShotStatus.GENERATING).update(
        status=ShotStatus.GENERATING
    )


# --- waking what is due ---------------------------------------------------------------------
def _enqueue_follow(take_id: int) -> None:
    from ..tasks import follow_take

    transaction.on_commit(lambda: follow_take.delay(take_id))


def _enqueue_download(take_id: int) -> None:
    from ..tasks import download_take

    transaction.on_commit(lambda: download_take.delay(take_id))


def follow_now(*, provider: str, remote_ids: set[str]) -> int:
    """A webhook said these jobs changed: poll them now instead of at their next turn."""
    if not remote_ids:
        return 0
    due = Take.objects.filter(provider=provider, state=TakeState.RUNNING, remote_id__in=remote_ids)
    count = due.update(next_poll_at=timezone.now())
    for pk in due.values_list("pk", flat=True):
        _enqueue_follow(pk)
    return count


def sweep() -> dict[str, int]:
    """Wake every take that is due and park the ones the studio lost track of.

    Run by beat every few seconds. Each due row is leased by pushing its next_poll_at forward
    in the same UPDATE that selects it, so overlapping sweeps do not enqueue it twice; a lost
    message is picked up again when the lease runs out.
    """
    from ..tasks import download_take, follow_take, submit_take

    now = timezone.now()
    lease = now + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    counts = {}
    for state, task in (
        (TakeState.QUEUED, submit_take),
        (TakeState.RUNNING, follow_take),
        (TakeState.DOWNLOADING, download_take),
    ):
        with transaction.atomic():
            # SKIP LOCKED on PostgreSQL lets overlapping sweeps split the rows between them.
            rows = Take.objects.select_for_update(skip_locked=True).filter(due, state=state)
            ids = list(rows.values_list("pk", flat=True)[:500])
            Take.objects.filter(pk__in=ids).update(next_poll_at=lease)
            for pk in ids:
                transaction.on_commit(partial(task.delay, pk))
        counts[state.value] = len(ids)
    counts["lookups"] = _wake_lookups(now, lease)
    stale = now - timedelta(seconds=settings.TAKE_SUBMIT_TIMEOUT_SECONDS)
    lost = Take.objects.filter(state=TakeState.SUBMITTING, submitting_at__lt=stale)
    counts["needs_check"] = 0
    for pk, provider in lost.values_list("pk", "provider"):
        counts["needs_check"] += move(
            pk,
            TakeState.SUBMITTING,
            TakeState.NEEDS_CHECK,
            next_poll_at=_first_lookup_at(provider),
            error_kind="unknown_outcome",
            error_message=(
                "The studio lost contact while sending this take, so it may or may not have "
                "reached the provider. It was not sent again. "
                + (
                    "The studio will ask the provider for it by its key."
                    if can_look_up(provider)
                    else "Check the provider's dashboard, then retry or mark it failed."
                )
            ),
        )
    return counts


def _wake_lookups(now, lease) -> int:
    """Enqueue the due lookups of takes whose send had an unclear outcome."""
    from ..tasks import check_take

    with transaction.atomic():
        # Only takes given a lookup time: the others wait for a person (next_poll_at is NULL).
        rows = Take.objects.select_for_update(skip_locked=True).filter(
            state=TakeState.NEEDS_CHECK, remote_id="", next_poll_at__lte=now
        )
        ids = list(rows.values_list("pk", flat=True)[:500])
        Take.objects.filter(pk__in=ids).update(next_poll_at=lease)
        for pk in ids:
            transaction.on_commit(partial(check_take.delay, pk))
    return len(ids)
