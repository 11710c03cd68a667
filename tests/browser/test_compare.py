"""Comparing takes side by side in Chromium: two real H.264 takes play, seek and pause together
(static/js/sync-play.js, the first take leads), a shared position moves both, and the one
circled there is the storyboard's."""

from pathlib import Path

import pytest
from django.core.files import File
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Shot, Take
from providers.core.media import extract_poster
from providers.previz.render import RenderJob, render_previz
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory, paid_take

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIP_SECONDS = 12  # room for every step below before the takes reach their end
IN_SYNC = 0.25  # seconds apart the two pictures may be and still read as one moment

VIDEOS = "[...document.querySelectorAll('video.sync')]"
PLAYING_TOGETHER = """([past, in_sync]) => {
  const [lead, follower] = document.querySelectorAll("video.sync");
  return !lead.paused && !follower.paused && lead.currentTime > past
    && Math.abs(lead.currentTime - follower.currentTime) < in_sync;
}"""
# The widest gap between the takes, sampled every painted frame (not on the lead's timeupdate,
# where the sync script has just nudged the follower) while the lead plays `seconds` more.
WIDEST_GAP_OVER = """(seconds) => new Promise((done, fail) => {
  const [lead, follower] = document.querySelectorAll("video.sync");
  const until = lead.currentTime + seconds;
  const from = follower.currentTime;
  let widest = 0;
  const stuck = () => fail(new Error("the lead stopped at " + lead.currentTime));
  const give_up = setTimeout(stuck, 20000);
  (function sample() {
    widest = Math.max(widest, Math.abs(lead.currentTime - follower.currentTime));
    if (lead.currentTime < until) return requestAnimationFrame(sample);
    clearTimeout(give_up);
    done({ widest, follower_moved: follower.currentTime - from });
  })();
})"""


def wait_playing_together(page, past: float) -> None:
    """Until both play, the lead past `past` seconds and the follower with it."""
    page.wait_for_function(PLAYING_TOGETHER, arg=[past, IN_SYNC])


def state(page) -> list[dict]:
    return page.evaluate(
        f"() => {VIDEOS}.map((v) => ({{ at: v.currentTime, paused: v.paused, ended: v.ended }}))"
    )


def filmed_take(shot: Shot, number: int, folder: Path) -> Take:
    """A finished take with a real previz render (H.264 in MP4) and its poster and thumbnail."""
    video, poster, thumb = (folder / f"take{number}.{ext}" for ext in ("mp4", "jpg", "thumb.jpg"))
    job = RenderJob(
        label=shot.label,
        subject=f"The keeper climbs, take {number}",
        duration_seconds=CLIP_SECONDS,
        aspect_ratio="16:9",
        resolution="preview",
    )
    render_previz(job, str(video))
    extract_poster(str(video), str(poster), str(thumb))
    take = paid_take(shot, number=number, model="previz", provider="previz")
    for field, path in ((take.video, video), (take.poster, poster), (take.thumbnail, thumb)):
        with path.open("rb") as handle:
            field.save(path.name, File(handle), save=False)
    take.save(update_fields=["video", "poster", "thumbnail"])
    return take


@pytest.fixture
def shot() -> Shot:
    membership = MembershipFactory(user=UserFactory(username="mara"), role="editor")
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    return ShotFactory(scene=scene, label="1A", target_model="previz")


def test_two_takes_play_in_sync_and_circling_one_updates_the_storyboard(page, shot, tmp_path):
    first, second = filmed_take(shot, 1, tmp_path), filmed_take(shot, 2, tmp_path)
    Shot.objects.filter(pk=shot.pk).update(circled_take=first)  # circling moves the circle
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    page.get_by_role("link", name="Compare takes side by side →").click()
    expect(page.get_by_role("heading", name="Compare takes of shot 1A")).to_be_visible()
    expect(page.locator("video.sync")).to_have_count(2)
    compare_url = page.url
    page.wait_for_function(
        f"() => {VIDEOS}.every((v) => v.readyState >= 3 && v.videoWidth === 640)", timeout=30_000
    )

    # Both play, and stay together while they do.
    page.get_by_role("button", name="Play all together").click()
    wait_playing_together(page, 0.5)
    watched = page.evaluate(WIDEST_GAP_OVER, 1.5)
    assert watched["widest"] < IN_SYNC, watched
    assert watched["follower_moved"] > 1.2, watched  # the follower plays; it is not dragged

    # A seek on the lead takes the follower with it, and playback goes on.
    assert page.evaluate(f"() => {VIDEOS}[0].currentTime") < 4
    page.evaluate(f"() => {{ {VIDEOS}[0].currentTime = 5; }}")
    wait_playing_together(page, 5)

    # A follower that wanders off is brought back to the lead.
    page.evaluate(f"() => {{ {VIDEOS}[1].currentTime = 0; }}")
    wait_playing_together(page, 5)

    # Pause stops both, at the same moment, before the end.
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_function(f"() => {VIDEOS}.every((v) => v.paused)")
    lead, follower = state(page)
    assert not lead["ended"] and abs(lead["at"] - follower["at"]) < IN_SYNC, (lead, follower)

    # From the start, then together again from there.
    page.get_by_role("button", name="From the start").click()
    page.wait_for_function(f"() => {VIDEOS}.every((v) => v.paused && v.currentTime === 0)")
    page.get_by_role("button", name="Play all together").click()
    wait_playing_together(page, 0.2)
    lead, follower = state(page)
    assert lead["at"] < 4 and follower["at"] < 4, (lead, follower)

    # The shared position: keys on it move both takes there, and it follows the playing lead.
    page.get_by_role("button", name="Pause", exact=True).click()
    page.wait_for_function(f"() => {VIDEOS}.every((v) => v.paused)")
    scrub = page.get_by_label("Position")
    expect(scrub).to_have_attribute("max", str(CLIP_SECONDS))
    scrub.focus()
    page.keyboard.press("Home")
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => {VIDEOS}.every((v) => Math.abs(v.currentTime - 3) < 0.05 && !v.seeking)"
    )
    expect(page.locator("#compare-at")).to_have_text("3.0 s")
    page.get_by_role("button", name="Play all together").click()
    wait_playing_together(page, 3.5)
    page.wait_for_function("() => Number(document.getElementById('compare-scrub').value) > 3.5")

    # Circle take 2 from here: the circle leaves take 1, and the page stays on the comparison.
    expect(page.get_by_role("button", name="Uncircle take 1")).to_be_visible()
    page.get_by_role("button", name="Circle take 2").click()
    expect(page.get_by_text("Take 2 is circled for shot 1A.")).to_be_visible()
    assert page.url == compare_url
    expect(page.get_by_role("button", name="Uncircle take 2")).to_be_visible()
    expect(page.get_by_role("button", name="Circle take 1")).to_be_visible()
    expect(page.locator("figure.circled")).to_have_count(1)
    expect(page.locator("figure.circled")).to_contain_text("Take 2")
    shot.refresh_from_db()
    assert shot.circled_take_id == second.pk

    page.get_by_role("link", name=shot.project.name, exact=True).click()
    circled = page.get_by_alt_text("Circled take of shot 1A")
    thumbnail = reverse("projects:take-media", args=[shot.project_id, second.pk, "thumb.jpg"])
    # Card links are relative to the board (docs/decisions/012): compare where they lead.
    expect(circled).to_be_visible()
    assert circled.evaluate("img => new URL(img.src).pathname") == thumbnail
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 480", arg=circled.element_handle()
    )
    assert page.csp_violations == []
