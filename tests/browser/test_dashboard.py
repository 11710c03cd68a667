"""An owner reads the cost dashboard in Chromium: charts, budget bar, a date filter, the CSV."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import LedgerEntry, Role, Take, TakeState
from projects.services.money import budget_reserve, budget_settle
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, ProjectFactory, ShotFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def settled(shot, number, amount, when, user):
    take = Take.objects.create(
        project=shot.project,
        shot=shot,
        number=number,
        requested_by=user,
        model="veo-3.1",
        provider="google",
        prompt="A keeper climbs.",
        state=TakeState.SUCCEEDED,
        estimated_cost=Decimal(amount),
        finished_at=when,
    )
    Take.objects.filter(pk=take.pk).update(queued_at=when - timedelta(minutes=2))
    budget_reserve(project=shot.project, take=take, amount=Decimal(amount), user=user)
    budget_settle(take=take, actual=Decimal(amount))
    LedgerEntry.objects.filter(take=take).update(created_at=when)


def test_an_owner_reads_filters_and_downloads_the_cost_dashboard(page, tmp_path):
    mara = UserFactory(username="mara")
    project = ProjectFactory(name="The Last Lamp", budget=Decimal("10.00"))
    MembershipFactory(project=project, user=mara, role=Role.OWNER)
    shot = ShotFactory(scene__project=project)
    now = timezone.now()
    settled(shot, 1, "3.00", now - timedelta(days=2), mara)
    settled(shot, 2, "5.50", now - timedelta(days=45), mara)
    ShotFactory(scene__project=ProjectFactory(name="Not Maras Film"))

    sign_in(page)
    page.goto("/projects/dashboard/")

    expect(page.get_by_role("heading", name="Cost dashboard")).to_be_visible()
    expect(page.get_by_text("$3.00 in total")).to_be_visible()
    assert page.locator("svg.column-chart rect").count() == 30
    assert page.locator("svg rect").count() > 0
    budget = page.locator(f"#budget-{project.pk}")
    expect(budget.locator("svg.budget-bar")).to_be_visible()
    expect(page.locator("#providers ~ table")).to_contain_text("2 min 00 s")
    expect(budget).to_contain_text("85.0 %")
    expect(budget).to_contain_text("85 % of the $10.00 budget is spent or held")
    expect(page.get_by_text("Not Maras Film")).to_have_count(0)

    # Widen the range to take in the older settlement; the form works without any script.
    today = timezone.localdate()
    page.get_by_label("From", exact=True).fill((today - timedelta(days=60)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("$8.50 in total")).to_be_visible()
    assert page.locator("svg.column-chart rect").count() == 61

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    start = (today - timedelta(days=60)).isoformat()
    assert download.suggested_filename == f"shot-studio-ledger-{start}-to-{today}.csv"
    target = tmp_path / "ledger.csv"
    download.save_as(target)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("date,project,scene,shot,take,member,provider,model,kind")
    assert len(lines) == 1 + 4  # two reservations, two settlements
    assert page.csp_violations == []
