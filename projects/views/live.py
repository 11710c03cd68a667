"""Boards that update live (docs/decisions/010-live-boards.md).

`live_poll` is the embedded default: a cheap conditional GET every 1.5 s (ETag -> 304).
`live_stream` pushes the same changes as server-sent events when REDIS_URL is set; it is a
coroutine, so an open stream holds no worker thread, only a Redis subscription."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import close_old_connections
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from projects.ids import parse_id
from projects.selectors.live import MAX_CHANGES, live_changes, live_cursor, push_available
from projects.selectors.notifications import unread_count
from projects.services.live import channel_for
from projects.services.presence import PLACE, presence_mark

from ..models import Shot
from .access import member_of

HEARTBEAT_SECONDS = 15.0
PRESENCE_SECONDS = 10.0


def _place(request: HttpRequest) -> str:
    place = request.GET.get("place", "board")
    if not PLACE.match(place):
        raise Http404("No such place.")
    return place


def _etag(cursor: int, here: list[str], unread: int) -> str:
    digest = hashlib.sha256(json.dumps([cursor, here, unread]).encode()).hexdigest()[:20]
    return f'"{digest}"'


@login_required
@require_safe
def live_poll(request: HttpRequest, project_id: int) -> HttpResponse:
    """What changed after ?since=, and who's here; 304 while neither moved. Marks the viewer
    as here (in the cache, not the database). The same few queries whatever the history's size:
    session, user, membership, the newest id, the viewer's unread count, and the changes after
    since (index reads)."""
    member_of(request, project_id)
    place = _place(request)
    here = presence_mark(project_id=project_id, place=place, username=request.user.get_username())
    cursor = live_cursor(project_id)
    given = request.GET.get("since", "")
    since = 0 if given == "0" else parse_id(given)  # 0: a board that saw nothing happen yet
    changes = live_changes(project_id, since=since) if since is not None and since < cursor else []
    if len(changes) == MAX_CHANGES:
        # More than a page behind: the board catches up from the last change it got.
        cursor = changes[-1]["cursor"]
    # The viewer's unread notifications ride along, so the top bar's count moves live too.
    unread = unread_count(request.user)
    etag = _etag(cursor, here, unread)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(
            {"cursor": cursor, "changes": changes, "here": here, "unread": unread}
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache, private"
    return response


@login_required
@require_safe
def board_card(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """One shot's card, as the board renders it: what a live board swaps in for that shot."""
    membership = member_of(request, project_id)
    shots = Shot.objects.filter(project=membership.project).select_related("circled_take")
    shot = get_object_or_404(shots, pk=shot_id)
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
    }
    response = render(request, "projects/storyboard.html#shot-card", context)
    # The board redraws whole when the card moved to another scene.
    response["X-Scene-Id"] = str(shot.scene_id)
    return response


def _member(request: HttpRequest, project_id: int) -> str:
    try:
        member_of(request, project_id)
        return request.user.get_username()
    finally:
        # The stream stays open for hours: it must not keep a database connection meanwhile.
        close_old_connections()


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


async def _events(project_id: int, place: str, username: str) -> AsyncIterator[str]:
    import redis.asyncio as aioredis

    mark = sync_to_async(presence_mark, thread_sensitive=False)
    client = aioredis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe(channel_for(project_id))
        here = await mark(project_id=project_id, place=place, username=username)
        yield "retry: 2000\n\n" + _event("here", here)
        beat = seen = time.monotonic()
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message and message.get("type") == "message":
                data = message["data"]
                text = data.decode() if isinstance(data, bytes) else data
                yield f"event: change\ndata: {text}\n\n"
            now = time.monotonic()
            if now - seen >= PRESENCE_SECONDS:
                seen = now
                here = await mark(project_id=project_id, place=place, username=username)
                yield _event("here", here)
            if now - beat >= HEARTBEAT_SECONDS:
                beat = now
                yield ": still here\n\n"
    finally:
        # The client went (the ASGI server cancels us) or Redis failed: let go of both.
        await asyncio.shield(_close(pubsub, client))


async def _close(pubsub, client) -> None:
    try:
        await pubsub.aclose()
    finally:
        await client.aclose()


@login_required
@require_safe
async def live_stream(request: HttpRequest, project_id: int) -> StreamingHttpResponse:
    """Server-sent events: "change" for each change, "here" every ~10 s, a comment every 15 s.
    404 without Redis: the board polls instead."""
    if not push_available(request):
        raise Http404("Live push needs Redis and an ASGI server; this board polls.")
    place = _place(request)
    username = await sync_to_async(_member)(request, project_id)
    response = StreamingHttpResponse(
        _events(project_id, place, username), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, private"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must pass events on at once
    return response
