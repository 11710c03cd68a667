"""A take's state changes: compare-and-swap moves, notes on the way, and what a finished take
settles (its money and its shot's status), by name.

Every move is an UPDATE ... WHERE state = expected, so two workers, a redelivered message or a
sweep racing a task cannot both advance a take."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from projects.models import (
    FINISHED_TAKE_STATES,
    Shot,
    ShotStatus,
    Take,
    TakeEvent,
    TakeKind,
    TakeState,
)
from projects.services.money import take_settle
from projects.services.take_activity import take_finished


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
            # A finished take settles its money and its shot, in the same transaction.
            take_settle(take_id=take_id, state=new)
            shot_after_take(take_id)
            take_finished(take_id, new)
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


def shot_after_take(take_id: int) -> None:
    """A shot stays "generating" while any video take is in flight, then goes to review.
    Hero-frame candidates (frame takes) leave the shot's status alone: a still is not a take
    to review."""
    shot_id = Take.objects.filter(pk=take_id).values_list("shot_id", flat=True).first()
    videos = Take.objects.filter(shot_id=shot_id, kind=TakeKind.VIDEO)
    if not videos.exclude(state__in=FINISHED_TAKE_STATES).exists():
        has_video = videos.filter(state=TakeState.SUCCEEDED).exists()
        Shot.objects.filter(pk=shot_id, status=ShotStatus.GENERATING).update(
            status=ShotStatus.REVIEW if has_video else ShotStatus.READY
        )


def shot_generating(take: Take) -> None:
    Shot.objects.filter(pk=take.shot_id).exclude(status=ShotStatus.GENERATING).update(
        status=ShotStatus.GENERATING
    )
