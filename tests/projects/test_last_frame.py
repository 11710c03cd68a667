"""The last frame: the still a shot should end on, for models that move first → last."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from projects.pipeline.requests import generation_request
from projects.selectors.shot_spec import shot_spec
from projects.selectors.snapshots import request_snapshot
from tests.factories import shot_form_data
from tests.projects.test_uploads import BAD_FILES, error_under


@pytest.fixture
def shot_url(project, shot):
    return reverse("projects:shot", args=[project.pk, shot.pk])


@pytest.fixture
def framed(client, editor, shot, shot_url, png_upload, django_capture_on_commit_callbacks):
    """A previz shot with a hero frame and a last frame, saved through the editor."""
    client.force_login(editor)
    data = shot_form_data(shot, target_model="previz")
    data["hero_upload"] = png_upload("hero.png", color=(200, 40, 40))
    data["last_upload"] = png_upload("last.png", color=(40, 40, 200))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(shot_url, data)
    assert response.status_code == 302
    shot.refresh_from_db()
    return shot


def test_a_last_frame_is_stored_with_a_thumbnail_and_shown_to_members(client, project, framed):
    assert default_storage.exists(framed.last_frame.name)
    assert default_storage.exists(framed.last_thumbnail.name)
    assert shot_spec(framed).has_last_frame
    html = client.get(reverse("projects:shot", args=[project.pk, framed.pk])).content.decode()
    thumb = reverse("projects:shot-image", args=[project.pk, framed.pk, "last-thumb"])
    assert thumb in html and "Remove the last frame" in html
    assert client.get(thumb)["Content-Type"] == "image/jpeg"


def test_outsiders_never_see_the_last_frame(client, outsider, project, framed):
    client.force_login(outsider)
    url = reverse("projects:shot-image", args=[project.pk, framed.pk, "last"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_last_frame_is_refused_under_its_field_and_loses_nothing(
    client, framed, shot_url, case
):
    make, message = BAD_FILES[case]
    hero, last = framed.hero_frame.name, framed.last_frame.name
    data = shot_form_data(framed, subject="Typed but not saved")
    data["last_upload"] = make()
    response = client.post(shot_url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert error_under(html, "last_upload") == [message]
    assert "Typed but not saved" in html
    framed.refresh_from_db()
    assert (framed.hero_frame.name, framed.last_frame.name) == (hero, last)
    assert framed.subject != "Typed but not saved"


def test_removing_the_last_frame_deletes_its_files(
    client, framed, shot_url, django_capture_on_commit_callbacks
):
    files = (framed.last_frame.name, framed.last_thumbnail.name)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(shot_url, shot_form_data(framed, remove_last="on"))
    framed.refresh_from_db()
    assert not framed.last_frame and framed.hero_frame
    assert not any(default_storage.exists(name) for name in files)


def test_the_take_request_carries_both_frames_in_order(framed, editor):
    from projects.services.takes import take_request

    snapshot = request_snapshot(framed)
    assert [image["role"] for image in snapshot["input_images"]] == ["first_frame", "last_frame"]
    take = take_request(shot=framed, user=editor)
    with generation_request(take) as request:
        roles = [image.role for image in request.images]
    assert roles == ["first_frame", "last_frame"]


def test_a_model_without_an_end_frame_says_so_on_the_last_frame_field(framed):
    from django.core.exceptions import ValidationError

    framed.target_model = "runway-gen4.5"
    with pytest.raises(ValidationError) as refused:
        request_snapshot(framed)
    assert "cannot end on a chosen last frame" in str(refused.value.message_dict["last_frame"])


def test_the_live_preview_counts_an_unsaved_removal(client, project, framed):
    url = reverse("projects:shot-preview", args=[project.pk, framed.pk])
    framed.target_model = "runway-gen4.5"
    kept = client.post(url, shot_form_data(framed)).content.decode()
    removed = client.post(url, shot_form_data(framed, remove_last="on")).content.decode()
    assert "cannot end on a chosen last frame" in kept
    assert "cannot end on a chosen last frame" not in removed
