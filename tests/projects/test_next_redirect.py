"""Where a take action sends you back to: only pages of this site (no open redirect)."""

import pytest
from django.urls import reverse

from projects.models import TakeState
from tests.projects.test_take_views import make_take


@pytest.fixture
def circle(client, editor, project, shot):
    take = make_take(shot, state=TakeState.SUCCEEDED)
    client.force_login(editor)
    url = reverse("projects:take-action", args=[project.pk, take.pk, "circle"])
    back = reverse("projects:shot", args=[project.pk, shot.pk]) + "#takes"
    return lambda next_url: client.post(url, {"next": next_url}), back


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example",
        "//evil.example/path",
        "javascript:alert(1)",
        "JAVASCRIPT:alert(document.cookie)",
        "https:\\\\evil.example",
        "http://testserver.evil.example/",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_foreign_or_script_next_goes_back_to_the_shot(circle, hostile):
    post, back = circle
    response = post(hostile)
    assert response.status_code == 302
    assert response["Location"] == back


def test_a_page_of_this_site_is_honoured(circle, project):
    post, _ = circle
    queue = reverse("projects:queue", args=[project.pk])
    assert post(queue)["Location"] == queue
    assert post(f"http://testserver{queue}")["Location"] == f"http://testserver{queue}"


def test_no_next_goes_back_to_the_shot(circle):
    post, back = circle
    assert post("")["Location"] == back
