"""Hero Frame First in Chromium with a real worker: candidates from previz-still side by side,
one picked, and it becomes the shot's hero frame."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import RateCard, Shot, TakeKind
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory
from tests.support.workers import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_generate_candidates_and_use_one_as_the_hero_frame(page, tmp_path):
    RateCard.objects.create(
        model="previz-still",
        resolution="*",
        unit="image",
        price=Decimal("0"),
        effective=timezone.localdate(),
        source="local renderer: free",
    )
    membership = MembershipFactory(user=UserFactory(username="mara"), role="editor")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    shot = ShotFactory(scene=scene, label="1A", subject="A keeper on the lighthouse gallery")

    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "worker.log"):
        sign_in(page)
        page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
        panel = page.locator("#frames")
        # The panel loads after the page (with the comments and the live board's first poll):
        # on a busy machine that can take longer than an assertion's usual 5 s.
        expect(panel.get_by_label("Still model")).to_contain_text(
            "Previz still · free", timeout=20_000
        )
        panel.get_by_label("Candidates").select_option("3")
        panel.get_by_role("button", name="Generate candidates").click()
        expect(panel.get_by_text("Asked for 3 candidates (take 1, 2, 3).")).to_be_visible()
        candidates = page.locator(".frame-candidate")
        expect(candidates).to_have_count(3)
        # The list polls the database until every candidate is ready, then stops polling.
        for index in range(3):
            expect(candidates.nth(index)).to_have_attribute(
                "data-state", "succeeded", timeout=60_000
            )
        expect(page.locator("#frame-candidates")).not_to_have_attribute("hx-trigger", "every 2s")

    boxes = [candidates.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"], "candidates sit side by side"
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    for index in range(3):
        image = candidates.nth(index).locator("img")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 0

    second = candidates.nth(1)
    second_id = second.get_attribute("id")
    second.get_by_role("button", name="Use as hero frame").click()
    expect(page.get_by_text("Take 2 is now the hero frame of 1A.")).to_be_visible()
    expect(page.get_by_alt_text("Hero frame of shot 1A")).to_be_visible()
    chosen = page.locator(f"#{second_id}")
    expect(chosen).to_have_class(re.compile(r"\bframe-chosen\b"))
    expect(chosen).to_contain_text("hero frame")
    expect(chosen.get_by_role("button", name="Use as hero frame")).to_have_count(0)

    shot = Shot.objects.get(pk=shot.pk)
    assert shot.hero_frame and (shot.hero_width, shot.hero_height) == (1280, 720)
    assert shot.takes.filter(kind=TakeKind.FRAME, state="succeeded").count() == 3
