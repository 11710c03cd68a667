"""The push path of live boards against a real uvicorn and Redis: a change made here arrives
on an open event stream within 2 s, and fifty open streams leave the server free to answer
ordinary pages (an open stream never holds a synchronous worker)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import socket
import sys
import time
import uuid

import httpx
import pytest
import redis
from django.db import connection
from django.test import Client

from projects.models import ActivityKind, Role
from projects.services.activity import activity_record
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory
from tests.support.leash import Leashed
from tests.support.workers import ROOT

REDIS = "redis://127.0.0.1:6379/0"
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def prefix(settings):
    """Pub/sub ignores database numbers: a channel prefix of this test's own keeps other test
    runs' projects (same ids) off our streams."""
    name = f"test-live-{uuid.uuid4().hex[:12]}"
    settings.REDIS_URL = REDIS
    settings.LIVE_CHANNEL_PREFIX = name
    return name


@pytest.fixture
def server(prefix, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings_test",
        "STUDIO_TEST_DB_NAME": connection.settings_dict["NAME"],
        "REDIS_URL": REDIS,
        "LIVE_CHANNEL_PREFIX": prefix,
        # Fewer threads than open streams: a stream holding one would starve the pages.
        "ASGI_THREADS": "8",
    }
    command = [
        sys.executable, "-m", "uvicorn", "studio.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
        "--log-config", str(ROOT / "studio" / "uvicorn_log.json"),
    ]  # fmt: skip
    log = open(tmp_path / "uvicorn.log", "ab")  # noqa: SIM115
    process = Leashed(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/accounts/login/", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "uvicorn.log").read_text()
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.1)
        yield base
    finally:
        process.stop(grace=2)
        log.close()


@pytest.fixture
def board():
    shot = ShotFactory(scene=SceneFactory())
    user = UserFactory(username="ana")
    MembershipFactory(project=shot.project, user=user, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return shot, user, {"Cookie": cookie}


def stream_url(base: str, shot) -> str:
    return f"{base}/projects/{shot.project_id}/live/stream/?place=board"


def subscribers(prefix: str, project_id: int) -> int:
    client = redis.Redis.from_url(REDIS)
    try:
        return dict(client.pubsub_numsub(f"{prefix}:project:{project_id}"))[
            f"{prefix}:project:{project_id}".encode()
        ]
    finally:
        client.close()


def test_a_change_arrives_on_the_stream_within_two_seconds(server, board, prefix):
    shot, user, headers = board
    with httpx.stream("GET", stream_url(server, shot), headers=headers, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        # The stream is subscribed once it says who's here.
        for line in lines:
            if line.startswith("data:"):
                assert json.loads(line[5:]) == ["ana"]
                break
        started = time.monotonic()
        change = activity_record(
            project_id=shot.project_id,
            kind=ActivityKind.SHOT_EDITED,
            summary="Shot edited",
            actor=user,
            shot_id=shot.pk,
        )
        event = None
        for line in lines:
            if line == "event: change":
                event = json.loads(next(lines)[5:])
                break
        assert time.monotonic() - started < 2
    assert event == {
        "cursor": change.pk,
        "kind": "shot_edited",
        "scene": None,
        "shot": shot.pk,
        "take": None,
        "comment": None,
        "who": "ana",
    }


def test_the_stream_is_for_members_only(server, board):
    shot, _, _ = board
    stranger = Client()
    stranger.force_login(UserFactory(username="eve"))
    cookie = {"Cookie": f"sessionid={stranger.cookies['sessionid'].value}"}
    assert httpx.get(stream_url(server, shot), headers=cookie, timeout=5).status_code == 404
    anonymous = httpx.get(stream_url(server, shot), timeout=5)
    assert anonymous.status_code == 302


def test_fifty_open_streams_leave_the_pages_answering(server, board, prefix):
    shot, _, headers = board

    async def main() -> None:
        limits = httpx.Limits(max_connections=100)
        client = httpx.AsyncClient(headers=headers, timeout=10, limits=limits)
        async with client, contextlib.AsyncExitStack() as stack:
            # Kept: a line reader dropped half-read would close its stream.
            readers = []

            async def open_one():
                response = await stack.enter_async_context(
                    client.stream("GET", stream_url(server, shot))
                )
                assert response.status_code == 200
                lines = response.aiter_lines()
                readers.append(lines)
                async for line in lines:
                    if line.startswith("data:"):
                        return

            await asyncio.gather(*(open_one() for _ in range(50)))
            assert subscribers(prefix, shot.project_id) == 50
            # With fewer threads than open streams, a stream holding one would starve this
            # page until the client's timeout: it answers, and offers the stream (ASGI).
            page = await client.get(f"{server}/projects/{shot.project_id}/")
            assert page.status_code == 200
            assert b'id="live"' in page.content
            assert f"/projects/{shot.project_id}/live/stream/".encode() in page.content

    # A loop of its own, in a thread of its own: a browser test earlier in this process leaves
    # Playwright's sync API holding the main thread's running loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, main()).result()
    # The streams end with their clients: nothing stays subscribed.
    deadline = time.monotonic() + 5
    while subscribers(prefix, shot.project_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert subscribers(prefix, shot.project_id) == 0
