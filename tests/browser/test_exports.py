"""A film in and out through Chromium with a real worker: a screenplay imported (preview, then
import), the cut downloaded as an EDL, the animatic rendered by the worker and played."""

from pathlib import Path

import opentimelineio as otio
import pytest
from playwright.sync_api import expect

from projects.models import Shot
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.support.workers import celery_worker

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

SCRIPT = Path(__file__).parents[1] / "screenplay" / "fixtures" / "lighthouse.fountain"


@pytest.mark.timeout(400)
def test_a_script_comes_in_and_the_cut_goes_out(page, tmp_path):
    membership = MembershipFactory(user=UserFactory(username="mara"), role="editor")
    project = membership.project

    sign_in(page)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Import a screenplay").click()
    page.get_by_label("Screenplay file").set_input_files(SCRIPT)
    page.get_by_role("button", name="Preview the import").click()
    summary = page.get_by_role("status").filter(has_text="will be added")
    expect(summary).to_contain_text("4 new scenes with 5 draft shots will be added.")
    assert not Shot.objects.filter(project=project).exists()  # a preview saves nothing
    page.get_by_role("button", name="Import 4 scenes").click()
    expect(page.locator("#board")).to_be_visible()
    assert Shot.objects.filter(project=project).count() == 5
    # Shots are short, so the render below is quick even on a busy machine.
    Shot.objects.filter(project=project).update(duration_seconds=2)

    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Exports").click()
    page.get_by_label("Format").select_option(label="CMX 3600 EDL")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".edl"
    timeline = otio.adapters.read_from_file(str(saved), adapter_name="cmx_3600")
    assert len(list(timeline.find_clips())) == 5

    # Sent before the worker has declared its queues, a message can be dropped on Redis; the
    # sweeper sends a deliverable nobody holds again (every 5 s here, 300 s by default).
    resend = {"DELIVERABLE_RESEND_SECONDS": "5"}
    log = tmp_path / "worker.log"
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=log, env=resend):
        page.get_by_label("Kind").select_option(label="Animatic (MP4)")
        page.get_by_role("button", name="Make it").click()
        made = page.locator(".deliverable").first
        expect(made).to_contain_text("Animatic (MP4)")
        # The card polls until the worker is done; a real render on CI's busy cores.
        expect(made.get_by_role("link", name="Download")).to_be_visible(timeout=180_000)
    expect(made).to_contain_text("10.0 s")
    made.get_by_text("What is in it (5 shots)").click()
    expect(made.locator(".manifest li")).to_have_count(5)
    made.get_by_role("link", name="Play").click()
    video = page.locator("video")
    page.wait_for_function(
        "v => v.readyState >= 1 && v.duration > 0", arg=video.element_handle(), timeout=30_000
    )
    assert abs(video.evaluate("v => v.duration") - 10) < 0.2
    assert page.csp_violations == []
