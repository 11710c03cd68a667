"""The suite keeps up with the studio: every route it cannot fill, every POST endpoint it has
no hostile case for, and every id in a URL that is not 64-bit fails here by name."""

from unittest import mock

import pytest

from .harness import Case, fill, routes, run
from .test_webhooks import WEBHOOK_ROUTES

pytestmark = pytest.mark.django_db
# POST endpoints whose cases are written by hand rather than found in a page's forms.
HAND_WRITTEN = set(WEBHOOK_ROUTES) | {
    # test_continuations_and_frames.py: the world has no take that shows these buttons.
    "projects:take-extend",
    "projects:take-draft",
    "projects:frame-use",
    # test_review.py: only a password-locked link's page shows it, and the crawl opens one link.
    "review:unlock",
    # test_prompt_templates.py: only staff see the studio's revert forms; the crawl is the owner.
    "studio:prompt-template-revert",
}


def test_every_route_can_be_filled(world):
    missing = []
    for route in routes():
        try:
            fill(route, world)
        except LookupError as error:
            missing.append(str(error))
    assert missing == [], "teach tests/hostile/harness.py (WORDS, World.ids) these: " + "; ".join(
        missing
    )


def test_every_post_endpoint_has_hostile_cases(world):
    posted_by_forms = {form.route for form in world.forms if form.method == "post"}
    uncovered = [
        name
        for name, methods in sorted(world.methods.items())
        if "POST" in methods and name not in posted_by_forms | HAND_WRITTEN
    ]
    assert uncovered == [], (
        "no page renders a form for these POST endpoints, and no hand-written hostile case "
        f"covers them: {uncovered}"
    )


def test_every_id_in_a_url_is_a_64_bit_id():
    loose = [
        f"{route.name} <{name}>"
        for route in routes()
        for name, kind in zip(route.kwargs, route.converters, strict=True)
        if name.endswith("_id") and kind != "IdConverter"
    ]
    assert loose == [], f"use <id:...> (projects/ids.py) for these: {loose}"


def test_the_harness_sees_a_refusal_that_changed_something(world):
    """The checks can fail: a case wrongly taken for a refusal that does save is caught."""
    url = f"/projects/{world.project.pk}/scenes/new/"
    sneaky = Case("owner", "POST", url, {"new-scene-title": "Sneaked in"}, refused=True)
    with pytest.raises(AssertionError, match=r"yet changed \['projects.Scene'"):
        run(world, sneaky, "harness")


def test_the_harness_sees_a_server_error(world):
    url = f"/projects/{world.project.pk}/"
    with (
        mock.patch("projects.views.storyboard.storyboard_scenes", side_effect=RuntimeError),
        pytest.raises(AssertionError, match="server error for owner GET"),
    ):
        run(world, Case("owner", "GET", url), "harness")
