"""Hand-written hostile cases for the guests' review pages: the password form (only a locked
link's page shows it, so the crawl never finds it), and every POST of a guest with hostile
fields, on the open, the locked and the revoked link and on a token that is no link. Never a
server error; a refusal saves nothing (harness.run checks both)."""

import pytest

from projects.models import Comment

from .harness import Case, run
from .values import CLASSICS, HUGE_NUMBER
from .world import REVIEW_GONE_TOKEN, REVIEW_LOCKED_TOKEN, REVIEW_PASSWORD, REVIEW_TOKEN, ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
MISSING_ID = 9_000_000_000_000_000_000
TOKENS = (REVIEW_TOKEN, REVIEW_LOCKED_TOKEN, REVIEW_GONE_TOKEN, "0" * 43, "é" * 500)


@pytest.mark.parametrize("role", ROLES)
def test_the_password_form_posted_wrong(world, role):
    statuses = set()
    for token in TOKENS:
        url = f"/review/{token}/unlock/"
        for password in ("", "lamp", *CLASSICS[::4], ["a", "b"]):
            data = {"password": password}
            response = run(world, Case(role, "POST", url, data, refused=True), "hand-written")
            statuses.add(response.status_code)
    assert statuses <= {302, 404, 410, 422}, statuses
    right = f"/review/{REVIEW_LOCKED_TOKEN}/unlock/"
    response = run(world, Case(role, "POST", right, {"password": REVIEW_PASSWORD}), "hand-written")
    assert response.status_code == 302


HOSTILE_COMMENTS = [
    {"guest_name": "", "body": "x"},
    {"guest_name": "x" * 81, "body": "x"},
    {"guest_name": "Ann", "body": "x" * 5000},
    {"guest_name": "Ann", "body": "x", "at_seconds": "1e308"},
    {"guest_name": "Ann", "body": "x", "at_seconds": "nan"},
    {"guest_name": "Ann", "body": "x", "at_seconds": "-1"},
    {"guest_name": "Ann", "body": "x", "at_seconds": HUGE_NUMBER},
    {"guest_name": "Ann", "body": "x", "take": HUGE_NUMBER},
    {"guest_name": "Ann", "body": "x", "take": str(MISSING_ID)},
    {"guest_name": "Ann", "body": "x", "parent": str(MISSING_ID)},
    {"guest_name": "Ann", "body": "x", "parent": "-1"},
    {"guest_name": "Ann", "body": "x", "drawing": "[]"},
    {"guest_name": "Ann", "body": "x", "drawing": '"box"'},
    {"guest_name": "Ann", "body": "x", "drawing": '{"shape": "path", "points": [[1e308, 0]]}'},
    {"guest_name": "Ann", "body": "x", "drawing": "[" * 5000 + "]" * 5000},
    {"guest_name": "Ann", "body": "x", "drawing": '{"shape": "box", "points": "xy"}'},
]


@pytest.mark.parametrize("role", ROLES)
def test_guest_comments_posted_wrong(world, role):
    statuses = set()
    take = world.takes["succeeded"]
    for n, data in enumerate(HOSTILE_COMMENTS):
        token = TOKENS[n % len(TOKENS)] if n % 3 == 0 else REVIEW_TOKEN
        shot = world.ids["shot_id"][n % len(world.ids["shot_id"])]
        if {"drawing", "at_seconds"} & set(data):  # a moment and a drawing are on a take
            shot, data = take.shot_id, {"take": str(take.pk), **data}
        url = f"/review/{token}/shots/{shot}/comments/"
        case = Case(role, "POST", url, dict(data), refused=True)
        statuses.add(run(world, case, "hand-written").status_code)
    assert statuses <= {401, 404, 410, 422}, statuses


def test_a_take_outside_the_shot_cannot_carry_a_note(world):
    first, other = world.shots[0], world.shots[2]
    take = world.takes["succeeded"]
    url = f"/review/{REVIEW_TOKEN}/shots/{other.pk}/comments/"
    data = {"guest_name": "Ann", "body": "x", "take": str(take.pk), "at_seconds": "0.5"}
    response = run(world, Case("anonymous", "POST", url, data, refused=True), "hand-written")
    assert response.status_code == 422
    # and on its own shot it is a note at that moment
    url = f"/review/{REVIEW_TOKEN}/shots/{first.pk}/comments/"
    response = run(world, Case("anonymous", "POST", url, data), "hand-written")
    assert response.status_code == 302
    assert not Comment.objects.filter(guest_name="Ann").exists()  # rolled back by the case


@pytest.mark.parametrize("role", ROLES)
def test_the_view_beacon_on_every_link(world, role):
    statuses = {}
    for token in TOKENS:
        response = run(world, Case(role, "POST", f"/review/{token}/seen/", {}), "hand-written")
        statuses[token] = response.status_code
    assert statuses[REVIEW_TOKEN] == 204
    assert statuses[REVIEW_LOCKED_TOKEN] == 401
    assert statuses[REVIEW_GONE_TOKEN] == 410
