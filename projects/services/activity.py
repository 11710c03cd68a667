"""The project's event stream: every service that changes something a team cares about says
so here, once, in the same transaction as the change (append-only)."""

from __future__ import annotations

from projects.models import Activity, Shot
from projects.services.live import live_publish


def who_is(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""


def activity_record(
    *,
    project_id: int,
    kind: str,
    summary: str,
    actor=None,
    actor_name: str = "",
    scene_id: int | None = None,
    shot_id: int | None = None,
    take_id: int | None = None,
    comment_id: int | None = None,
    changes: dict | None = None,
) -> Activity:
    """Append one line to the project's activity and tell the live boards, once committed."""
    actor = actor if actor is not None and actor.is_authenticated else None
    activity = Activity.objects.create(
        project_id=project_id,
        kind=kind,
        summary=summary[:300],
        actor=actor,
        actor_name=(actor_name or who_is(actor))[:150],
        scene_id=scene_id,
        shot_id=shot_id,
        take_id=take_id,
        comment_id=comment_id,
        changes=changes or {},
    )
    live_publish(activity)
    return activity


def shot_activity(*, shot: Shot, kind: str, summary: str, **more) -> Activity:
    """activity_record for something that happened to a shot: its project, scene and itself."""
    return activity_record(
        project_id=shot.project_id,
        scene_id=shot.scene_id,
        shot_id=shot.pk,
        kind=kind,
        summary=summary,
        **more,
    )
