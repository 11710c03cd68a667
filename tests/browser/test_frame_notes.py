"""A frame note in Chromium: a box drawn at 2.5 s on a real take is saved, and after a reload
its marker on the timeline takes the player back to 2.5 s with the box over the picture
(static/js/frame-notes.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Comment, Take
from tests.browser.test_compare import filmed_take
from tests.browser.test_compare import shot as shot  # the fixture
from tests.browser.test_storyboard_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "document.querySelector('.take-review video')"


def test_a_box_drawn_at_2_5_s_comes_back_from_its_marker(page, shot, tmp_path):
    take = filmed_take(shot, 1, tmp_path)
    Take.objects.filter(pk=take.pk).update(fps=24, duration_seconds=12)
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    page.get_by_role("link", name="Review and notes on take 1").click()
    expect(page.get_by_role("heading", name="Review take 1 of shot 1A")).to_be_visible()
    page.wait_for_function(f"() => {VIDEO}.readyState >= 2", timeout=30_000)

    page.evaluate(f"() => {{ {VIDEO}.currentTime = 2.5; }}")
    expect(page.get_by_text("Note at 2.50 s (frame 60)")).to_be_visible()
    page.get_by_role("button", name="Box").click()
    overlay = page.locator(".take-review svg.overlay").bounding_box()
    page.mouse.move(overlay["x"] + overlay["width"] * 0.2, overlay["y"] + overlay["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(overlay["x"] + overlay["width"] * 0.4, overlay["y"] + overlay["height"] * 0.5)
    page.mouse.move(overlay["x"] + overlay["width"] * 0.6, overlay["y"] + overlay["height"] * 0.7)
    page.mouse.up()
    page.get_by_label("Note at 2.50 s (frame 60)").fill("The lamp flickers here")
    page.get_by_role("button", name="Save note").click()
    marker = page.get_by_role("button", name="Note at 2.50 s by mara")
    expect(marker).to_be_visible()
    note = Comment.objects.get()
    assert (note.at_seconds, note.at_frame, note.drawing["shape"]) == (2.5, 60, "box")
    (x1, y1), (x2, y2) = note.drawing["points"]
    assert (x1, y1, x2, y2) == pytest.approx((0.2, 0.3, 0.6, 0.7), abs=0.01)

    page.reload()
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1", timeout=30_000)
    assert page.evaluate(f"() => {VIDEO}.currentTime") == 0
    expect(page.locator(".take-review svg.overlay rect")).to_have_count(0)
    page.get_by_role("button", name="Note at 2.50 s by mara").click()
    page.wait_for_function(f"() => {VIDEO}.currentTime === 2.5 && !{VIDEO}.seeking")
    box = page.locator(".take-review svg.overlay g.shown rect")
    expect(box).to_have_count(1)
    assert float(box.get_attribute("x")) == pytest.approx(0.2, abs=0.01)
    assert float(box.get_attribute("width")) == pytest.approx(0.4, abs=0.01)
    expect(page.get_by_text("Note at 2.50 s (frame 60)")).to_be_visible()

    # The keyboard: "." steps one frame (1/24 s), "[" goes back to the note.
    page.locator("body").press(".")
    page.wait_for_function(f"() => Math.abs({VIDEO}.currentTime - (2.5 + 1 / 24)) < 1e-3")
    page.locator("body").press("[")
    page.wait_for_function(f"() => {VIDEO}.currentTime === 2.5")
    review = reverse("projects:take-review", args=[shot.project_id, take.pk])
    assert page.url.endswith(review)
    assert page.csp_violations == []
