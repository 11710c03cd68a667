"""Money in Chromium: the estimate on the Generate button, and a refusal over budget."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from projects.models import RateCard
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_estimate_shows_and_a_take_over_budget_is_refused(page):
    RateCard.objects.filter(model="previz").update(price=Decimal("0.25"))
    membership = MembershipFactory(user=UserFactory(username="mara"), role="owner")
    project = membership.project
    project.budget = Decimal("1.20")
    project.save()
    scene = SceneFactory(project=project, number=1, title="Cliffs")
    shot = ShotFactory(scene=scene, label="1A", duration_seconds=4, status="ready")

    sign_in(page)
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("button", name="Generate ready shots · up to $1.00")).to_be_visible()
    page.goto(f"/projects/{project.pk}/shots/{shot.pk}/")
    generate = page.get_by_role("button", name="Generate on Previz · up to $1.00")
    expect(generate).to_be_visible()
    generate.click()
    expect(page.get_by_text("Take 1 of shot 1A is on its way.")).to_be_visible()
    expect(page.get_by_text("83 % of the $1.20 budget is spent or held").first).to_be_visible()

    # The same request again while take 1 is in flight is offered take 1; paying again
    # anyway is then refused by the budget.
    page.get_by_role("button", name="Generate on Previz · up to $1.00").click()
    expect(
        page.get_by_text("Take 1 is already being made with exactly this request.")
    ).to_be_visible(timeout=15_000)  # an HTMX answer, on CI's busy cores
    page.get_by_role("button", name="Generate again anyway").click()
    expect(
        page.get_by_text(
            "This take would cost up to $1.00 but only $0.20 of the project's $1.20 budget is left."
        )
    ).to_be_visible(timeout=15_000)  # an HTMX answer, on CI's busy cores
    expect(page.locator(".take-card")).to_have_count(1)
    assert page.csp_violations == []
