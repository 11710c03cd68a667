from django.urls import reverse

from tests.factories import shot_form_data


def shot_post(shot, **changes):
    return shot_form_data(shot, **changes)


def test_saving_the_camera_sliders(client, editor, project, shot):
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    response = client.post(url, shot_post(shot, pan=4, dolly=-10, roll=1, subject="Mara"))
    assert response.status_code == 302
    shot.refresh_from_db()
    assert shot.camera == {"pan": 4, "tilt": 0, "roll": 1, "zoom": 0, "truck": 0, "dolly": -10}
    assert shot.subject == "Mara"


def test_a_slider_out_of_range_is_refused_and_nothing_is_saved(client, editor, project, shot):
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    response = client.post(url, shot_post(shot, pan=11, subject="Changed"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 10." in html
    assert 'value="Changed"' in html
    shot.refresh_from_db()
    assert (shot.pan, shot.subject) == (0, "The keeper")


def test_reset_to_static_zeroes_every_axis(client, editor, project, shot):
    shot.pan, shot.zoom = 5, -3
    shot.save()
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    client.post(url, shot_post(shot, reset_camera="1", notes="static now"))
    shot.refresh_from_db()
    assert shot.camera_summary == "static"
    assert shot.notes == "static now"


def test_a_label_already_used_in_the_project_is_refused(client, editor, project, scene, shot):
    from tests.factories import ShotFactory

    ShotFactory(scene=scene, label="9Z")
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    response = client.post(url, shot_post(shot, label="9z"))
    assert response.status_code == 422
    assert "Another shot in this project is already called 9z." in response.content.decode()


def test_editor_page_shows_values_and_the_live_outputs(client, viewer, project, shot):
    shot.tilt = -7
    shot.save()
    client.force_login(viewer)
    html = client.get(reverse("projects:shot", args=[project.pk, shot.pk])).content.decode()
    assert 'type="range"' in html
    assert 'data-output-for="tilt">-7</output>' in html
    assert "<fieldset disabled>" in html


def test_replacing_the_hero_frame_keeps_the_new_file_and_removes_the_old(
    editor, shot, png_upload, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from projects.images import clean_uploaded_image
    from projects.services.shot_media import shot_set_hero_frame

    with django_capture_on_commit_callbacks(execute=True):
        shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    first = shot.hero_frame.name
    with django_capture_on_commit_callbacks(execute=True):
        shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload(color=(1, 2, 3))))
    assert default_storage.exists(shot.hero_frame.name)
    assert default_storage.exists(shot.hero_thumbnail.name)
    assert not default_storage.exists(first)
