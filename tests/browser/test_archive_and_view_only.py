"""Archiving a project that spent money and bringing it back; a viewer's pages, view only."""

import pytest
from playwright.sync_api import expect

from projects.models import Project, Role
from tests.browser.test_storyboard_flow import sign_in
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    paid_take,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Viewers are the team's reviewers: the comments panel is theirs to write in (issue 13), and
# how the board is looked at (card size, presentation) is everyone's (issue 15).
ENABLED_CONTROLS = """() => Array.from(document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea, main button"))
  .filter((el) => el.matches(":enabled") && !el.closest("#comments, .board-tools"))
  .map((el) => el.name || el.textContent.trim())"""


def film(username: str, role: str) -> Project:
    project = ProjectFactory(name="The Last Lamp")
    MembershipFactory(project=project, user=UserFactory(username=username), role=role)
    scene = SceneFactory(project=project, number=1, title="Storm Coming")
    shot = ShotFactory(scene=scene, label="1A", subject="A lighthouse on black cliffs")
    paid_take(shot, actual="1.50")
    return project


def test_an_owner_archives_a_project_that_spent_money_and_restores_it(page):
    project = film("mara", Role.OWNER)
    sign_in(page)
    page.get_by_role("link", name="The Last Lamp").click()
    page.get_by_role("link", name="Settings").click()

    # The button says what will happen before the click.
    expect(page.get_by_role("button", name="Delete project")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive project").click()

    expect(page.get_by_text("Archived the project “The Last Lamp”")).to_be_visible()
    archived = page.locator("#archived-projects")
    expect(archived.get_by_role("heading", name="The Last Lamp")).to_be_visible()
    expect(page.locator("main > .project-list").get_by_text("The Last Lamp")).to_have_count(0)
    assert Project.objects.get(pk=project.pk).spent == 1.5  # the books stay

    # Opened from the archive it is view only, with no way to change anything but Restore.
    archived.get_by_role("link", name="The Last Lamp").click()
    expect(page.locator("#view-only")).to_contain_text("View only")
    expect(page.get_by_role("button", name="Add scene")).to_have_count(0)
    assert page.evaluate(ENABLED_CONTROLS) == ["Restore project"]

    page.get_by_role("link", name="Projects").click()
    page.get_by_role("button", name="Restore The Last Lamp").click()
    expect(page.get_by_text("Restored the project “The Last Lamp”.")).to_be_visible()
    expect(page.locator("#view-only")).to_have_count(0)
    expect(page.get_by_role("button", name="Add scene")).to_be_visible()
    page.get_by_role("link", name="Projects").click()
    expect(page.get_by_role("heading", name="The Last Lamp")).to_be_visible()
    expect(page.locator("#archived-projects")).to_have_count(0)


def test_a_viewer_finds_nothing_to_change(page):
    film("jo", Role.VIEWER)
    sign_in(page, "jo")
    page.get_by_role("link", name="The Last Lamp").click()

    expect(page.locator("#view-only")).to_contain_text("View only")
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    expect(page.locator(".shot-card[draggable=true]")).to_have_count(0)
    assert page.evaluate(ENABLED_CONTROLS) == []
    expect(page.get_by_role("button", name="Present")).to_be_enabled()

    page.get_by_role("link", name="1A", exact=True).click()
    expect(page.get_by_role("heading", name="Shot 1A")).to_be_visible()
    expect(page.locator("#view-only")).to_contain_text("View only")
    expect(page.get_by_label("Subject")).to_be_disabled()
    expect(page.get_by_role("button", name="Save shot")).to_have_count(0)
    expect(page.get_by_role("button", name="Generate", exact=False)).to_have_count(0)
    assert page.evaluate(ENABLED_CONTROLS) == []
