"""In Chromium, with a real worker and the provider simulator: Cancel on a Veo take says what it
will do before the click, then shows that Veo is finishing it, and the take ends as Veo says."""

# held_running comes from the end-to-end tests, the simulator from tests/support/pipeline.py;
# pytest injects them by name, which ruff reads as a redefinition.
# ruff: noqa: F811

import pytest
from playwright.sync_api import expect

from tests.browser.test_storyboard_flow import sign_in
from tests.test_cancel_and_lost_results import held_running, worker  # noqa: F401
from tests.test_providers_end_to_end import make_shot

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_cancel_on_veo_warns_first_then_shows_the_provider_finishing_it(
    page, simulator, held_running, tmp_path
):
    user, shot = make_shot("veo-3.1")
    with worker(simulator, tmp_path):
        sign_in(page, user.username)
        page.goto(f"/projects/{shot.project_id}/shots/{shot.pk}/")
        page.locator("#generate").click()
        card = page.locator(".take-card").first
        cancel = card.get_by_role("button", name="Cancel", exact=True)
        # Once the take is sent, the control says what Cancel can and cannot do on Veo.
        warning = "Veo cannot stop a job once sent: it will still be charged."
        expect(card.locator(".cancel .help")).to_have_text(warning, timeout=60_000)
        expect(cancel).to_have_accessible_description(warning)

        cancel.click()
        status = card.locator(".take-cancel")
        expect(status).to_contain_text("Cancel asked — the provider is finishing it.")
        expect(cancel).to_have_count(0)
        # The worker records why Veo was not asked, and keeps following the job.
        expect(status).to_contain_text("Not asked: Veo cannot stop a job once sent", timeout=60_000)
        expect(card).to_have_attribute("data-state", "running")

        held_running[0].outcome = "succeeded"  # Google finishes the job anyway
        expect(card).to_have_attribute("data-state", "succeeded", timeout=90_000)

    expect(card.locator("video")).to_be_visible()
    card.locator(".camera-report summary").click()
    expect(card.locator(".camera-report")).to_contain_text(
        "asked · Not asked: Veo cannot stop a job once sent"
    )
    assert page.csp_violations == []
