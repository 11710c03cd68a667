"""What changed on a project since a board last asked: the newest activity id is the cursor.

Both reads use the (project, -id) index, so a poll costs the same whatever the history's size."""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest

from projects.models import Activity

MAX_CHANGES = 100


def live_cursor(project_id: int) -> int:
    """The id of the project's newest activity, 0 before anything happened."""
    newest = Activity.objects.filter(project_id=project_id).order_by("-id").values_list("id")
    row = newest.first()
    return row[0] if row else 0


def live_changes(project_id: int, *, since: int, limit: int = MAX_CHANGES) -> list[dict]:
    """Up to `limit` changes after `since`, oldest first, shaped like the pushed message
    (services/live.change_message), so a board handles both the same way."""
    rows = (
        Activity.objects.filter(project_id=project_id, id__gt=since)
        .order_by("id")
        .values("id", "kind", "scene_id", "shot_id", "take_id", "comment_id", "actor_name")[:limit]
    )
    return [
        {
            "cursor": row["id"],
            "kind": row["kind"],
            "scene": row["scene_id"],
            "shot": row["shot_id"],
            "take": row["take_id"],
            "comment": row["comment_id"],
            "who": row["actor_name"],
        }
        for row in rows
    ]


def push_available(request) -> bool:
    """Whether this page can be pushed to: Redis to carry the changes, and an ASGI server to
    hold the stream open. Under WSGI (runserver, the test live server) Django would buffer an
    async stream until it ends, so those pages poll even when Redis is set."""
    return bool(settings.REDIS_URL) and isinstance(request, ASGIRequest)
