"""Model-aware design in Chromium: the live preview and the compare view."""

import pytest
from playwright.sync_api import expect

from providers.core import catalog
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import hiker_shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shot():
    return hiker_shot(dialogue="MARA: We made it.", duration_seconds=5)


def test_the_preview_follows_the_form_as_it_is_edited(page, shot):
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    preview = page.locator("#preview")
    expect(preview.locator("h2")).to_have_text("What Previz will be sent")

    page.get_by_label("Target model").select_option(label="Google Veo 3.1")
    expect(preview.locator("h2")).to_have_text("What Veo 3.1 will be sent")
    duration_message = "Veo 3.1 makes clips of 4, 6 or 8 seconds; this shot is 5 s."
    expect(page.locator("#preflight-duration_seconds")).to_have_text(duration_message)
    expect(preview).to_contain_text("1 problem to fix")

    page.get_by_label("Duration seconds").fill("8")
    expect(page.locator("#preflight-duration_seconds")).to_have_text("")
    expect(preview).to_contain_text("✓ Ready for Veo 3.1")
    expect(page.locator("#compiled-params")).to_contain_text('"durationSeconds": 8')

    page.locator("input[name=dolly]").fill("7")
    expect(page.locator("#compiled-prompt")).to_contain_text("dolly in")

    page.get_by_label("Audio on").check()
    expect(page.locator("#compiled-prompt")).to_contain_text("We made it.")
    assert page.csp_violations == []


def test_compare_models_and_apply_a_recommendation(page, shot):
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    page.get_by_role("link", name="Compare models").click()
    expect(page.get_by_role("heading", name="Shot 1A on every model")).to_be_visible()
    expect(page.locator(".compare > section")).to_have_count(len(catalog.VIDEO_MODELS))
    expect(page.locator("#compare-veo-3\\.1")).to_contain_text("✕ 1 problem")
    expect(page.locator("#compare-kling-2\\.6-std")).to_contain_text("✓ Can be sent as it is")
    page.locator("#compare-kling-2\\.6-std").get_by_role("button").click()
    expect(page.get_by_text("Shot 1A now targets Kling 2.6 Standard.")).to_be_visible()
    expect(page.locator("#preview").locator("h2")).to_have_text(
        "What Kling 2.6 Standard will be sent"
    )
    assert page.csp_violations == []


def test_a_preset_applies_in_one_click(page, shot):
    sign_in(page)
    page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
    page.get_by_role("button", name="Slow dolly in").click()
    expect(page.get_by_text("Applied “Slow dolly in” to shot 1A.")).to_be_visible()
    expect(page.locator("output[data-output-for=dolly]")).to_have_text("+3")
    expect(page.get_by_label("Target model")).to_have_value("kling-2.6-pro")
