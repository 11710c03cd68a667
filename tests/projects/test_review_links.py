"""Review links: an owner makes, lists and revokes them; a guest without an account watches
and comments through one, and reaches nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import Activity, ActivityKind, Comment, ReviewLink
from projects.services.comments import comment_add
from projects.services.review_links import review_link_create, review_link_revoke

from .review_world import build_review_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rates():
    cache.clear()  # the rate limits count in the cache, shared by every test of the process
    yield
    cache.clear()


@pytest.fixture
def w():
    return build_review_world()


def board(link) -> str:
    return reverse("review:board", args=[link.token])


def shot_url(link, shot) -> str:
    return reverse("review:shot", args=[link.token, shot.pk])


def media(link, take, kind="video.mp4") -> str:
    return reverse("review:take-media", args=[link.token, take.pk, kind])


def links_url(project) -> str:
    return reverse("projects:review-links", args=[project.pk])


# --- the owner's side ------------------------------------------------------------------------
def test_owner_makes_a_link_with_expiry_and_password(w, client):
    client.force_login(w.owner)
    response = client.post(
        links_url(w.project),
        {
            "scene": w.scenes[1].pk,
            "label": "Agency",
            "expires_in_days": "3",
            "password": "lamp post",
            "allow_comments": "on",
        },
    )
    assert response.status_code == 302
    link = ReviewLink.objects.get(label="Agency")
    assert link.scene == w.scenes[1] and link.allow_comments
    assert len(link.token) >= 43 and link.password_hash.startswith("pbkdf2") is not None
    assert link.password_hash != "lamp post"
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)
    assert Activity.objects.filter(
        project=w.project, kind=ActivityKind.REVIEW_LINK, summary__contains="Agency"
    ).exists()
    page = client.get(links_url(w.project))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"http://testserver/review/{link.token}/" in html
    assert "Agency" in html and "Copy" in html


def test_a_date_in_the_past_is_refused_beside_the_field(w, client):
    client.force_login(w.owner)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(links_url(w.project), {"label": "Late", "expires_on": yesterday})
    assert response.status_code == 422
    assert "Pick a day after today." in response.content.decode()
    assert not ReviewLink.objects.filter(label="Late").exists()


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_owners_make_or_see_links(w, role):
    client = Client()
    client.force_login(w.members[role])
    assert client.get(links_url(w.project)).status_code == 403
    assert client.post(links_url(w.project), {"label": "Nope"}).status_code == 403
    assert not ReviewLink.objects.filter(label="Nope").exists()


def test_revoking_stops_the_guest_at_the_next_request(w, client):
    guest = Client()
    assert guest.get(board(w.link)).status_code == 200
    client.force_login(w.owner)
    revoke = reverse("projects:review-link-revoke", args=[w.project.pk, w.link.pk])
    assert client.post(revoke).status_code == 302
    w.link.refresh_from_db()
    assert w.link.revoked_at is not None and w.link.revoked_by == w.owner
    for url in (board(w.link), shot_url(w.link, w.shot), media(w.link, w.take)):
        response = guest.get(url)
        assert response.status_code == 410, url
        assert b"This link no longer works" in response.content
    posted = guest.post(
        reverse("review:comments", args=[w.link.token, w.shot.pk]),
        {"guest_name": "Ann", "body": "Too late"},
    )
    assert posted.status_code == 410
    assert not Comment.objects.filter(body="Too late").exists()
    assert "Revoked" in client.get(links_url(w.project)).content.decode()


def test_an_expired_link_no_longer_works(w):
    ReviewLink.objects.filter(pk=w.link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(board(w.link))
    assert response.status_code == 410
    assert b"This link no longer works" in response.content


# --- the guest's side ----------------------------------------------------------------------
def test_the_guest_sees_the_board_of_the_links_scene_only(w):
    html = Client().get(board(w.link)).content.decode()
    # Labels as the cards show them: a bare "2A" could turn up inside the random token.
    assert ">1A<" in html and "A keeper climbs the stairs" in html
    assert ">2A<" not in html
    assert reverse("review:hero", args=[w.link.token, w.shot.pk]) not in html  # circled thumb
    assert media(w.link, w.take, "thumb.jpg") in html
    assert "/projects/" not in html  # no way into the studio
    whole = Client().get(board(w.whole_link)).content.decode()
    assert ">1A<" in whole and ">2A<" in whole


def test_the_approved_shot_shows_its_badge(w):
    w.shot.approved_take = w.take
    w.shot.save(update_fields=["approved_take"])
    assert "Approved" in Client().get(board(w.link)).content.decode()


def test_the_shot_page_plays_finished_videos_circled_first(w):
    html = Client().get(shot_url(w.link, w.shot)).content.decode()
    circled, second = media(w.link, w.take), media(w.link, w.second)
    assert circled in html and second in html
    assert html.index(circled) < html.index(second)
    assert media(w.link, w.frame) not in html and media(w.link, w.failed) not in html
    # read-only: no edit control of the studio, only the guest's comment forms
    assert "Delete" not in html and "Edit" not in html and "circle/" not in html


def test_media_is_private_and_served_only_through_the_link(w):
    guest = Client()
    response = guest.get(media(w.link, w.take), headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == bytes(range(10))
    assert response["Cache-Control"] == "private, no-store"
    hero = guest.get(reverse("review:hero", args=[w.link.token, w.shot.pk]))
    assert hero.status_code == 200 and hero["Cache-Control"] == "private, no-store"
    # The studio's own media URL is closed to the guest.
    studio = guest.get(reverse("projects:take-media", args=[w.project.pk, w.take.pk, "video.mp4"]))
    assert studio.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        lambda w: shot_url(w.link, w.other_scene_shot),
        lambda w: shot_url(w.link, w.other_project_shot),
        lambda w: media(w.link, w.other_take),
        lambda w: media(w.link, w.foreign_take),
        lambda w: media(w.link, w.frame),
        lambda w: media(w.link, w.failed),
        lambda w: media(w.link, w.take, "nope.exe"),
        lambda w: reverse("review:hero", args=[w.link.token, w.other_scene_shot.pk]),
        lambda w: reverse("review:board", args=["x" * 43]),
        lambda w: reverse("review:shot", args=["not-a-token", w.shot.pk]),
    ],
    ids=[
        "other scene's shot",
        "other project's shot",
        "other scene's take",
        "other project's take",
        "frame take",
        "unfinished take",
        "unknown file",
        "other scene's hero",
        "unknown token",
        "wrong token",
    ],
)
def test_anything_outside_the_link_is_404(w, url):
    assert Client().get(url(w)).status_code == 404


def test_a_password_locks_every_page_until_unlocked(w):
    link = review_link_create(project=w.project, created_by=w.owner, password="lamp post")
    guest = Client()
    for url in (board(link), shot_url(link, w.shot), media(link, w.take)):
        response = guest.get(url)
        assert response.status_code == 401, url
        assert b'name="password"' in response.content
    unlock = reverse("review:unlock", args=[link.token])
    wrong = guest.post(unlock, {"password": "lamp"})
    assert wrong.status_code == 422
    assert "That password is not right." in wrong.content.decode()
    assert guest.get(board(link)).status_code == 401
    assert guest.post(unlock, {"password": "lamp post"}).status_code == 302
    assert guest.get(board(link)).status_code == 200
    assert guest.get(media(link, w.take)).status_code == 200
    assert Client().get(board(link)).status_code == 401  # another guest's session is still locked


def test_a_guest_comment_shows_on_the_members_side_as_a_guest(w, client):
    guest = Client()
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    response = guest.post(url, {"guest_name": "Ann Client", "body": "Warmer light, please."})
    assert response.status_code == 302
    comment = Comment.objects.get(body="Warmer light, please.")
    assert comment.review_link == w.link and comment.author is None
    assert comment.who == "Ann Client (guest)"
    # The name is remembered for the next comment.
    assert 'value="Ann Client"' in guest.get(shot_url(w.link, w.shot)).content.decode()
    client.force_login(w.members["viewer"])
    member_page = client.get(reverse("projects:shot", args=[w.project.pk, w.shot.pk]))
    assert member_page.status_code == 200
    # the comments section is another engineer's; the service's record is what they show
    assert Comment.objects.filter(shot=w.shot, guest_name="Ann Client").count() == 1


def test_a_guest_note_at_a_moment_on_a_take(w):
    guest = Client()
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    data = {"guest_name": "Ann", "body": "Hand too early", "take": w.take.pk, "at_seconds": "0.5"}
    assert guest.post(url, data).status_code == 302
    note = Comment.objects.get(body="Hand too early")
    assert note.take == w.take and note.at_seconds == pytest.approx(0.5, abs=0.1)
    html = guest.get(shot_url(w.link, w.shot)).content.decode()
    assert "Hand too early" in html and "Ann (guest)" in html and "take 1" in html


@pytest.mark.parametrize(
    "data, field",
    [
        ({"guest_name": "", "body": "Who am I?"}, "Type your name"),
        ({"guest_name": "Ann", "body": ""}, ""),
        ({"guest_name": "Ann", "body": "x", "at_seconds": "soon"}, "number of seconds"),
        ({"guest_name": "Ann", "body": "x", "take": "999999"}, "not in this review"),
        ({"guest_name": "Ann", "body": "x", "drawing": "{oops"}, "could not be read"),
    ],
)
def test_a_bad_comment_is_422_with_a_message(w, data, field):
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    response = Client().post(url, data)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not Comment.objects.exists()


def test_a_take_of_another_scene_cannot_carry_a_note(w):
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    data = {"guest_name": "Ann", "body": "x", "take": w.other_take.pk}
    assert Client().post(url, data).status_code == 422
    assert (
        Client()
        .post(
            reverse("review:comments", args=[w.link.token, w.other_scene_shot.pk]),
            {"guest_name": "Ann", "body": "x"},
        )
        .status_code
        == 404
    )
    assert not Comment.objects.exists()


def test_comments_off_means_no_form_and_no_comment(w):
    link = review_link_create(project=w.project, created_by=w.owner, allow_comments=False)
    guest = Client()
    assert b"review-comment-form" not in guest.get(shot_url(link, w.shot)).content
    url = reverse("review:comments", args=[link.token, w.shot.pk])
    assert guest.post(url, {"guest_name": "Ann", "body": "x"}).status_code == 403
    assert not Comment.objects.exists()


def test_views_count_once_per_guest_session_through_the_beacon(w):
    guest = Client()
    page = guest.get(board(w.link)).content.decode()
    seen = reverse("review:seen", args=[w.link.token])
    assert f'action="{seen}"' in page and "data-review-seen" in page
    w.link.refresh_from_db()
    assert w.link.views == 0  # the GET wrote nothing
    assert guest.post(seen).status_code == 204
    assert guest.post(seen).status_code == 204
    assert Client().post(seen).status_code == 204
    w.link.refresh_from_db()
    assert w.link.views == 2 and w.link.last_viewed_at is not None
    first_use = Activity.objects.filter(summary__contains="opened for the first time")
    assert first_use.count() == 1


def test_the_rate_limit_answers_429(w, settings):
    settings.REVIEW_LINK_RATES = {"page": (3, 600), "comment": (2, 600)}
    guest = Client()
    assert [guest.get(board(w.link)).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert guest.get(media(w.link, w.take)).status_code == 429
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    codes = [guest.post(url, {"guest_name": "A", "body": f"c{n}"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Comment.objects.count() == 2
    # another link is counted apart
    assert guest.get(board(w.whole_link)).status_code == 200


def test_csrf_applies_to_guest_posts(w):
    guest = Client(enforce_csrf_checks=True)
    url = reverse("review:comments", args=[w.link.token, w.shot.pk])
    assert guest.post(url, {"guest_name": "A", "body": "forged"}).status_code == 403
    assert not Comment.objects.exists()


def _comments(w, n: int) -> None:
    Comment.objects.bulk_create(
        Comment(project=w.project, shot=w.shot, author=w.owner, body=f"note {i}") for i in range(n)
    )
    comment_add(shot=w.shot, body="a guest", guest_name="Ann", review_link=w.link)


@pytest.mark.parametrize("many", [10, 1000])
def test_the_guest_pages_cost_the_same_queries_whatever_the_history(
    w, many, django_assert_num_queries
):
    _comments(w, many)
    for _ in range(many // 10):
        Activity.objects.create(project=w.project, kind=ActivityKind.COMMENTED, summary="x")
    guest = Client()
    guest.get(board(w.link))  # the session exists from now on
    with django_assert_num_queries(3):
        assert guest.get(board(w.link)).status_code == 200
    with django_assert_num_queries(4):
        html = guest.get(shot_url(w.link, w.shot)).content.decode()
    assert html.count('class="review-comment"') == many + 1


def test_revoke_is_idempotent_and_recorded_once(w):
    review_link_revoke(link=w.link, revoked_by=w.owner)
    review_link_revoke(link=w.link, revoked_by=w.owner)
    assert Activity.objects.filter(summary__contains="revoked").count() == 1
