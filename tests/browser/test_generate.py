"""Generate in Chromium with a real worker: progress on the take card, then a video that plays."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from projects.images import clean_uploaded_image
from projects.services.shot_media import shot_set_hero_frame
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory
from tests.support.workers import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

FRAME_AT = """async (video, t) => {
  await new Promise((done) => {
    video.addEventListener("seeked", done, { once: true });
    video.currentTime = t;
  });
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 36;
  const context = canvas.getContext("2d");
  context.drawImage(video, 0, 0, 64, 36);
  return Array.from(context.getImageData(0, 0, 64, 36).data);
}"""


def checkerboard() -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 360), (20, 30, 60))
    draw = ImageDraw.Draw(image)
    for x in range(0, 640, 40):
        for y in range(0, 360, 40):
            if (x + y) // 40 % 2:
                draw.rectangle([x, y, x + 39, y + 39], fill=(230, 180, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("board.png", buffer.getvalue(), content_type="image/png")


def test_generate_shows_progress_then_a_video_that_plays(page, tmp_path):
    membership = MembershipFactory(user=UserFactory(username="mara"), role="editor")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    shot = ShotFactory(
        scene=scene, label="1A", duration_seconds=3, resolution="preview", dolly=8, pan=5
    )
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(checkerboard()))

    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "worker.log"):
        sign_in(page)
        page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
        page.get_by_role("button", name="Generate on Previz · free").click()
        expect(page.get_by_text("Take 1 of shot 1A is on its way.")).to_be_visible()
        card = page.locator(".take-card").first
        expect(card).to_contain_text("Take 1")
        # The card polls the database until the take is finished, then stops polling.
        # A real render by a real worker: on CI's busy two cores it has taken over 90 s.
        expect(card).to_have_attribute("data-state", "succeeded", timeout=180_000)
        expect(card).not_to_have_attribute("hx-trigger", "every 2s")

    video = card.locator("video")
    expect(video).to_be_visible()
    video.evaluate("v => v.load()")
    page.wait_for_function(
        "v => v.readyState >= 1 && v.duration > 0", arg=video.element_handle(), timeout=30_000
    )
    assert abs(video.evaluate("v => v.duration") - 3) < 0.2
    early = video.evaluate(FRAME_AT, 0.1)
    late = video.evaluate(FRAME_AT, 2.8)
    difference = sum(abs(a - b) for a, b in zip(early, late, strict=True)) / len(early)
    assert difference > 2, "the camera move should change the picture over the clip"

    video.evaluate("v => { v.muted = true; v.currentTime = 0; return v.play(); }")
    page.wait_for_function("v => v.currentTime > 0.5", arg=video.element_handle())

    card.get_by_role("button", name="Circle this take").click()
    expect(page.get_by_text("Take 1 is circled for shot 1A.")).to_be_visible()
    page.goto(f"/projects/{shot.project_id}/")
    expect(page.get_by_alt_text("Circled take of shot 1A")).to_be_visible()
    assert page.csp_violations == []
