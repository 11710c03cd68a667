"""Two editors save the same shot in Chromium: the second sees the conflict and chooses."""

import pytest
from playwright.sync_api import expect

from projects.models import Role, Shot
from tests.browser.conftest import open_page
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def test_the_second_save_shows_the_conflict_and_takes_theirs(browser, live_server):
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    seat = MembershipFactory(user=ana, role=Role.EDITOR)
    MembershipFactory(user=ben, project=seat.project, role=Role.EDITOR)
    scene = SceneFactory(project=seat.project)
    shot = ShotFactory(scene=scene, label="2A", subject="A keeper", target_model="previz")
    url = f"/projects/{seat.project.pk}/shots/{shot.pk}/"

    pages = {}
    try:
        for name in ("ana", "ben"):
            pages[name] = open_page(browser, live_server.url)
            sign_in(pages[name], name)
            pages[name].goto(url)
            expect(pages[name].get_by_role("heading", name="Shot 2A")).to_be_visible()
        a, b = pages["ana"], pages["ben"]

        a.get_by_label("Subject").fill("The keeper, soaked")
        a.get_by_role("button", name="Save shot").click()
        expect(a.get_by_text("Shot 2A saved.")).to_be_visible()

        b.get_by_label("Subject").fill("The keeper, dry")
        b.get_by_role("button", name="Save shot").click()
        panel = b.locator(".edit-conflict")
        expect(panel).to_be_visible()
        row = panel.locator("tr[data-conflict-field=subject]")
        expect(row.locator(".theirs")).to_contain_text("ana: The keeper, soaked")
        expect(row.locator(".mine")).to_have_text("The keeper, dry")
        assert Shot.objects.get(pk=shot.pk).subject == "The keeper, soaked"

        row.get_by_label("Take theirs").check()
        b.get_by_role("button", name="Save shot").click()
        expect(b.get_by_text("Shot 2A saved.")).to_be_visible()
        expect(b.get_by_label("Subject")).to_have_value("The keeper, soaked")
        assert Shot.objects.get(pk=shot.pk).subject == "The keeper, soaked"
        assert b.csp_violations == [] and a.csp_violations == []
    finally:
        for page in pages.values():
            page.context.close()
