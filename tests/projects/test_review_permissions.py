"""Who may use the guests' review pages: a review link is public, so with a working link every
guest URL answers the same to everyone, signed in or not; a revoked link is 410 for everyone;
another link's token or an id outside the link is 404. And the link opens nothing else: a
guest's session gets from every projects: URL exactly what an anonymous visitor gets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from projects import urls
from projects.models import Comment, ReviewLink
from projects.services.review_links import review_link_create, review_link_revoke
from tests.factories import MembershipFactory, SceneFactory, ShotFactory

from .review_world import build_review_world, finished_take

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
ACTORS = ("anonymous", "guest", "outsider", "viewer", "editor", "owner")
# The refusals below do not depend on who asks (guest views never read the session's user):
# asked by a guest and by the project's owner, the most a member can be, they show that an
# account adds nothing. The full table of six actors is the working link's, first below.
REFUSED_TO = ("guest", "owner")


@dataclass(frozen=True)
class GuestRoute:
    name: str
    method: str
    ok: int
    kind: str | None = None

    def __str__(self) -> str:
        return f"{self.method} review:{self.name}" + (f"[{self.kind}]" if self.kind else "")


GUEST_ROUTES = [
    GuestRoute("board", "GET", 200),
    GuestRoute("unlock", "POST", 302),  # no password: straight to the board
    GuestRoute("seen", "POST", 204),
    GuestRoute("shot", "GET", 200),
    GuestRoute("take", "GET", 200),
    GuestRoute("comments", "POST", 302),
    GuestRoute("hero", "GET", 200),
    GuestRoute("take-media", "GET", 200, "video.mp4"),
    GuestRoute("take-media", "GET", 200, "poster.jpg"),
    GuestRoute("take-media", "GET", 200, "thumb.jpg"),
]


@pytest.fixture
def w():
    return build_review_world()


def client_for(actor: str, w) -> Client:
    client = Client()
    if actor == "guest":
        assert client.get(reverse("review:board", args=[w.link.token])).status_code == 200
        client.post(reverse("review:seen", args=[w.link.token]))
    elif actor != "anonymous":
        client.force_login(w.members[actor])
    return client


def url_of(route: GuestRoute, token: str, w, *, shot=None, take=None) -> str:
    pattern = next(p for p in urls.review_urlpatterns if p.name == route.name)
    values = {
        "token": token,
        "shot_id": (shot or w.shot).pk,
        "take_id": (take or w.take).pk,
        "kind": route.kind,
    }
    kwargs = {name: values[name] for name in pattern.pattern.converters}
    return reverse(f"review:{route.name}", kwargs=kwargs)


def send(client: Client, route: GuestRoute, url: str):
    if route.method == "GET":
        return client.get(url)
    return client.post(url, {"guest_name": "Ann", "body": "Lovely light"})


def ids(routes):
    return [str(r) for r in routes]


# The routes that name a shot or a take (the others name only the link).
ID_ROUTES = [r for r in GUEST_ROUTES if r.name not in ("board", "unlock", "seen")]


def test_the_table_covers_every_guest_url():
    assert {p.name for p in urls.review_urlpatterns} == {r.name for r in GUEST_ROUTES}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", GUEST_ROUTES, ids=ids(GUEST_ROUTES))
def test_a_working_link_works_for_everyone(w, route, actor):
    response = send(client_for(actor, w), route, url_of(route, w.link.token, w))
    assert response.status_code == route.ok
    if route.name == "comments":
        assert Comment.objects.get().who == "Ann (guest)"  # a member's session is not used


@pytest.mark.parametrize("actor", REFUSED_TO)
@pytest.mark.parametrize("route", GUEST_ROUTES, ids=ids(GUEST_ROUTES))
def test_a_revoked_link_is_gone_for_everyone(w, route, actor):
    client = client_for(actor, w)
    review_link_revoke(link=w.link, revoked_by=w.owner)
    before = list(ReviewLink.objects.values())
    response = send(client, route, url_of(route, w.link.token, w))
    assert response.status_code == 410
    assert b"This link no longer works" in response.content
    assert list(ReviewLink.objects.values()) == before and not Comment.objects.exists()


@pytest.mark.parametrize("actor", REFUSED_TO)
@pytest.mark.parametrize("route", ID_ROUTES, ids=ids(ID_ROUTES))
def test_another_links_token_finds_nothing_of_this_project(w, route, actor):
    """A link of another project, with this project's ids: 404, whoever asks."""
    other = MembershipFactory().project
    ShotFactory(scene=SceneFactory(project=other))
    foreign = review_link_create(project=other, created_by=None)
    response = send(client_for(actor, w), route, url_of(route, foreign.token, w))
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("actor", REFUSED_TO)
@pytest.mark.parametrize("route", ID_ROUTES, ids=ids(ID_ROUTES))
def test_ids_outside_the_links_scene_are_not_found(w, route, actor):
    url = url_of(route, w.link.token, w, shot=w.other_scene_shot, take=w.other_take)
    response = send(client_for(actor, w), route, url)
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("actor", REFUSED_TO)
@pytest.mark.parametrize("route", GUEST_ROUTES, ids=ids(GUEST_ROUTES))
def test_an_unknown_token_is_not_found(w, route, actor):
    response = send(client_for(actor, w), route, url_of(route, "x" * 43, w))
    assert response.status_code == 404


# --- the link reaches nothing else -------------------------------------------------------------
def studio_urls(w) -> list[str]:
    """Every projects: URL, filled with the link's own project's ids."""
    values = {
        "project_id": w.project.pk,
        "scene_id": w.scenes[0].pk,
        "shot_id": w.shot.pk,
        "take_id": w.take.pk,
        "link_id": w.link.pk,
        "kind": "video.mp4",
        "action": "circle",
    }
    found = []
    for pattern in urls.urlpatterns:
        kwargs = {name: values.get(name, 1) for name in pattern.pattern.converters}
        found.append(reverse(f"projects:{pattern.name}", kwargs=kwargs))
    return found


def test_a_guest_session_gets_from_the_studio_what_anonymous_gets(w):
    locked = review_link_create(project=w.project, created_by=w.owner, password="lamp post")
    guest = client_for("guest", w)
    assert guest.post(reverse("review:unlock", args=[locked.token]), {"password": "lamp post"})
    guest.post(
        reverse("review:comments", args=[w.link.token, w.shot.pk]),
        {"guest_name": "Ann", "body": "Hello"},
    )
    assert guest.session.get("review-guest-name") == "Ann"  # a real guest session
    anonymous = Client()
    urls_ = studio_urls(w)
    assert len(urls_) > 50
    for url in urls_:
        for method in ("get", "post"):
            theirs = getattr(guest, method)(url)
            expected = getattr(anonymous, method)(url)
            assert (theirs.status_code, theirs.get("Location")) == (
                expected.status_code,
                expected.get("Location"),
            ), f"{method} {url}"
            assert theirs.status_code in (302, 405), f"{method} {url}"


def test_a_finished_take_added_later_is_served_in_scope(w):
    """The scope is the link's scene, not a list of takes frozen when it was made."""
    take = finished_take(w.shot, 9)
    url = reverse("review:take-media", args=[w.link.token, take.pk, "video.mp4"])
    assert Client().get(url).status_code == 200
