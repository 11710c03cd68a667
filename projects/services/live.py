"""Telling the boards that are open what changed: after the change commits, one message on the
project's Redis channel (when REDIS_URL is set) that the event stream passes on. Without Redis
the boards poll, and the newest activity id is their cursor (selectors/live.py)."""

from __future__ import annotations

import json
import logging
from functools import cache, partial

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def channel_for(project_id: int) -> str:
    # Pub/sub channels ignore Redis's database numbers: the prefix keeps test runs (and two
    # studios sharing one Redis) apart.
    return f"{settings.LIVE_CHANNEL_PREFIX}:project:{project_id}"


@cache
def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def change_message(activity) -> dict:
    """What a board needs to know to refresh only what changed."""
    return {
        "cursor": activity.pk,
        "kind": activity.kind,
        "scene": activity.scene_id,
        "shot": activity.shot_id,
        "take": activity.take_id,
        "comment": activity.comment_id,
        "who": activity.actor_name,
    }


def _send(project_id: int, message: dict) -> None:
    try:
        _redis().publish(channel_for(project_id), json.dumps(message))
    except Exception:  # a board missing a push must never fail the change
        log.warning("live: could not publish to project %s", project_id, exc_info=True)


def live_publish(activity) -> None:
    if not settings.REDIS_URL:
        return
    transaction.on_commit(partial(_send, activity.project_id, change_message(activity)))
