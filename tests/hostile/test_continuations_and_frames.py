"""Hand-written hostile cases for the buttons only some takes show (Extend on a ready Veo take,
Draft first on a Seedance shot, Use as hero frame on a ready candidate): the world has no such
take, so no page renders their forms. Every visitor, on every take and shot of the world and
on ids that are not there, with hostile fields: never a server error, and a refusal saves
nothing (harness.run checks both)."""

import pytest

from .harness import Case, run
from .world import ROLES

pytestmark = pytest.mark.django_db

HOSTILE_DATA = ({}, {"next": "javascript:alert(1)", "count": "-1", "model": "sora-2"})
MISSING_ID = 9_000_000_000_000_000_000  # a 64-bit id no row has


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["extend", "use"])
def test_take_buttons_on_every_take(world, role, action):
    base = f"/projects/{world.project.pk}"
    urls = {
        "extend": [f"{base}/takes/{pk}/extend/" for pk in world.ids["take_id"] + [MISSING_ID]],
        "use": [f"{base}/frames/{pk}/use/" for pk in world.ids["take_id"] + [MISSING_ID]],
    }[action]
    statuses = set()
    for url in urls:
        for data in HOSTILE_DATA:
            response = run(world, Case(role, "POST", url, dict(data), refused=True), "hand-written")
            statuses.add(response.status_code)
    # None of the world's takes is a ready Veo clip or a ready candidate: all are refused.
    assert statuses and all(300 <= status < 500 for status in statuses), statuses


@pytest.mark.parametrize("role", ROLES)
def test_draft_first_on_every_shot(world, role):
    base = f"/projects/{world.project.pk}"
    statuses = set()
    for pk in world.ids["shot_id"] + [MISSING_ID]:
        for data in HOSTILE_DATA:
            url = f"{base}/shots/{pk}/takes/draft/"
            response = run(world, Case(role, "POST", url, dict(data), refused=True), "hand-written")
            statuses.add(response.status_code)
    # No shot of the world targets a model with a draft mode: every ask is refused.
    assert statuses and all(300 <= status < 500 for status in statuses), statuses
