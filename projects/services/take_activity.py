"""What the team reads about takes in the activity stream, and whom it tells: a take asked
for, waiting for an owner's approval, approved or declined, finished or failed.

Each is written by the service that made the change, in the same transaction."""

from __future__ import annotations

from projects.models import (
    ActivityKind,
    Membership,
    NotificationReason,
    Role,
    Take,
    TakeKind,
    TakeState,
)
from projects.services.activity import activity_record, shot_activity
from projects.services.notifications import notify

FAILED_STATES = (TakeState.FAILED, TakeState.REJECTED, TakeState.RESULT_LOST)


def take_name(take: Take, label: str) -> str:
    """ "take 3 of shot 2A", or "hero-frame candidate 4 of shot 2A"."""
    noun = "hero-frame candidate" if take.kind == TakeKind.FRAME else "take"
    return f"{noun} {take.number} of shot {label}"


def take_requested(*, take: Take, shot, user) -> None:
    """A take was asked for; above the approval threshold it also waits for the owners."""
    what = f"{take_name(take, shot.label)} on {take.get_model_display()}"
    price = f"up to ${take.estimated_cost:.2f}"
    where = {"scene_id": shot.scene_id, "shot_id": shot.pk, "take_id": take.pk}
    activity_record(
        project_id=shot.project_id,
        kind=ActivityKind.TAKE_REQUESTED,
        summary=f"Requested {what} ({price})",
        actor=user,
        **where,
    )
    if take.state != TakeState.AWAITING_APPROVAL:
        return
    waiting = activity_record(
        project_id=shot.project_id,
        kind=ActivityKind.APPROVAL_WAITING,
        summary=f"{what[0].upper()}{what[1:]} ({price}) is waiting for an owner's approval",
        actor=user,
        **where,
    )
    owners = [
        m.user
        for m in Membership.objects.filter(
            project_id=shot.project_id, role=Role.OWNER
        ).select_related("user")
    ]
    notify(users=owners, activity=waiting, reason=NotificationReason.APPROVAL)


def take_decided(*, take: Take, user, approved: bool) -> None:
    """An owner let a costly take go, or declined it (its requester hears either way)."""
    take = Take.objects.select_related("shot", "requested_by").get(pk=take.pk)
    verb = "Approved" if approved else "Declined"
    after = "" if approved else "; its hold was released"
    activity = shot_activity(
        shot=take.shot,
        kind=ActivityKind.APPROVAL_WAITING,
        summary=f"{verb} {take_name(take, take.shot.label)} (up to ${take.estimated_cost:.2f})"
        f"{after}",
        actor=user,
        take_id=take.pk,
    )
    if not approved:
        notify(users=[take.requested_by], activity=activity, reason=NotificationReason.TAKE_FAILED)


def take_finished(take_id: int, state: str) -> None:
    """A video or frame take reached its end: a line for the team, a word to its requester.
    Canceled takes (someone pressed Cancel) and takes parked for a check are neither."""
    if state != TakeState.SUCCEEDED and state not in FAILED_STATES:
        return
    take = Take.objects.select_related("shot", "requested_by").filter(pk=take_id).first()
    if take is None or take.kind not in (TakeKind.VIDEO, TakeKind.FRAME):
        return
    name = take_name(take, take.shot.label)
    if state == TakeState.SUCCEEDED:
        kind, reason = ActivityKind.TAKE_FINISHED, NotificationReason.TAKE_FINISHED
        summary = f"{name[0].upper()}{name[1:]} is ready to review"
    else:
        kind, reason = ActivityKind.TAKE_FAILED, NotificationReason.TAKE_FAILED
        why = take.error_message or TakeState(state).label
        summary = f"{name[0].upper()}{name[1:]} failed: {why}"
    activity = shot_activity(
        shot=take.shot,
        kind=kind,
        summary=summary,
        actor_name="the studio",
        take_id=take.pk,
    )
    notify(users=[take.requested_by], activity=activity, reason=reason)
