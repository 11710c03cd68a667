"""Members who may not change a page see it view only, labelled so, with nothing to type into
or press; members who may change it keep their forms."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import Role, TakeState
from tests.factories import MembershipFactory, paid_take
from tests.html import enabled_controls


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main>") :]  # the sign-out button in the top bar is not the page's


def pressable(response) -> list[str]:
    return [c.text.strip() or c.name or c.type for c in enabled_controls(main_of(response))]


@pytest.fixture
def pages(project, scene, shot):
    take = paid_take(shot, state=TakeState.SUCCEEDED)
    take.video.save("take.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    paid_take(shot, number=2, state=TakeState.FAILED)
    return {
        "storyboard": reverse("projects:storyboard", args=[project.pk]),
        "shot": reverse("projects:shot", args=[project.pk, shot.pk]),
        "scene": reverse("projects:scene-edit", args=[project.pk, scene.pk]),
        "settings": reverse("projects:settings", args=[project.pk]),
        "members": reverse("projects:members", args=[project.pk]),
        "compare": reverse("projects:shot-compare", args=[project.pk, shot.pk]),
        "queue": reverse("projects:queue", args=[project.pk]),
    }


@pytest.mark.parametrize("page", ["storyboard", "shot", "scene", "settings", "members", "compare"])
def test_a_viewer_gets_every_page_view_only(client, viewer, pages, page):
    client.force_login(viewer)
    response = client.get(pages[page])
    assert response.status_code == 200
    assert pressable(response) == []
    assert "View only" in main_of(response)


def test_the_view_only_label_says_why(client, viewer, pages):
    client.force_login(viewer)
    html = client.get(pages["shot"]).content.decode()
    assert "You are a viewer on this project: you can see everything but not change it." in html


def test_a_viewer_has_no_settings_button(client, viewer, owner, pages):
    client.force_login(viewer)
    assert ">Settings</a>" not in client.get(pages["storyboard"]).content.decode()
    client.force_login(owner)
    assert ">Settings</a>" in client.get(pages["storyboard"]).content.decode()


def test_a_viewer_sees_no_upload_and_no_generate_on_the_shot(client, viewer, pages):
    client.force_login(viewer)
    html = main_of(client.get(pages["shot"]))
    for absent in ('type="file"', "Save shot", "Generate on", "Reset to static", "Save preset"):
        assert absent not in html


@pytest.mark.parametrize("page", ["settings", "members"])
def test_an_editor_sees_the_owners_pages_view_only(client, editor, pages, page):
    client.force_login(editor)
    response = client.get(pages[page])
    assert pressable(response) == []
    assert "Only the project's owners can change this." in main_of(response)


def test_the_read_only_settings_name_the_choices(client, viewer, project, pages):
    project.budget = 40
    project.save(update_fields=["budget"])
    client.force_login(viewer)
    html = main_of(client.get(pages["settings"]))
    assert "<dt>Default model</dt><dd>Previz (local, free)</dd>" in html
    assert "<dt>Default aspect ratio</dt><dd>16:9" in html
    assert "<dt>Budget</dt><dd>40" in html
    assert "<dt>Owner approval above</dt><dd>—</dd>" in html


def test_a_viewer_sees_the_scene_as_text(client, viewer, scene, pages):
    client.force_login(viewer)
    html = main_of(client.get(pages["scene"]))
    assert f"<dt>Title</dt><dd>{scene.title}</dd>" in html
    assert "Save scene" not in html


@pytest.mark.parametrize(
    ("page", "controls"),
    [
        ("storyboard", {"Add scene", "Add shot", "Delete scene", "Edit scene"}),
        ("shot", {"Save shot", "Delete shot"}),
        ("scene", {"Save scene"}),
    ],
)
def test_editors_keep_their_forms(client, editor, pages, page, controls):
    client.force_login(editor)
    html = main_of(client.get(pages[page]))
    assert "View only" not in html
    for control in controls:
        assert control in html


@pytest.mark.parametrize(("page", "control"), [("settings", "Save"), ("members", "Invite")])
def test_owners_keep_their_forms(client, owner, pages, page, control):
    client.force_login(owner)
    response = client.get(pages[page])
    assert control in pressable(response)
    assert "View only" not in main_of(response)


def test_an_owner_of_an_archived_project_is_view_only_but_may_restore(client, owner, pages):
    from projects.models import Project
    from projects.services.projects import project_archive

    project_archive(project=Project.objects.get(), user=owner)
    client.force_login(owner)
    for page in ("storyboard", "shot", "scene", "settings", "members"):
        response = client.get(pages[page])
        assert pressable(response) == ["Restore project"], page


def test_a_second_owner_keeps_the_team_forms(client, project, pages):
    second = MembershipFactory(project=project, role=Role.OWNER).user
    client.force_login(second)
    assert "Invite" in pressable(client.get(pages["members"]))
