"""Decisions on a shot: an owner approves its circled take for final, or withdraws that.

The approval names the take it approved; circling another take withdraws it (services/takes)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import ActivityKind, Shot, ShotStatus
from projects.services.activity import shot_activity

NOTE_MAX = 500
APPROVAL_FIELDS = ["approved_take", "approved_by", "approved_at", "approval_note", "status"]


@transaction.atomic
def shot_approve(*, shot: Shot, user, note: str = "") -> Shot:
    """Approve the shot's circled take for final, with the owner's note (the view checks that
    `user` owns the project)."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."})
    shot = (
        Shot.objects.select_for_update(of=("self",)).select_related("circled_take").get(pk=shot.pk)
    )
    take = shot.circled_take
    if take is None:
        raise ValidationError("Circle a take first: approval is for the shot's circled take.")
    shot.approved_take, shot.approved_by = take, user
    shot.approved_at, shot.approval_note = timezone.now(), note
    shot.status = ShotStatus.APPROVED
    shot.save(update_fields=[*APPROVAL_FIELDS, "updated_at"])
    summary = f"Approved take {take.number} of shot {shot.label} for final"
    shot_activity(
        shot=shot,
        kind=ActivityKind.SHOT_APPROVED,
        summary=f"{summary}: {note}" if note else summary,
        actor=user,
        take_id=take.pk,
    )
    return shot


@transaction.atomic
def shot_unapprove(*, shot: Shot, user) -> Shot:
    """Withdraw the shot's approval for final (an owner's choice)."""
    shot = Shot.objects.select_for_update().get(pk=shot.pk)
    if shot.approved_at is None:
        raise ValidationError(f"Shot {shot.label} is not approved.")
    return approval_withdraw(shot=shot, user=user, why="withdrawn")


def approval_withdraw(*, shot: Shot, user, why: str) -> Shot:
    """Clear the approval: the shot goes back to review, and the activity says why."""
    take_id = shot.approved_take_id
    shot.approved_take = shot.approved_by = shot.approved_at = None
    shot.approval_note = ""
    shot.status = ShotStatus.REVIEW
    shot.save(update_fields=[*APPROVAL_FIELDS, "updated_at"])
    shot_activity(
        shot=shot,
        kind=ActivityKind.SHOT_APPROVED,
        summary=f"Approval of shot {shot.label} withdrawn: {why}",
        actor=user,
        take_id=take_id,
    )
    return shot
