import pytest
from django.urls import reverse

from projects.models import Shot
from projects.services.board import shot_create
from projects.services.shot_media import shot_set_hero_frame
from tests.factories import SceneFactory, ShotFactory, card_form_data


def board_url(project):
    return reverse("projects:storyboard", args=[project.pk])


def shot_labels(scene):
    return list(scene.shots.order_by("order").values_list("label", flat=True))


def test_storyboard_lists_scenes_and_shot_cards_in_order(client, owner, project, scene):
    ShotFactory(scene=scene, label="1B", order=2, subject="Second")
    ShotFactory(scene=scene, label="1A", order=1, subject="First", pan=3, dolly=-5)
    client.force_login(owner)
    response = client.get(board_url(project))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("First") < html.index("Second")
    assert "pan +3, dolly -5" in html
    assert "Medium shot · 5 s · Previz (local, free)" in html


def _queries_for_board(client, django_assert_max_num_queries, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(board_url(project))
    assert response.status_code == 200
    return len(captured)


def test_storyboard_query_count_is_the_same_for_1_and_200_shots(
    client, owner, project, django_assert_num_queries
):
    scenes = [SceneFactory(project=project) for _ in range(4)]
    ShotFactory(scene=scenes[0])
    client.force_login(owner)
    # session, user, membership + project, scenes, shots (with circled takes), rate cards,
    # the top bar's unread notifications
    with django_assert_num_queries(7) as one:
        client.get(board_url(project))
    Shot.objects.bulk_create(
        [Shot(project=project, scene=scenes[i % 4], label=f"X{i}", order=i) for i in range(199)]
    )
    assert project.shots.count() == 200
    with django_assert_num_queries(len(one.captured_queries)) as many:
        response = client.get(board_url(project))
    assert response.content.decode().count('class="shot-card') == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_adding_a_scene_through_htmx_returns_the_board(client, editor, project):
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-create", args=[project.pk]),
        {
            "new-scene-title": "Harbour",
            "new-scene-location": "Quay",
            "new-scene-time_of_day": "Dawn",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#board"
    assert "1. Harbour — Quay, Dawn" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_scene_without_a_title_is_refused_on_the_form(client, editor, project):
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-create", args=[project.pk]),
        {"new-scene-title": "", "new-scene-location": "Quay"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="Quay"' in html
    assert project.scenes.count() == 0


def test_without_js_adding_a_shot_redirects_back_to_the_scene(client, editor, project, scene):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-create", args=[project.pk, scene.pk]),
        {
            f"add-{scene.pk}-subject": "Keeper",
            f"add-{scene.pk}-shot_size": "cu",
            f"add-{scene.pk}-duration_seconds": "4",
        },
    )
    shot = scene.shots.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#shot-{shot.pk}")
    assert shot.label == f"{scene.number}A"
    assert (shot.subject, shot.shot_size, shot.duration_seconds) == ("Keeper", "cu", 4)


def test_quick_add_with_a_bad_duration_keeps_the_input(client, editor, project, scene):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-create", args=[project.pk, scene.pk]),
        {
            f"add-{scene.pk}-subject": "Keeper",
            f"add-{scene.pk}-shot_size": "cu",
            f"add-{scene.pk}-duration_seconds": "0",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert 'value="Keeper"' in response.content.decode()
    assert not scene.shots.exists()


def test_earlier_and_later_buttons_reorder_within_the_scene(client, editor, project, scene):
    a, _b, c = (ShotFactory(scene=scene, label=label, order=i) for i, label in enumerate("ABC"))
    client.force_login(editor)
    url = reverse("projects:shot-move", args=[project.pk, c.pk])
    client.post(url, {"direction": "earlier"})
    assert shot_labels(scene) == ["A", "C", "B"]
    client.post(reverse("projects:shot-move", args=[project.pk, a.pk]), {"direction": "later"})
    assert shot_labels(scene) == ["C", "A", "B"]
    client.post(reverse("projects:shot-move", args=[project.pk, c.pk]), {"direction": "earlier"})
    assert shot_labels(scene) == ["C", "A", "B"]


def test_drag_to_another_scene_at_a_position(client, editor, project, scene):
    other = SceneFactory(project=project)
    moving = ShotFactory(scene=scene, label="M", order=1)
    ShotFactory(scene=scene, label="N", order=2)
    for i, label in enumerate(["P", "Q"]):
        ShotFactory(scene=other, label=label, order=i + 1)
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-move", args=[project.pk, moving.pk]),
        {"scene": other.pk, "position": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert shot_labels(other) == ["P", "M", "Q"]
    assert shot_labels(scene) == ["N"]
    assert list(other.shots.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_a_shot_cannot_move_into_another_projects_scene(client, editor, project, scene):
    shot = ShotFactory(scene=scene)
    foreign = SceneFactory()
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-move", args=[project.pk, shot.pk]),
        {"scene": foreign.pk, "position": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    shot.refresh_from_db()
    assert shot.scene == scene


def test_the_scene_button_shows_the_total_for_its_ready_shots(client, editor, project, scene):
    from decimal import Decimal

    from projects.models import RateCard

    RateCard.objects.filter(model="previz").update(price=Decimal("0.10"))
    ShotFactory(scene=scene, status="ready", duration_seconds=5)
    ShotFactory(scene=scene, status="ready", duration_seconds=3)
    ShotFactory(scene=scene, status="draft", duration_seconds=9)
    ShotFactory(scene=scene, status="ready", target_model="kling-2.6-pro", label="K1")
    client.force_login(editor)
    html = client.get(board_url(project)).content.decode()
    assert "Generate ready shots · up to $0.80 (no price yet: K1)" in html


def test_viewer_sees_the_board_without_edit_controls(client, viewer, project, scene):
    ShotFactory(scene=scene)
    client.force_login(viewer)
    html = client.get(board_url(project)).content.decode()
    assert "Add a scene" not in html
    assert 'draggable="true"' not in html
    assert "Add shot" not in html


@pytest.mark.parametrize("position", [-1, "x", ""])
def test_a_nonsense_move_is_refused_with_a_message(client, editor, project, scene, position):
    shot = ShotFactory(scene=scene)
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-move", args=[project.pk, shot.pk]),
        {"scene": scene.pk, "position": position},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "That move was not understood." in response.content.decode()


def test_next_shot_label_skips_taken_labels(project, scene):
    first = shot_create(scene=scene)
    ShotFactory(scene=scene, label=f"{scene.number}B")
    third = shot_create(scene=scene)
    assert (first.label, third.label) == (f"{scene.number}A", f"{scene.number}C")


def test_scenes_move_earlier_and_later(client, editor, project):
    one, two, three = (SceneFactory(project=project, order=i) for i in (1, 2, 3))
    client.force_login(editor)
    url = reverse("projects:scene-move", args=[project.pk, three.pk])
    client.post(url, {"direction": "earlier"}, HTTP_HX_REQUEST="true")
    assert list(project.scenes.values_list("pk", flat=True)) == [one.pk, three.pk, two.pk]
    client.post(url, {"direction": "later"})
    client.post(url, {"direction": "later"})
    assert list(project.scenes.values_list("pk", flat=True)) == [one.pk, two.pk, three.pk]


def test_editing_a_card_in_place(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    client.force_login(editor)
    url = reverse("projects:shot-card-edit", args=[project.pk, shot.pk])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'name="card-{shot.pk}-subject"' in form
    assert "<html" not in form
    data = card_form_data(
        shot,
        label="1AA",
        subject="The ship",
        shot_size="ws",
        duration_seconds="8",
        target_model="kling-2.6-pro",
        status="ready",
    )
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#board"
    shot.refresh_from_db()
    assert (shot.label, shot.subject, shot.duration_seconds, shot.status) == (
        "1AA",
        "The ship",
        8,
        "ready",
    )


def test_a_bad_card_edit_keeps_the_input_and_the_saved_shot(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    ShotFactory(scene=scene, label="1B")
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-card-edit", args=[project.pk, shot.pk]),
        card_form_data(
            shot,
            label="1b",
            subject="Typed words",
            shot_size="ws",
            duration_seconds="8",
            target_model="previz",
        ),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another shot in this project is already called 1b." in html
    assert 'value="Typed words"' in html
    shot.refresh_from_db()
    assert (shot.label, shot.subject) == ("1A", "The keeper")


def test_deleting_a_card_through_htmx_returns_the_board(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-delete", args=[project.pk, shot.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Retarget"] == "#board"
    assert "No shots in this scene yet." in response.content.decode()
    assert not Shot.objects.filter(pk=shot.pk).exists()


def test_deleting_a_scene_removes_its_shots_pictures(
    client, editor, project, scene, png_upload, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from projects.images import clean_uploaded_image

    shot = ShotFactory(scene=scene)
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:scene-delete", args=[project.pk, scene.pk]))
    assert not project.scenes.exists()
    assert not default_storage.exists(shot.hero_frame.name)
