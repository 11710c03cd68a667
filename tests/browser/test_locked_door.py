"""The locked door in Chromium: sign-in throttling and its admin unlock, who may start a
project, and the studio-wide provider cap on the Generate button."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import RateCard
from studio.models import ProviderAccount
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED = (
    "Too many failed sign-ins for this account or from this address. Try again in 15 minutes, "
    "or ask a studio admin to unlock it."
)


def try_password(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_response(lambda r: r.url.endswith("/accounts/login/")) as answer:
        page.get_by_role("button", name="Sign in").click()
    return answer.value


def staff_session(browser, live_server):
    """An admin already signed in (its own session cookie): the address itself is locked."""
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_forty_wrong_passwords_lock_the_door_until_an_admin_unlocks_it(page, browser, live_server):
    UserFactory(username="mara")
    UserFactory(username="ben")
    for _ in range(40):
        try_password(page, "mara", "not-the-password")
    answer = try_password(page, "mara", "correct horse battery")
    assert answer.status == 429
    expect(page.get_by_role("alert")).to_have_text(LOCKED)
    expect(page.get_by_label("Username")).to_have_value("mara")
    # Another account from the same address is throttled too: the address tripped.
    assert try_password(page, "ben", "correct horse battery").status == 429
    expect(page.get_by_text(LOCKED)).to_be_visible()

    admin = staff_session(browser, live_server)
    admin_page = admin.new_page()
    admin_page.goto("/admin/axes/accessattempt/")
    expect(admin_page.get_by_role("cell", name="mara", exact=True)).to_be_visible()
    admin_page.locator("#action-toggle").check()
    admin_page.locator("select[name=action]").select_option("delete_selected")
    admin_page.get_by_role("button", name="Go").click()
    admin_page.get_by_role("button", name="Yes, I’m sure").click()
    expect(admin_page.get_by_text("Successfully deleted")).to_be_visible()
    admin.close()

    sign_in(page, "mara")
    assert page.csp_violations == []


def test_without_permission_the_project_list_says_who_to_ask(page):
    UserFactory(username="mara")
    sign_in(page)
    expect(page.get_by_role("link", name="New project")).to_have_count(0)
    expect(page.get_by_text("Starting a project needs a studio admin’s permission")).to_be_visible()
    response = page.goto("/projects/new/")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("ask an admin of this studio")


def test_the_provider_cap_shows_on_the_generate_button_before_the_click(page):
    RateCard.objects.filter(model="previz").update(price=Decimal("0.25"))
    ProviderAccount.objects.create(slug="previz", monthly_cap=Decimal("1.20"))
    membership = MembershipFactory(user=UserFactory(username="mara"), role="owner")
    scene = SceneFactory(project=membership.project, number=1)
    shot = ShotFactory(scene=scene, label="1A", duration_seconds=4, status="ready")

    sign_in(page)
    page.goto(f"/projects/{membership.project.pk}/shots/{shot.pk}/")
    page.get_by_role("button", name="Generate on Previz · up to $1.00").click()
    expect(page.get_by_text("Take 1 of shot 1A is on its way.")).to_be_visible()
    page.reload()
    month = f"{timezone.localdate():%B}"
    expect(page.locator("#generate-blocked")).to_have_text(
        f"Previz's studio-wide cap for {month} is $1.20 and only $0.20 is left; "
        "this take may cost up to $1.00."
    )
    expect(page.get_by_role("button", name="Generate on Previz · up to $1.00")).to_be_disabled()
