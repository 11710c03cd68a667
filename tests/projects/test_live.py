"""Boards that update live, the polling path (the embedded default): cursor, ETag -> 304,
changes since, who's here, and a cost that does not grow with the project's history.
The push path runs against a real uvicorn and Redis in tests/test_live_stream.py."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from django.urls import reverse

from projects.models import Activity, ActivityKind, Role
from projects.services.activity import activity_record
from projects.views.live import live_stream
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
)
from tests.queries import SESSION


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache key prefix of this test's own: with REDIS_URL set the cache is a Redis shared
    with other test runs, whose projects have the same ids."""
    default = settings.CACHES["default"]
    settings.CACHES = {"default": {**default, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture
def shot(db):
    return ShotFactory(scene=SceneFactory(project=ProjectFactory()))


def member(project, name: str, role=Role.VIEWER):
    return MembershipFactory(project=project, user=UserFactory(username=name), role=role).user


def poll(client, project, **params):
    headers = {}
    if "etag" in params:
        headers["If-None-Match"] = params.pop("etag")
    return client.get(reverse("projects:live", args=[project.pk]), params, headers=headers)


def test_the_first_poll_gives_the_cursor_and_no_changes(client, shot):
    client.force_login(member(shot.project, "ana"))
    first = activity_record(project_id=shot.project_id, kind=ActivityKind.SHOT_EDITED, summary="x")
    newest = activity_record(
        project_id=shot.project_id, kind=ActivityKind.SHOT_EDITED, summary="y", shot_id=shot.pk
    )
    response = poll(client, shot.project)
    assert response.status_code == 200
    assert response.json() == {"cursor": newest.pk, "changes": [], "here": ["ana"], "unread": 0}
    assert first.pk < newest.pk


def test_changes_since_the_cursor_come_oldest_first_as_change_messages(client, shot):
    ana = member(shot.project, "ana", Role.EDITOR)
    client.force_login(ana)
    before = poll(client, shot.project).json()["cursor"]
    edit = activity_record(
        project_id=shot.project_id,
        kind=ActivityKind.SHOT_EDITED,
        summary="Shot edited",
        actor=ana,
        shot_id=shot.pk,
        scene_id=shot.scene_id,
    )
    comment = activity_record(
        project_id=shot.project_id, kind=ActivityKind.COMMENTED, summary="Comment", shot_id=shot.pk
    )
    body = poll(client, shot.project, since=before).json()
    assert body["cursor"] == comment.pk
    assert body["changes"] == [
        {
            "cursor": edit.pk,
            "kind": "shot_edited",
            "scene": shot.scene_id,
            "shot": shot.pk,
            "take": None,
            "comment": None,
            "who": "ana",
        },
        {
            "cursor": comment.pk,
            "kind": "commented",
            "scene": None,
            "shot": shot.pk,
            "take": None,
            "comment": None,
            "who": "",
        },
    ]
    # Another project's changes never show.
    other = ProjectFactory()
    activity_record(project_id=other.pk, kind=ActivityKind.SHOT_EDITED, summary="elsewhere")
    assert poll(client, shot.project, since=comment.pk).json()["changes"] == []


def test_since_zero_on_a_project_where_nothing_happened_yet(client, shot):
    client.force_login(member(shot.project, "ana"))
    assert poll(client, shot.project).json()["cursor"] == 0
    change = activity_record(
        project_id=shot.project_id, kind=ActivityKind.SHOT_CREATED, summary="x"
    )
    assert [c["cursor"] for c in poll(client, shot.project, since=0).json()["changes"]] == [
        change.pk
    ]


def test_a_board_far_behind_gets_a_hundred_changes_and_catches_up(client, shot):
    client.force_login(member(shot.project, "ana"))
    Activity.objects.bulk_create(
        Activity(project=shot.project, kind=ActivityKind.SHOT_EDITED, summary=str(n))
        for n in range(130)
    )
    body = poll(client, shot.project, since=0).json()
    assert len(body["changes"]) == 100
    assert body["cursor"] == body["changes"][-1]["cursor"]
    rest = poll(client, shot.project, since=body["cursor"]).json()
    assert len(rest["changes"]) == 30


def test_the_same_etag_is_answered_304_with_no_body(client, shot):
    client.force_login(member(shot.project, "ana"))
    activity_record(project_id=shot.project_id, kind=ActivityKind.SHOT_EDITED, summary="x")
    first = poll(client, shot.project)
    etag = first["ETag"]
    cursor = first.json()["cursor"]
    again = poll(client, shot.project, since=cursor, etag=etag)
    assert again.status_code == 304
    assert again.content == b""
    # A change moves the cursor: a new ETag and the change.
    change = activity_record(project_id=shot.project_id, kind=ActivityKind.SHOT_EDITED, summary="y")
    moved = poll(client, shot.project, since=cursor, etag=etag)
    assert moved.status_code == 200
    assert moved["ETag"] != etag
    assert [c["cursor"] for c in moved.json()["changes"]] == [change.pk]


def test_a_new_face_changes_the_etag(client, shot):
    client.force_login(member(shot.project, "ana"))
    etag = poll(client, shot.project)["ETag"]
    assert poll(client, shot.project, etag=etag).status_code == 304
    bo = client.__class__()
    bo.force_login(member(shot.project, "bo"))
    poll(bo, shot.project)
    response = poll(client, shot.project, etag=etag)
    assert response.status_code == 200
    assert response.json()["here"] == ["ana", "bo"]


def test_who_is_here_is_per_place(client, shot):
    ana, bo, cy = client, client.__class__(), client.__class__()
    ana.force_login(member(shot.project, "ana"))
    bo.force_login(member(shot.project, "bo"))
    cy.force_login(member(shot.project, "cy"))
    poll(ana, shot.project, place=f"shot-{shot.pk}")
    assert poll(bo, shot.project, place=f"shot-{shot.pk}").json()["here"] == ["ana", "bo"]
    assert poll(cy, shot.project, place="board").json()["here"] == ["cy"]
    # Nobody of this project shows on another project's board.
    elsewhere = ProjectFactory()
    MembershipFactory(project=elsewhere, user=UserFactory(username="cy"), role=Role.VIEWER)
    assert poll(cy, elsewhere, place=f"shot-{shot.pk}").json()["here"] == ["cy"]


def test_who_is_here_forgets_after_thirty_seconds(client, shot, monkeypatch):
    import projects.services.presence as presence

    ana, bo = client, client.__class__()
    ana.force_login(member(shot.project, "ana"))
    bo.force_login(member(shot.project, "bo"))
    poll(ana, shot.project)
    now = presence.time.time()
    monkeypatch.setattr(presence.time, "time", lambda: now + 31)
    assert poll(bo, shot.project).json()["here"] == ["bo"]


def test_a_place_that_is_not_one_is_404(client, shot):
    client.force_login(member(shot.project, "ana"))
    assert poll(client, shot.project, place="../etc").status_code == 404
    assert poll(client, shot.project, place="shot-0").status_code == 404


@pytest.mark.parametrize("history", [10, 1000])
def test_a_poll_costs_the_same_whatever_the_history(
    client, shot, history, django_assert_num_queries
):
    client.force_login(member(shot.project, "ana"))
    Activity.objects.bulk_create(
        Activity(project=shot.project, kind=ActivityKind.SHOT_EDITED, summary=str(n), shot=shot)
        for n in range(history)
    )
    since = Activity.objects.order_by("id").values_list("id", flat=True)[history - 5]
    # Session, user, membership, the newest id, the unread count, the changes since.
    with django_assert_num_queries(SESSION + 5):
        body = poll(client, shot.project, since=since).json()
    assert len(body["changes"]) == 4
    with django_assert_num_queries(SESSION + 4):  # nothing new: no changes query
        poll(client, shot.project, since=body["cursor"])


def test_outsiders_see_nothing_and_anonymous_signs_in(client, shot):
    activity_record(project_id=shot.project_id, kind=ActivityKind.SHOT_EDITED, summary="secret")
    assert poll(client, shot.project).status_code == 302
    client.force_login(UserFactory(username="eve"))
    assert poll(client, shot.project).status_code == 404
    assert client.get(reverse("projects:live-stream", args=[shot.project_id])).status_code == 404


def test_the_card_of_one_shot_is_the_boards_card(client, shot, django_assert_num_queries):
    client.force_login(member(shot.project, "ana", Role.EDITOR))
    url = reverse("projects:shot-board-card", args=[shot.project_id, shot.pk])
    # Session, user, membership, the shot, its card row (the scene list comes with the menu).
    with django_assert_num_queries(SESSION + 4):
        response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith(
        f'<li class="shot-card status-{shot.status}" id="shot-{shot.pk}"'
    )
    assert response["X-Scene-Id"] == str(shot.scene_id)
    other = ShotFactory(scene=SceneFactory(project=ProjectFactory()))
    missing = reverse("projects:shot-board-card", args=[shot.project_id, other.pk])
    assert client.get(missing).status_code == 404


def test_the_board_and_the_shot_page_carry_the_live_bar(client, shot, settings):
    client.force_login(member(shot.project, "ana"))
    settings.REDIS_URL = ""
    board = client.get(reverse("projects:storyboard", args=[shot.project_id])).content.decode()
    assert 'id="live"' in board and 'data-live-place="board"' in board
    assert "data-live-stream" not in board  # no Redis: the page polls
    assert "js/live.js" in board
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    page = client.get(reverse("projects:shot", args=[shot.project_id, shot.pk])).content.decode()
    assert f'data-live-place="shot-{shot.pk}"' in page
    # Under WSGI (this client, runserver) a stream would be buffered: the page polls even with
    # Redis. Under uvicorn it is offered (tests/test_live_stream.py).
    assert "data-live-stream" not in page
    stream = client.get(reverse("projects:live-stream", args=[shot.project_id]))
    assert stream.status_code == 404


def test_the_stream_view_is_a_coroutine():
    # An open event stream must never hold a synchronous worker.
    assert asyncio.iscoroutinefunction(live_stream)
