"""Comments on shots and notes on takes: write, edit, delete, resolve, reopen.

Members write as themselves; a guest from a review link writes under the name they typed.
Mentions are @username of a member of the project; a mention and a reply notify."""

from __future__ import annotations

import math
import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import (
    ActivityKind,
    Comment,
    NotificationReason,
    ReviewLink,
    Shot,
    Take,
)
from projects.services.activity import shot_activity
from projects.services.notifications import notify

MAX_BODY = 4000
MAX_POINTS = 2000
SHAPES = {"point": (1, 1), "box": (2, 2), "path": (2, MAX_POINTS)}
MENTION = re.compile(r"(?<![\w@])@([\w.@+-]{1,150})")


def mentioned_members(project_id: int, body: str) -> list:
    """The project's members named as @username in `body` (names that are not members are
    plain text)."""
    names = {name.rstrip(".") for name in MENTION.findall(body)}
    if not names:
        return []
    users = get_user_model().objects.filter(memberships__project_id=project_id, username__in=names)
    return list(users)


def clean_drawing(drawing: dict | None) -> dict:
    """A drawing as stored: a known shape and its points inside the frame (0..1), or {}."""
    if not drawing:
        return {}
    if not isinstance(drawing, dict):
        raise ValidationError({"drawing": "The drawing could not be read."})
    shape, points = drawing.get("shape"), drawing.get("points")
    if shape not in SHAPES or not isinstance(points, list):
        raise ValidationError({"drawing": "Draw a point, a box or a line on the frame."})
    least, most = SHAPES[shape]
    if not least <= len(points) <= most:
        raise ValidationError({"drawing": f"A {shape} needs {least} to {most} points."})
    clean = []
    for point in points:
        try:
            x, y = (float(value) for value in point)
        except (TypeError, ValueError):
            raise ValidationError({"drawing": "The drawing could not be read."}) from None
        if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= 1 and 0 <= y <= 1):
            raise ValidationError({"drawing": "The drawing goes outside the frame."})
        clean.append([round(x, 4), round(y, 4)])
    return {"shape": shape, "points": clean}


def clean_moment(take: Take | None, at_seconds: float | None) -> tuple[float | None, int | None]:
    """The moment on the take, snapped to its frame: (seconds, frame number)."""
    if at_seconds is None:
        return None, None
    if take is None:
        raise ValidationError({"at_seconds": "A moment can only be pinned on a take."})
    if not math.isfinite(at_seconds) or at_seconds < 0:
        raise ValidationError({"at_seconds": "The moment must be a time from the take's start."})
    if take.duration_seconds and at_seconds > take.duration_seconds + 1e-6:
        raise ValidationError(
            {"at_seconds": f"The take is only {take.duration_seconds:.2f} s long."}
        )
    frame = math.floor(at_seconds * take.frame_rate + 1e-6)
    return frame / take.frame_rate, frame


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something first."})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": f"Keep it under {MAX_BODY} characters."})
    return body


@transaction.atomic
def comment_add(
    *,
    shot: Shot,
    body: str,
    author=None,
    guest_name: str = "",
    review_link: ReviewLink | None = None,
    take: Take | None = None,
    parent: Comment | None = None,
    at_seconds: float | None = None,
    drawing: dict | None = None,
) -> Comment:
    """A comment on the shot, or a note on one of its takes (at a moment, with a drawing), or a
    reply in a thread. Exactly one of `author` (a member) or `guest_name` (with the link)."""
    body = _clean_body(body)
    if author is None:
        guest_name = (guest_name or "").strip()
        if not guest_name or review_link is None:
            raise ValidationError({"guest_name": "Type your name so the team knows who wrote."})
        if len(guest_name) > 80:
            raise ValidationError({"guest_name": "Keep your name under 80 characters."})
    if take is not None and take.shot_id != shot.pk:
        raise ValidationError("That take belongs to another shot.")
    if parent is not None:
        if parent.shot_id != shot.pk or parent.deleted_at is not None:
            raise ValidationError("That thread is gone.")
        parent = parent.parent or parent  # threads are one level deep
        take = parent.take
        at_seconds, drawing = None, None
    at_seconds, at_frame = clean_moment(take, at_seconds)
    comment = Comment.objects.create(
        project_id=shot.project_id,
        shot=shot,
        take=take,
        parent=parent,
        author=author,
        guest_name=guest_name if author is None else "",
        review_link=review_link,
        body=body,
        at_seconds=at_seconds,
        at_frame=at_frame,
        drawing=clean_drawing(drawing) if take is not None else {},
    )
    mentioned = mentioned_members(shot.project_id, body)
    comment.mentions.set(mentioned)
    where = f"take {take.number} of shot {shot.label}" if take else f"shot {shot.label}"
    moment = f" at {at_seconds:.2f} s" if at_seconds is not None else ""
    activity = shot_activity(
        shot=shot,
        kind=ActivityKind.COMMENTED,
        summary=f"{'Replied' if parent else 'Commented'} on {where}{moment}: {body[:120]}",
        actor=author,
        actor_name=comment.who,
        take_id=take.pk if take else None,
        comment_id=comment.pk,
    )
    notify(users=mentioned, activity=activity, reason=NotificationReason.MENTION)
    if parent is not None:
        earlier = [
            parent.author,
            *(reply.author for reply in parent.replies.exclude(pk=comment.pk)),
        ]
        notify(
            users=[user for user in earlier if user is not None and user not in mentioned],
            activity=activity,
            reason=NotificationReason.REPLY,
        )
    return comment


def _own(comment: Comment, user) -> None:
    if comment.author_id is None or comment.author_id != getattr(user, "pk", None):
        raise PermissionDenied("Only its author can change a comment.")
    if comment.deleted_at is not None:
        raise ValidationError("That comment was deleted.")


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    _own(comment, user)
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    before = set(comment.mentions.values_list("pk", flat=True))
    mentioned = mentioned_members(comment.project_id, comment.body)
    comment.mentions.set(mentioned)
    fresh = [user for user in mentioned if user.pk not in before]
    activity = shot_activity(
        shot=comment.shot,
        kind=ActivityKind.COMMENTED,
        summary=f"Edited a comment on shot {comment.shot.label}: {comment.body[:120]}",
        actor=user,
        take_id=comment.take_id,
        comment_id=comment.pk,
    )
    notify(users=fresh, activity=activity, reason=NotificationReason.MENTION)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> None:
    """The author takes a comment back; a thread's first comment with replies stays as a
    "deleted" line so the replies still read."""
    _own(comment, user)
    shot = comment.shot
    if comment.replies.exists():
        comment.body, comment.drawing = "", {}
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "drawing", "deleted_at"])
        comment.mentions.clear()
    else:
        comment.delete()
    shot_activity(
        shot=shot,
        kind=ActivityKind.COMMENTED,
        summary=f"Deleted a comment on shot {shot.label}",
        actor=user,
        take_id=comment.take_id,
    )


@transaction.atomic
def comment_resolve(*, comment: Comment, user, resolved: bool = True) -> Comment:
    """Resolve a thread (or reopen it): the thread's first comment carries it."""
    thread = comment.parent or comment
    if thread.deleted_at is not None and not thread.replies.exists():
        raise ValidationError("That comment was deleted.")
    if resolved == thread.is_resolved:
        return thread  # already so: a double click changes nothing
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    shot_activity(
        shot=thread.shot,
        kind=ActivityKind.COMMENT_RESOLVED,
        summary=f"{'Resolved' if resolved else 'Reopened'} a comment on shot {thread.shot.label}",
        actor=user,
        take_id=thread.take_id,
        comment_id=thread.pk,
    )
    return thread
