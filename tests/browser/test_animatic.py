"""The animatic in Chromium (static/js/animatic.js): a scene of a filmed shot, a hero frame and
an empty shot plays in order on one timeline, with the take's sound; the keys, the shot list,
the scrubber, the overlays and the loop move it as a filmmaker expects."""

import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Shot
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import (
    MembershipFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    image_bytes,
    paid_take,
)
from tests.support.axe import describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 30_000  # the CI machine is busy: media and frames may come late
VIDEO = "document.querySelector('.animatic video')"


def video_with_sound(path: Path, seconds: int) -> Path:
    """A small real H.264 + AAC MP4: a test pattern and a tone."""
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-v", "error", "-y"),
            *("-f", "lavfi", "-i", "testsrc=size=320x180:rate=24"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"),
            *("-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"),
            *("-movflags", "+faststart", str(path)),
        ],
        check=True,
    )
    return path


@pytest.fixture
def scene(tmp_path):
    """Scene 1: 1A filmed (2 s on the board, its take 4 s long), 1B a hero frame (2 s), 1C
    nothing yet (1 s): a title card."""
    membership = MembershipFactory(user=UserFactory(username="mara"), role="viewer")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    filmed = ShotFactory(scene=scene, label="1A", duration_seconds=2)
    take = paid_take(filmed, number=3)
    with video_with_sound(tmp_path / "take3.mp4", 4).open("rb") as handle:
        take.video.save("take3.mp4", File(handle), save=True)
    Shot.objects.filter(pk=filmed.pk).update(circled_take=take)
    framed = ShotFactory(scene=scene, label="1B", duration_seconds=2)
    framed.hero_frame.save("hero.jpg", ContentFile(image_bytes("JPEG", (320, 180))), save=True)
    ShotFactory(scene=scene, label="1C", duration_seconds=1, action="The lamp goes out")
    return scene


def test_a_scene_plays_in_order_and_the_keys_move_it(page, scene):
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page)
    page.goto(reverse("projects:storyboard", args=[scene.project_id]))
    page.get_by_role("link", name="Play scene 1 as an animatic").click()
    expect(page.get_by_role("heading", name="Animatic of scene 1: Cliffs")).to_be_visible()
    label = page.locator(".overlay-label [data-shot-label]")
    scrubber = page.get_by_role("slider", name="Position in the animatic")
    current = page.locator("[data-shot-row][aria-current=true]")
    expect(label).to_have_text("1A")
    expect(current).to_contain_text("take 3")
    expect(page.locator("[data-total]")).to_have_text("00:00:05:00")
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1", timeout=WAIT)

    # Space plays: the take runs with its sound, then the cut moves on to the hero frame
    # when the shot's 2 s are over, though the take is 4 s long.
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_function(
        f"() => !{VIDEO}.paused && !{VIDEO}.muted && {VIDEO}.currentTime > 0", timeout=WAIT
    )
    expect(label).to_have_text("1B", timeout=WAIT)
    expect(current).to_contain_text("hero frame")
    assert page.evaluate(f"() => {VIDEO}.paused && {VIDEO}.hidden && !{VIDEO}.ended")
    hero = page.get_by_role("img", name="Hero frame of shot 1B")
    expect(hero).to_be_visible()
    # The held frame pushes in slowly.
    page.wait_for_function(
        "() => new DOMMatrix(getComputedStyle(document.querySelector('.layer-frame')).transform).a"
        " > 1.005",
        timeout=WAIT,
    )

    # Paused, the arrows jump from shot start to shot start.
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(label).to_have_text("1C")
    expect(scrubber).to_have_attribute("aria-valuetext", "00:00:04:00, shot 1C")
    card = page.locator(".layer-title:not([hidden])")
    expect(card).to_contain_text("1C")
    expect(card).to_contain_text("The lamp goes out")
    expect(current).to_contain_text("title card")
    page.keyboard.press("ArrowLeft")
    expect(scrubber).to_have_attribute("aria-valuetext", "00:00:02:00, shot 1B")
    page.keyboard.press("ArrowLeft")
    expect(scrubber).to_have_attribute("aria-valuetext", "00:00:00:00, shot 1A")

    # The shot list and the scrubber seek across shots.
    page.locator("[data-shot-row]", has_text="1C").click()
    expect(label).to_have_text("1C")
    box = scrubber.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    expect(label).to_have_text("1B")  # 2.5 s of 5
    expect(page.locator(".overlay-timecode")).to_have_text(
        page.locator("[data-clock]").inner_text()
    )

    # The overlays come off and back on.
    overlays = page.get_by_label("Label and timecode on the picture")
    overlays.uncheck()
    expect(page.locator(".overlay-label")).to_be_hidden()
    expect(page.locator(".overlay-timecode")).to_be_hidden()
    overlays.check()
    expect(page.locator(".overlay-label")).to_be_visible()

    # Looped, the end of the scene plays on from its first shot.
    page.get_by_label("Loop the scene").check()
    page.get_by_role("button", name="Next shot").click()
    expect(label).to_have_text("1C")
    page.get_by_role("button", name="Play").click()
    expect(label).to_have_text("1A", timeout=WAIT)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_function(f"() => !{VIDEO}.paused", timeout=WAIT)
    page.get_by_role("button", name="Pause").click()

    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert errors == [] and page.csp_violations == []


def test_an_empty_scene_leads_back_to_the_board(page, scene):
    empty = SceneFactory(project=scene.project, number=2, title="Harbour")
    sign_in(page)
    page.goto(f"{reverse('projects:animatic', args=[scene.project_id])}?scene={empty.pk}")
    expect(page.get_by_text("No shots yet in this scene")).to_be_visible()
    page.get_by_role("link", name="Back to the board").click()
    expect(page.get_by_role("heading", name=scene.project.name)).to_be_visible()
