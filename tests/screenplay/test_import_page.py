"""The import page through the test client: upload, preview, confirm; refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Scene, Shot
from projects.services.projects import project_archive
from projects.views.access import ARCHIVED
from tests.html import form_data

FIXTURES = Path(__file__).parent / "fixtures"


def page(project) -> str:
    return reverse("projects:screenplay-import", args=[project.pk])


def upload(client, project, name: str, data: bytes | None = None, **extra):
    data = (FIXTURES / name).read_bytes() if data is None else data
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(page(project), {"file": file, "dialogue_language": "en", **extra})


def confirm(client, project, preview_html: str):
    return client.post(page(project), form_data(preview_html, "screenplay-confirm"))


def test_the_storyboard_links_editors_to_the_import(client, project, editor, viewer):
    client.force_login(editor)
    assert page(project) in client.get(reverse("projects:storyboard", args=[project.pk])).text
    client.force_login(viewer)
    assert page(project) not in client.get(reverse("projects:storyboard", args=[project.pk])).text


def test_the_upload_form(client, project, editor):
    client.force_login(editor)
    response = client.get(page(project))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert 'accept=".fountain,.spmd,.txt,.fdx"' in response.text


def test_upload_shows_a_preview_and_saves_nothing(client, project, editor):
    client.force_login(editor)
    response = upload(client, project, "lighthouse.fountain")

    assert response.status_code == 200
    assert "4 new scenes with 5 draft shots will be added." in response.text
    assert "New scene 2: INT. LAMP ROOM - CONTINUOUS" in response.text
    assert "MARA: (whispering) Not tonight." in response.text
    assert "The Lighthouse Keeper" in response.text
    assert Scene.objects.filter(project=project).count() == 0


def test_confirm_creates_the_scenes_and_shots(client, project, editor):
    client.force_login(editor)
    preview = upload(client, project, "lighthouse.fdx")

    response = confirm(client, project, preview.text)

    assert response.status_code == 302
    assert response.url.startswith(reverse("projects:storyboard", args=[project.pk]) + "#scene-")
    assert project.scenes.count() == 3
    assert Shot.objects.filter(project=project).count() == 4
    # Kept on the server between the two steps, speakers and parentheticals survive.
    assert Shot.objects.get(project=project, label="2B").dialogue.splitlines() == [
        "MARA: (whispering) Not tonight.",
        "TOM: Mara!",
        "MARA: (shouting) Go home!",
    ]
    board = client.get(response.url)
    assert "Imported 3 scene(s) and 4 draft shot(s) from lighthouse.fdx." in board.text


def test_a_preview_is_confirmed_once(client, project, editor):
    client.force_login(editor)
    preview = upload(client, project, "lighthouse.fdx")
    confirm(client, project, preview.text)

    again = confirm(client, project, preview.text)

    assert again.status_code == 422
    assert "This preview is out of date" in again.text
    assert project.scenes.count() == 3


def test_a_made_up_token_imports_nothing(client, project, editor):
    client.force_login(editor)
    upload(client, project, "lighthouse.fdx")
    response = client.post(page(project), {"token": "guessed"})
    assert response.status_code == 422
    assert project.scenes.count() == 0


def test_a_token_in_any_characters_is_just_wrong(client, project, editor):
    client.force_login(editor)
    upload(client, project, "lighthouse.fdx")
    response = client.post(page(project), {"token": "é" * 22})
    assert response.status_code == 422


def test_a_session_keeps_only_the_newest_previews(client, editor):
    from projects.views.screenplays import MAX_PREVIEWS, SESSION_KEY
    from tests.factories import MembershipFactory

    projects = [MembershipFactory(user=editor).project for _ in range(MAX_PREVIEWS + 1)]
    client.force_login(editor)
    for project in projects:
        assert upload(client, project, "phare.fountain").status_code == 200
    kept = client.session[SESSION_KEY]
    assert list(kept) == [str(project.pk) for project in projects[1:]]


def test_reimport_preview_marks_scenes_already_there(client, project, editor):
    client.force_login(editor)
    confirm(client, project, upload(client, project, "lighthouse.fountain").text)

    response = upload(client, project, "lighthouse.fountain")

    assert "Nothing new: every scene of this script is already in the project." in response.text
    assert "4 scenes already in the project will be left as they are." in response.text
    assert "Already in the project as scene 2 (LAMP ROOM) — left as is." in response.text
    assert 'id="screenplay-confirm"' in response.text  # no import button, the form is empty
    assert "Import 4 scenes" not in response.text


def test_a_broken_file_shows_its_line_and_saves_nothing(client, project, editor):
    client.force_login(editor)
    response = upload(client, project, "broken.fdx")
    assert response.status_code == 422
    assert "Line 9: The file is not readable XML (mismatched tag, column 7)." in response.text
    assert project.scenes.count() == 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.fountain", None, "This file is empty."),
        (
            "notes.fountain",
            b"Ideas for a film.\n",
            "No scene headings found (a heading starts with INT. or EXT., or a &#x27;.&#x27; "
            "to force one)",
        ),
        ("board.png", b"\x89PNG\r\n", "Choose a Fountain file"),
        ("script.txt", b"INT. A - DAY\n\n\x00\x01", "Line 3: This is not a text file"),
    ],
)
def test_files_that_are_not_screenplays_get_a_clear_message(
    client, project, editor, name, data, message
):
    client.force_login(editor)
    response = upload(client, project, name, data)
    assert response.status_code == 422
    assert message in response.text
    assert project.scenes.count() == 0


def test_a_file_over_the_cap_is_refused_before_reading(client, project, editor):
    client.force_login(editor)
    response = upload(client, project, "big.fountain", b"INT. A - DAY\n\n" + b"x" * 2_200_000)
    assert response.status_code == 422
    assert "This file is 2.1 MB; screenplays up to 2 MB can be imported." in response.text


def test_viewers_are_refused(client, project, viewer):
    client.force_login(viewer)
    assert client.get(page(project)).status_code == 403
    assert upload(client, project, "lighthouse.fountain").status_code == 403


def test_a_viewer_cannot_confirm_an_editors_preview(client, project, editor, viewer):
    client.force_login(editor)
    preview = upload(client, project, "lighthouse.fountain")
    client.force_login(viewer)  # a new session: the editor's preview is not in it anyway
    assert confirm(client, project, preview.text).status_code == 403
    assert project.scenes.count() == 0


def test_an_archived_project_refuses_the_confirm(client, project, owner):
    client.force_login(owner)
    preview = upload(client, project, "lighthouse.fountain")
    project_archive(project=project, user=owner)

    response = confirm(client, project, preview.text)

    assert response.status_code == 403
    assert ARCHIVED in response.text
    assert project.scenes.count() == 0


def test_outsiders_learn_nothing(client, project, outsider):
    client.force_login(outsider)
    assert client.get(page(project)).status_code == 404
