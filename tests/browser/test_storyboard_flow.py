"""A filmmaker's first session, in Chromium: sign in to storyboard."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.factories import UserFactory, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username="mara"):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()


def test_from_sign_in_to_a_storyboard(page, tmp_path):
    from django.contrib.auth.models import Permission

    mara = UserFactory(username="mara")
    mara.user_permissions.add(Permission.objects.get(codename="add_project"))  # an admin's yes
    sign_in(page)

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("The Last Lamp")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="The Last Lamp")).to_be_visible()

    # Add a scene inline (HTMX swaps the board, no page load).
    page.get_by_label("Title").fill("Storm Coming")
    page.get_by_label("Location").fill("Cliffs")
    page.get_by_role("button", name="Add scene").click()
    expect(page.get_by_role("heading", name="1. Storm Coming — Cliffs")).to_be_visible()

    # Add two shots.
    for subject in ("A lighthouse on black cliffs", "Mara turns to the sea"):
        page.get_by_placeholder("Subject, e.g. the keeper climbs the stairs").fill(subject)
        page.get_by_role("button", name="Add shot").click()
        expect(page.locator(".shot-card", has_text=subject)).to_be_visible()
    expect(page.locator(".shot-card .label")).to_have_text(["1A", "1B"])

    # Open shot 1A, upload a hero frame and move the sliders.
    page.get_by_role("link", name="1A", exact=True).click()
    expect(page.get_by_role("heading", name="Shot 1A")).to_be_visible()
    frame = tmp_path / "hero.png"
    frame.write_bytes(image_bytes("PNG", size=(640, 360)))
    page.get_by_label("Hero frame").set_input_files(str(frame))
    pan = page.locator("input[name=pan]")
    pan.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("output[data-output-for=pan]")).to_have_text("+3")
    page.locator("input[name=dolly]").fill("-6")
    expect(page.locator("output[data-output-for=dolly]")).to_have_text("-6")
    expect(page.locator("#camera-summary")).to_have_text("pan +3, dolly -6")
    page.get_by_role("button", name="Save shot").click()
    expect(page.get_by_text("Shot 1A saved.")).to_be_visible()
    expect(page.locator("#hero-image")).to_be_visible()
    assert page.locator("#hero-image").evaluate("img => img.naturalWidth") == 640

    # Back on the storyboard: drag 1B before 1A.
    page.get_by_role("link", name="The Last Lamp").first.click()
    card_a = page.locator(".shot-card", has_text="1A")
    expect(card_a.locator("img")).to_be_visible()
    expect(card_a).to_contain_text("Camera: pan +3, dolly -6")
    page.locator(".shot-card", has_text="1B").drag_to(card_a, target_position={"x": 10, "y": 40})
    expect(page.locator(".shot-card .label")).to_have_text(["1B", "1A"])

    # The keyboard fallback puts it back.
    page.get_by_label("Actions for shot 1B").click()  # the card's menu
    page.get_by_role("button", name="Move shot 1B later").click()
    expect(page.locator(".shot-card .label")).to_have_text(["1A", "1B"])

    project = Project.objects.get(name="The Last Lamp")
    shot = project.shots.get(label="1A")
    assert (shot.pan, shot.dolly, shot.order) == (3, -6, 1)
    assert shot.hero_frame and shot.hero_thumbnail
    assert page.csp_violations == []


def test_move_a_shot_to_another_scene_without_a_mouse(page):
    from tests.factories import MembershipFactory, SceneFactory, ShotFactory

    membership = MembershipFactory(user=UserFactory(username="mara"))
    first = SceneFactory(project=membership.project, number=1, title="Cliffs")
    second = SceneFactory(project=membership.project, number=2, title="Stairs")
    ShotFactory(scene=first, label="1A")
    sign_in(page)
    page.goto(f"/projects/{membership.project.pk}/")
    page.get_by_label("Actions for shot 1A").click()  # the menu brings the scene list
    page.get_by_label("Scene for shot 1A").select_option(label="Scene 2")
    page.locator(".shot-card", has_text="1A").get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(f"#scene-{second.pk} .shot-card .label")).to_have_text(["1A"])
    expect(page.locator(f"#scene-{first.pk}")).to_contain_text("No shots in this scene yet.")
    assert page.csp_violations == []


def test_edit_and_delete_inline_on_the_board(page):
    from tests.factories import MembershipFactory, SceneFactory, ShotFactory

    membership = MembershipFactory(user=UserFactory(username="mara"))
    scene = SceneFactory(project=membership.project, number=1, title="Cliffs")
    ShotFactory(scene=scene, label="1A", subject="The tower")
    ShotFactory(scene=scene, label="1B", subject="The sea")
    sign_in(page)
    page.goto(f"/projects/{membership.project.pk}/")

    # Scene header edited in place.
    page.get_by_role("link", name="Edit scene").click()
    scene_form = page.locator(".scene-form")
    scene_form.get_by_label("Time of day").fill("Dusk")
    scene_form.get_by_role("button", name="Save scene").click()
    expect(page.get_by_role("heading", name="1. Cliffs — Dusk")).to_be_visible()

    # A card edited in place: bad input first, then good.
    page.get_by_label("Actions for shot 1A").click()
    page.get_by_role("link", name="Edit shot 1A here").click()
    card = page.locator(".shot-card.editing")
    card.get_by_label("Duration seconds").fill("0")
    card.get_by_role("button", name="Save").click()
    expect(card.get_by_text("Ensure this value is greater than or equal to 1.")).to_be_visible()
    card.get_by_label("Duration seconds").fill("6")
    card.get_by_label("Subject").fill("The tower at dusk")
    card.get_by_role("button", name="Save").click()
    expect(page.locator(".shot-card", has_text="1A")).to_contain_text("The tower at dusk")
    expect(page.locator(".shot-card", has_text="1A")).to_contain_text("6 s")

    # Delete asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Actions for shot 1B").click()
    page.get_by_role("button", name="Delete shot 1B").click()
    expect(page.locator(".shot-card .label")).to_have_text(["1A"])
    assert page.csp_violations == []


def test_card_sizes_presentation_and_a_move_that_swaps_only_two_scenes(page):
    from tests.factories import MembershipFactory, SceneFactory, ShotFactory

    membership = MembershipFactory(user=UserFactory(username="mara"))
    scenes = [
        SceneFactory(project=membership.project, number=n, title=f"Place {n}", order=n)
        for n in (1, 2, 3)
    ]
    ShotFactory(scene=scenes[0], label="1A", subject="The tower", action="Rain on glass.")
    ShotFactory(scene=scenes[0], label="1B", subject="The sea", dialogue="MARA: Not tonight.")
    ShotFactory(scene=scenes[2], label="3A", subject="The stairs")
    sign_in(page)
    page.goto(f"/projects/{membership.project.pk}/")

    # The size picked is kept on this browser.
    page.get_by_role("button", name="Large").click()
    expect(page.locator("#board")).to_have_class(re.compile(r"\bcards-large\b"))
    page.reload()
    expect(page.locator("#board")).to_have_class(re.compile(r"\bcards-large\b"))
    expect(page.get_by_role("button", name="Large")).to_have_attribute("aria-pressed", "true")

    # Presentation: one frame at a time, arrows step, Escape leaves.
    page.get_by_role("button", name="Present").click()
    stage = page.get_by_role("dialog", name="Presentation")
    expect(stage.locator(".present-label")).to_have_text("1A", timeout=15_000)
    expect(stage).to_contain_text("Rain on glass.")
    page.keyboard.press("ArrowRight")
    expect(stage.locator(".present-label")).to_have_text("1B")
    expect(stage).to_contain_text("MARA: Not tonight.")
    page.keyboard.press("ArrowRight")
    expect(stage.locator(".present-label")).to_have_text("3A")
    page.keyboard.press("ArrowLeft")
    expect(stage.locator(".present-label")).to_have_text("1B")
    page.keyboard.press("Escape")
    if stage.count():  # a real full screen takes the first Escape for itself
        page.keyboard.press("Escape")
    expect(stage).to_have_count(0, timeout=15_000)

    # A move swaps the two scenes it touched, and leaves the third one as it was.
    page.locator(f"#scene-{scenes[1].pk}").evaluate("el => el.dataset.untouched = 'yes'")
    page.locator(f"#scene-{scenes[2].pk}").evaluate("el => el.dataset.untouched = 'yes'")
    page.locator(f"#scene-{scenes[0].pk}").evaluate("el => el.dataset.untouched = 'yes'")
    page.get_by_label("Actions for shot 1A").click()
    page.get_by_label("Scene for shot 1A").select_option(label="Scene 3")
    page.locator("#shot-" + str(membership.project.shots.get(label="1A").pk)).get_by_role(
        "button", name="Move", exact=True
    ).click()
    expect(page.locator(f"#scene-{scenes[2].pk} .shot-card .label")).to_have_text(
        ["3A", "1A"], timeout=15_000
    )
    expect(page.locator(f"#scene-{scenes[0].pk} .shot-card .label")).to_have_text(["1B"])
    assert page.locator(f"#scene-{scenes[1].pk}").get_attribute("data-untouched") == "yes"
    assert page.locator(f"#scene-{scenes[0].pk}").get_attribute("data-untouched") is None
    assert page.locator(f"#scene-{scenes[2].pk}").get_attribute("data-untouched") is None
    assert page.csp_violations == []


def test_scenes_added_moved_and_deleted_in_place(page):
    """Each scene change swaps only its own sections: the page is never reloaded, the scenes it
    did not touch stay the same elements, and card menus fetched before offer the new list."""
    from tests.factories import MembershipFactory, SceneFactory, ShotFactory

    membership = MembershipFactory(user=UserFactory(username="mara"))
    cliffs = SceneFactory(project=membership.project, number=1, title="Cliffs", order=1)
    stairs = SceneFactory(project=membership.project, number=2, title="Stairs", order=2)
    ShotFactory(scene=cliffs, label="1A")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page)
    page.goto(f"/projects/{membership.project.pk}/")
    headings = page.locator(".scene-header h2")
    expect(headings).to_have_text(["1. Cliffs", "2. Stairs"])
    page.evaluate("window.sameDocument = true")  # gone if the page loads again
    page.locator(f"#scene-{cliffs.pk}").evaluate("el => el.dataset.untouched = 'yes'")

    # A card menu opened now brings the list of scenes as it is.
    page.get_by_label("Actions for shot 1A").click()
    options = page.get_by_label("Scene for shot 1A").locator("option")
    expect(options).to_have_text(["Scene 1", "Scene 2"])
    page.get_by_label("Actions for shot 1A").click()  # closed again

    # Add: the new scene comes last, the form is emptied for the next one.
    add = page.locator("#add-scene")
    add.get_by_label("Title").fill("Lamp Room")
    add.get_by_role("button", name="Add scene").click()
    expect(headings).to_have_text(["1. Cliffs", "2. Stairs", "3. Lamp Room"], timeout=15_000)
    expect(add.get_by_label("Title")).to_have_value("")
    lamp = membership.project.scenes.get(title="Lamp Room")
    page.get_by_label("Actions for shot 1A").click()  # fetched again: the new scene is in it
    expect(options).to_have_text(["Scene 1", "Scene 2", "Scene 3"], timeout=15_000)
    page.get_by_label("Actions for shot 1A").click()

    # Move: the lamp room and the stairs swap places, nothing else.
    page.get_by_role("button", name="Move scene 3 earlier").click()
    expect(headings).to_have_text(["1. Cliffs", "3. Lamp Room", "2. Stairs"], timeout=15_000)
    page.get_by_label("Actions for shot 1A").click()
    expect(options).to_have_text(["Scene 1", "Scene 3", "Scene 2"], timeout=15_000)
    page.get_by_label("Actions for shot 1A").click()

    # Delete asks first, then only that scene goes.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#scene-{stairs.pk}").get_by_role("button", name="Delete scene").click()
    expect(headings).to_have_text(["1. Cliffs", "3. Lamp Room"], timeout=15_000)
    assert page.locator(f"#scene-{cliffs.pk}").get_attribute("data-untouched") == "yes"
    assert page.evaluate("window.sameDocument") is True
    assert list(membership.project.scenes.values_list("pk", flat=True)) == [cliffs.pk, lamp.pk]

    # The last scenes gone, the board says it is empty; a scene added takes that away.
    for scene in (cliffs, lamp):
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator(f"#scene-{scene.pk}").get_by_role("button", name="Delete scene").click()
        expect(page.locator(f"#scene-{scene.pk}")).to_have_count(0, timeout=15_000)
    expect(page.get_by_text("This project has no scenes yet.")).to_be_visible()
    add.get_by_label("Title").fill("Harbour")
    add.get_by_role("button", name="Add scene").click()
    expect(headings).to_have_text(["1. Harbour"], timeout=15_000)
    expect(page.get_by_text("This project has no scenes yet.")).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True
    assert errors == [] and page.csp_violations == []
