"""In Chromium, with a real worker and the provider simulator's Gemini API: a ready Veo take's
Extend button adds a take that says what it continues, and that take becomes a video."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_storyboard_flow import sign_in
from tests.projects import test_extend as extend_tests
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker
from tests.test_providers_end_to_end import make_shot

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


# The account's own Veo ids on the Gemini API, for the web side and the worker alike.
gemini_lists_a_veo_id = extend_tests.gemini_lists_a_veo_id


def test_extend_adds_a_take_that_continues_the_first_and_becomes_a_video(page, simulator, tmp_path):
    user, shot = make_shot("veo-3.1")
    env = simulator_env(simulator)  # with the account's own Veo ids on the Gemini API
    with celery_worker(pipeline=True, tmp_path=tmp_path, env=env):
        sign_in(page, user.username)
        page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
        page.locator("#generate").click()
        first = page.locator(".take-card").first
        expect(first).to_have_attribute("data-state", "succeeded", timeout=90_000)

        extend = first.get_by_role("button", name="Extend +7 s · $")
        expect(extend).to_be_enabled()
        extend.click()
        # The new card comes in at the top of the list, without a page load.
        second = page.locator(".take-card").first
        expect(second).to_contain_text("Take 2")
        expect(second).to_contain_text("Continues take 1")
        expect(page.locator(".take-card").nth(1)).to_contain_text("Extended by take 2")
        expect(second).to_have_attribute("data-state", "succeeded", timeout=90_000)

    expect(second.locator("video")).to_be_visible()
    assert page.csp_violations == []
