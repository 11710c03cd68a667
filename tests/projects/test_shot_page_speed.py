"""The shot page at studio speed (issue 15): a fixed number of queries however many takes, and
markup built once per version of the shot and of each take, shared without sharing anyone's
CSRF token or rights (templatetags/fragments.py)."""

import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from projects.models import Take, TakeState
from tests.projects.test_shot_page_shared import builds
from tests.projects.test_take_views import make_take

pytestmark = pytest.mark.usefixtures("empty_cache")

__all__ = ["builds"]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADER_TOKEN = re.compile(rb'"X-CSRFToken": "([^"]+)"')


def page(client, shot):
    response = client.get(reverse("projects:shot", args=[shot.project_id, shot.pk]))
    assert response.status_code == 200
    return response


def without_tokens(html: bytes) -> bytes:
    return HEADER_TOKEN.sub(b"TOKEN", TOKEN.sub(b"TOKEN", html))


def test_queries_do_not_grow_with_the_takes(client, editor, shot, django_assert_max_num_queries):
    make_take(shot, 1)
    client.force_login(editor)
    page(client, shot)
    with django_assert_max_num_queries(14):
        page(client, shot)
    for number, state in enumerate(
        [TakeState.SUCCEEDED, TakeState.FAILED, TakeState.QUEUED, TakeState.REJECTED], start=2
    ):
        make_take(shot, number, state)
    cache.clear()  # the cold page too
    with django_assert_max_num_queries(14):
        page(client, shot)


def test_the_shared_markup_is_the_markup_built_fresh(client, editor, shot):
    make_take(shot, 1, progress=40)
    make_take(shot, 2, TakeState.FAILED, error_message="The provider refused it.")
    client.force_login(editor)
    fresh = page(client, shot).content
    shared = page(client, shot).content
    assert b"The provider refused it." in shared
    assert without_tokens(shared) == without_tokens(fresh)


def test_each_visitor_gets_their_own_csrf_token(client, editor, owner, shot):
    make_take(shot, 1, progress=40)
    client.force_login(owner)
    first = page(client, shot)
    client.force_login(editor)
    second = page(client, shot)

    secret = second.wsgi_request.META["CSRF_COOKIE"]
    tokens = TOKEN.findall(second.content)
    assert len(tokens) > 3  # the editor form, the take card's Cancel, Generate…
    assert {_unmask_cipher_token(token.decode()) for token in tokens} == {secret}
    assert not set(tokens) & set(TOKEN.findall(first.content))


def test_a_viewer_never_gets_an_editors_markup(client, editor, viewer, shot):
    make_take(shot, 1, progress=40)
    client.force_login(editor)
    assert b">Cancel</button>" in page(client, shot).content
    assert b'id="save-shot"' in page(client, shot).content

    client.force_login(viewer)
    html = page(client, shot).content
    assert b">Cancel</button>" not in html
    assert b'id="save-shot"' not in html


def test_a_take_moved_by_a_worker_shows_its_new_state(client, editor, shot):
    take = make_take(shot, 1, progress=40)
    client.force_login(editor)
    assert b'value="40"' in page(client, shot).content
    # Workers write with update(): no updated_at, no signal; the card still moves.
    Take.objects.filter(pk=take.pk).update(progress=70)
    html = page(client, shot).content
    assert b'value="70"' in html
    assert b'value="40"' not in html


def test_a_shot_saved_elsewhere_shows_its_new_values(client, editor, shot):
    client.force_login(editor)
    assert b"A lamp in the dark" not in page(client, shot).content
    type(shot).objects.filter(pk=shot.pk).update(subject="A lamp in the dark")
    assert b"A lamp in the dark" in page(client, shot).content


def test_a_refused_save_shows_the_typed_values_and_errors(client, editor, shot):
    client.force_login(editor)
    page(client, shot)  # the blank editor is now in the cache
    url = reverse("projects:shot", args=[shot.project_id, shot.pk])
    response = client.post(url, {"label": "", "subject": "Typed and kept", "duration_seconds": "x"})
    assert response.status_code == 422
    assert b"Typed and kept" in response.content
    assert b"Nothing was saved" in response.content


def test_a_second_visit_builds_no_markup_again(client, editor, shot, builds):
    make_take(shot, 1, progress=40)
    make_take(shot, 2, TakeState.SUCCEEDED)
    client.force_login(editor)
    built = builds
    page(client, shot)
    assert sorted(built) == sorted(
        [
            "shot-page",
            "shot-form",
            "take-card",
            "take-card",
            "shot-preview",
            "shot-presets",
            "shot-references",
        ]
    )
    built.clear()
    page(client, shot)
    assert built == []
