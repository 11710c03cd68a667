"""Every page a member can reach, in Chromium, has no serious or critical axe-core violation.

The pages are seen at their fullest: a project with scenes, shots, a team preset, a reference
image and takes in every state; a viewer's and an archived project's view-only pages; forms with
errors; a flash message; every <details> opened (tests/support/axe).

One world and one signed-in browser context per user serve every page (a transactional test
per page would build and flush the world 40 times); each page is a subtest, so a failure names
the page, and prints the rule, the element and why.
"""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import (
    Project,
    ReferenceImage,
    Role,
    Shot,
    ShotStatus,
    Take,
    TakeState,
    TeamPreset,
)
from tests.browser.conftest import open_page
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    image_bytes,
    paid_take,
)
from tests.support.axe import dangling_references, describe, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class World:
    """What the pages show: a project with an owner, an editor and a viewer, an archived project,
    and one that never spent money; built once, for every page."""

    def __init__(self) -> None:
        self.owner = UserFactory(username="mara")
        self.owner.user_permissions.add(Permission.objects.get(codename="add_project"))
        self.viewer = UserFactory(username="jo")
        self.project = ProjectFactory(name="The Last Lamp")
        MembershipFactory(project=self.project, user=self.owner, role=Role.OWNER)
        MembershipFactory(project=self.project, user=self.viewer, role=Role.VIEWER)
        MembershipFactory(project=self.project, user=UserFactory(username="ines"), role=Role.EDITOR)

        storm = SceneFactory(project=self.project, number=1, title="Storm Coming")
        storm.description = "The keeper sees the storm."
        storm.save()
        SceneFactory(project=self.project, number=2, title="Dawn")  # a scene with no shots
        self.scene = storm
        self.shot = ShotFactory(
            scene=storm, label="1A", subject="A lighthouse", status=ShotStatus.READY
        )
        self.other_shot = ShotFactory(scene=storm, label="1B", subject="The lamp")
        TeamPreset.objects.create(
            project=self.project, name="Slow push", target_model="veo-3.1", duration_seconds=6
        )
        png = image_bytes()
        ReferenceImage.objects.create(
            shot=self.shot,
            image=ContentFile(png, "ref.png"),
            thumbnail=ContentFile(png, "ref-thumb.png"),
            width=64,
            height=48,
            caption="The real lighthouse",
        )
        self.takes = self.takes_in_every_state()
        self.team_review()
        self.archived = self.archived_project()
        self.unspent = ProjectFactory(name="Quiet Cove")  # deleted, not archived
        MembershipFactory(project=self.unspent, user=self.owner, role=Role.OWNER)

    def takes_in_every_state(self) -> list[Take]:
        shot, now = self.shot, timezone.now()
        done = [
            paid_take(shot, number=1, user=self.owner),
            paid_take(shot, number=2, user=self.owner, actual="1.00"),
            paid_take(shot, number=3, user=self.owner, state=TakeState.FAILED),
        ]
        Take.objects.filter(pk=done[2].pk).update(
            error_kind="provider", error_message="The provider refused the prompt."
        )
        Shot.objects.filter(pk=shot.pk).update(circled_take=done[0])
        unfinished = [
            (TakeState.AWAITING_APPROVAL, {}),
            (TakeState.QUEUED, {}),
            (TakeState.RUNNING, {"progress": 40, "remote_id": "op-1", "status_note": "Busy"}),
            (TakeState.RUNNING, {"progress": 70, "remote_id": "op-2", "cancel_requested": True}),
            (TakeState.NEEDS_CHECK, {"remote_id": "op-3", "error_message": "No answer."}),
            (
                TakeState.RESULT_LOST,
                {
                    "remote_id": "op-4",
                    "result_url": "https://example.org/v.mp4",
                    "finished_at": now,
                },
            ),
            (TakeState.RESULT_LOST, {"remote_id": "op-5", "finished_at": now}),
            (TakeState.CANCELED, {"finished_at": now}),
            (TakeState.REJECTED, {"finished_at": now, "error_message": "Unsafe content."}),
        ]
        for number, (state, fields) in enumerate(unfinished, start=4):
            done.append(
                Take.objects.create(
                    project=self.project,
                    shot=shot,
                    number=number,
                    requested_by=self.owner,
                    model="veo-3.1",
                    provider="google",
                    prompt="A keeper climbs.",
                    state=state,
                    estimated_cost=Decimal("2.00"),
                    **fields,
                )
            )
        return done

    def team_review(self) -> None:
        """A thread with a reply and a drawn note, a notification, and a review link."""
        from projects.services.comments import comment_add, comment_resolve
        from projects.services.review_links import review_link_create

        take = self.takes[0]
        Take.objects.filter(pk=take.pk).update(duration_seconds=8, fps=24)
        take.refresh_from_db()
        ines = self.project.memberships.get(role=Role.EDITOR).user
        note = comment_add(
            shot=self.shot,
            take=take,
            author=ines,
            body="@mara the beam sweeps too early",
            at_seconds=2.5,
            drawing={"shape": "box", "points": [[0.1, 0.2], [0.4, 0.5]]},
        )
        comment_add(shot=self.shot, parent=note, author=self.owner, body="Moving it to 3 s")
        resolved = comment_add(shot=self.shot, author=ines, body="Sky looks right now")
        comment_resolve(comment=resolved, user=self.owner)
        self.link = review_link_create(
            project=self.project, created_by=self.owner, label="Client, cut 1"
        )
        comment_add(shot=self.shot, body="Lovely", guest_name="Carla", review_link=self.link)

    def archived_project(self) -> Project:
        project = ProjectFactory(name="Old Harbour")
        MembershipFactory(project=project, user=self.owner, role=Role.OWNER)
        MembershipFactory(project=project, user=self.viewer, role=Role.VIEWER)
        shot = ShotFactory(scene=SceneFactory(project=project, number=1, title="Pier"), label="1A")
        paid_take(shot, user=self.owner)
        Project.objects.filter(pk=project.pk).update(
            archived_at=timezone.now() - timedelta(days=2), archived_by=self.owner
        )
        project.refresh_from_db()
        self.archived_shot = shot
        return project

    # Paths
    def p(self, rest: str = "", project: Project | None = None) -> str:
        return f"/projects/{(project or self.project).pk}/{rest}"

    def shot_path(self, shot: Shot | None = None, rest: str = "") -> str:
        shot = shot or self.shot
        return self.p(f"shots/{shot.pk}/{rest}", shot.project)


def sign_in_as(page, user, base_url: str) -> None:
    """Sign in by session cookie: the sign-in form has a page (and a throttle) of its own."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


Step = Callable[..., None]  # (page, world) -> None


def visit(where: Callable[[World], str]) -> Step:
    return lambda page, world: page.goto(where(world))


def fill(label: str, value: str) -> Step:
    return lambda page, world: page.get_by_label(label, exact=True).first.fill(value)


def click(role: str, name: str) -> Step:
    return lambda page, world: page.get_by_role(role, name=name, exact=True).first.click()


def labelled(name: str) -> Step:
    return lambda page, world: page.get_by_label(name, exact=True).first.click()


def unchecked(page, world: World) -> None:
    """Let forms post what the browser would refuse, to see the server's error markup."""
    page.evaluate(
        "() => document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })"
    )


def post_empty(where: Callable[[World], str]) -> Step:
    """Post an empty form (with the page's CSRF token) to where(world), as a browser would."""

    def step(page, world: World) -> None:
        page.evaluate(
            """(action) => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = action;
              form.append(document.querySelector("[name=csrfmiddlewaretoken]").cloneNode());
              document.body.append(form);
              form.submit();
            }""",
            where(world),
        )
        page.wait_for_load_state()

    return step


def takes_compare(world: World) -> str:
    first, second = world.takes[0], world.takes[1]
    return world.shot_path(rest=f"takes/compare/?take={first.pk}&take={second.pk}")


def storyboard(w: World) -> str:
    return w.p()


# (page, signed in as world.<who> or None, steps, a text it shows once there)
PAGES: list[tuple[str, str | None, list[Step], str]] = [
    ("login", None, [visit(lambda w: "/accounts/login/")], "Sign in"),
    (
        "login with an error",
        None,
        [
            visit(lambda w: "/accounts/login/"),
            fill("Username", "nobody"),
            fill("Password", "wrong"),
            click("button", "Sign in"),
        ],
        "Please enter a correct username and password",
    ),
    ("signup", None, [visit(lambda w: "/accounts/signup/")], "Create an account"),
    (
        "signup with errors",
        None,
        [visit(lambda w: "/accounts/signup/"), unchecked, click("button", "Sign up")],
        "This field is required.",
    ),
    ("password change", "owner", [visit(lambda w: "/accounts/password/")], "Change your password"),
    (
        "password change with errors",
        "owner",
        [visit(lambda w: "/accounts/password/"), unchecked, click("button", "Change password")],
        "This field is required.",
    ),
    (
        "password changed",
        "owner",
        [visit(lambda w: "/accounts/password/done/")],
        "Password changed",
    ),
    ("project list", "owner", [visit(lambda w: "/projects/")], "Archived projects"),
    (
        "project list, no right to start one",
        "viewer",
        [visit(lambda w: "/projects/")],
        "ask an admin",
    ),
    (
        "project list, refused a new project",
        "viewer",
        [visit(lambda w: "/projects/new/")],
        "ask an admin",
    ),
    ("new project", "owner", [visit(lambda w: "/projects/new/")], "New project"),
    (
        "new project with errors",
        "owner",
        [visit(lambda w: "/projects/new/"), unchecked, click("button", "Create project")],
        "This field is required.",
    ),
    ("project settings", "owner", [visit(lambda w: w.p("settings/"))], "Archive project"),
    (
        "project settings, a project that spent nothing",
        "owner",
        [visit(lambda w: w.p("settings/", w.unspent))],
        "Delete project",
    ),
    ("project settings, viewer", "viewer", [visit(lambda w: w.p("settings/"))], "View only"),
    (
        "project settings, archived",
        "owner",
        [visit(lambda w: w.p("settings/", w.archived))],
        "View only",
    ),
    ("members", "owner", [visit(lambda w: w.p("members/"))], "Invite someone"),
    ("members, viewer", "viewer", [visit(lambda w: w.p("members/"))], "View only"),
    ("dashboard", "owner", [visit(lambda w: "/projects/dashboard/")], "The Last Lamp"),
    ("queue", "owner", [visit(lambda w: w.p("queue/"))], "Generation queue"),
    ("queue, viewer", "viewer", [visit(lambda w: w.p("queue/"))], "Generation queue"),
    ("storyboard", "owner", [visit(storyboard)], "Add a scene"),
    (
        "storyboard with a message",
        "owner",
        [visit(lambda w: w.p("settings/")), click("button", "Save")],
        "Project settings saved.",
    ),
    (
        "storyboard, a card's form in place",
        "owner",
        # The card's actions come with its menu (docs/decisions/012): open it first.
        [visit(storyboard), labelled("Actions for shot 1A"), click("link", "Edit shot 1A here")],
        "Save",
    ),
    (
        "storyboard, a scene's form in place",
        "owner",
        [visit(storyboard), click("link", "Edit scene")],
        "Save scene",
    ),
    ("storyboard, viewer", "viewer", [visit(storyboard)], "View only"),
    ("storyboard, archived", "owner", [visit(lambda w: w.p("", w.archived))], "View only"),
    ("scene form", "owner", [visit(lambda w: w.p(f"scenes/{w.scene.pk}/edit/"))], "Save scene"),
    (
        "scene form, viewer",
        "viewer",
        [visit(lambda w: w.p(f"scenes/{w.scene.pk}/edit/"))],
        "View only",
    ),
    (
        "card form page with errors",
        "owner",
        [visit(storyboard), post_empty(lambda w: w.p(f"shots/{w.shot.pk}/card/"))],
        "This field is required.",
    ),
    (
        "shot editor, takes in every state",
        "owner",
        [visit(lambda w: w.shot_path())],
        "Record a refund",
    ),
    (
        "shot editor with errors",
        "owner",
        [
            visit(lambda w: w.shot_path()),
            unchecked,
            fill("Label", ""),
            click("button", "Save shot"),
        ],
        "Nothing was saved",
    ),
    (
        "shot editor, no takes",
        "owner",
        [visit(lambda w: w.shot_path(w.other_shot))],
        "No takes yet.",
    ),
    ("shot editor, viewer", "viewer", [visit(lambda w: w.shot_path())], "View only"),
    (
        "shot editor, archived",
        "owner",
        [visit(lambda w: w.shot_path(w.archived_shot))],
        "View only",
    ),
    ("shot compare", "owner", [visit(lambda w: w.shot_path(rest="compare/"))], "Recommended"),
    (
        "shot compare, viewer",
        "viewer",
        [visit(lambda w: w.shot_path(rest="compare/"))],
        "View only",
    ),
    ("takes compare", "owner", [visit(takes_compare)], "Play all together"),
    ("takes compare, viewer", "viewer", [visit(takes_compare)], "Play all together"),
    (
        "takes compare, too few",
        "owner",
        [visit(lambda w: w.shot_path(w.other_shot, "takes/compare/"))],
        "Pick two or more",
    ),
    ("403 page", "viewer", [visit(lambda w: w.shot_path(rest="card/"))], "Not allowed"),
    ("activity", "owner", [visit(lambda w: w.p("activity/"))], "Commented"),
    ("notifications", "owner", [visit(lambda w: "/projects/notifications/")], "Mark all read"),
    (
        "notification settings",
        "owner",
        [visit(lambda w: "/projects/notifications/settings/")],
        "daily digest",
    ),
    (
        "take review",
        "owner",
        [visit(lambda w: w.p(f"takes/{w.takes[0].pk}/review/"))],
        "the beam sweeps too early",
    ),
    ("review links", "owner", [visit(lambda w: w.p("review-links/"))], "Client, cut 1"),
    ("prompt templates", "owner", [visit(lambda w: w.p("prompts/"))], "In use:"),
    (
        "prompt template editor",
        "owner",
        [visit(lambda w: w.p(f"prompts/kling/?shot={w.shot.pk}&compare=1"))],
        "Save as a new version",
    ),
    (
        "prompt template editor, a template that does not compile",
        "owner",
        [
            visit(lambda w: w.p("prompts/runway/")),
            fill("Template", "{{ subjct }}"),
            click("button", "Save as a new version"),
        ],
        "Did you mean subject?",
    ),
    (
        "prompt template editor, viewer",
        "viewer",
        [visit(lambda w: w.p("prompts/google-veo/"))],
        "Viewers read",
    ),
    (
        "studio prompt templates",
        "owner",
        [visit(lambda w: "/prompts/")],
        "default prompt templates",
    ),
    ("exports", "owner", [visit(lambda w: w.p("exports/"))], "Timelines, boards and the shot"),
    ("exports, viewer", "viewer", [visit(lambda w: w.p("exports/"))], "you can download what"),
    ("animatic", "owner", [visit(lambda w: w.p("animatic/"))], "Animatic of The Last Lamp"),
    ("screenplay import", "owner", [visit(lambda w: w.p("screenplay/"))], "Import a screenplay"),
    ("guest board", None, [visit(lambda w: f"/review/{w.link.token}/")], "Shared for review"),
    (
        "guest shot",
        None,
        [visit(lambda w: f"/review/{w.link.token}/shots/{w.shot.pk}/")],
        "Carla (guest)",
    ),
    # Last for its browser context: signs it out (and the sign-in page is what it comes to).
    (
        "signed out",
        "owner",
        [visit(lambda w: "/projects/"), click("button", "Sign out")],
        "Username",
    ),
]


def test_every_page_has_no_serious_accessibility_violation(
    browser, live_server, settings, subtests
):
    settings.SIGNUP_ENABLED = True  # the sign-up page, and its link in the top bar
    world = World()
    pages = {}
    try:
        for name, who, steps, shows in PAGES:
            with subtests.test(msg=name):
                if who not in pages:
                    pages[who] = open_page(browser, live_server.url)
                    if who:
                        sign_in_as(pages[who], getattr(world, who), live_server.url)
                page = pages[who]
                for step in steps:
                    step(page, world)
                expect(page.locator("body")).to_contain_text(shows)
                violations = serious_violations(page)
                assert not violations, f"axe-core on “{name}” ({page.url}):\n{describe(violations)}"
                dangling = dangling_references(page)
                assert not dangling, f"“{name}”: ids named but not on the page:\n" + "\n".join(
                    dangling
                )
    finally:
        for page in pages.values():
            page.context.close()
