import re
from html import unescape
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from projects.models import Shot
from projects.services.board import shot_create
from projects.services.shot_media import shot_set_hero_frame
from tests.factories import SceneFactory, ShotFactory, card_form_data, paid_take
from tests.queries import SESSION


def board_url(project):
    return reverse("projects:storyboard", args=[project.pk])


def shot_labels(scene):
    return list(scene.shots.order_by("order").values_list("label", flat=True))


def hx_move(client, what: str, project, moving, data: dict):
    """Post a move of `moving` (a "shot" or a "scene") as the board's HTMX does."""
    url = reverse(f"projects:{what}-move", args=[project.pk, moving.pk])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def section_ids(html: str) -> list[int]:
    """The scene sections in `html`, in order (out-of-band ones included)."""
    return [int(pk) for pk in re.findall(r'<section class="scene" id="scene-(\d+)"', html)]


def test_storyboard_lists_scenes_and_shot_cards_in_order(client, owner, project, scene):
    ShotFactory(scene=scene, label="1B", order=2, subject="Second")
    ShotFactory(scene=scene, label="1A", order=1, subject="First", pan=3, dolly=-5)
    client.force_login(owner)
    response = client.get(board_url(project))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("First") < html.index("Second")
    assert "pan +3, dolly -5" in html
    # The board writes its own "·" as &middot; (templatetags/board.py ascii_html): same text.
    assert "Medium shot · 5 s · Previz (local, free)" in unescape(html)


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
    # session, user, membership + project, scenes, card rows (with circled takes), the video
    # takes' numbers (version stacks), ready shots (for the estimates), rate cards, the top
    # bar's unread notifications
    with django_assert_num_queries(SESSION + 8) as one:
        client.get(board_url(project))
    # Half of them ready: the Generate estimates read those shots, in one query too.
    Shot.objects.bulk_create(
        [
            Shot(project=project, scene=scenes[i % 4], label=f"X{i}", order=i, status=status)
            for i, status in enumerate(["draft", "ready"] * 99 + ["ready"])
        ]
    )
    assert project.shots.count() == 200
    with django_assert_num_queries(len(one.captured_queries)) as many:
        response = client.get(board_url(project))
    assert response.content.decode().count('class="shot-card') == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_adding_a_scene_through_htmx_returns_only_the_new_scene(
    client, editor, project, django_assert_num_queries
):
    others = [SceneFactory(project=project, number=n, order=n) for n in (1, 2)]
    for other in others:
        ShotFactory(scene=other, label=f"{other.number}A")
    client.force_login(editor)
    # session, user, membership + project, the last number and order, the insert: nothing is
    # read for the new scene's cards or estimate (it has none) nor for the other scenes.
    with django_assert_num_queries(SESSION + 4):
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
    new = project.scenes.get(title="Harbour")
    # Its section goes where a new scene goes, last: in place of the "Add a scene" form, which
    # comes back after it, empty for the next one.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#add-scene", "outerHTML")
    assert response["HX-Trigger"] == "scenes-changed"  # menus fetched before drop their list
    html = response.content.decode()
    assert "3. Harbour — Quay, Dawn" in unescape(html)
    assert section_ids(html) == [new.pk]
    assert html.index(f'id="scene-{new.pk}"') < html.index('<form id="add-scene"')
    assert 'name="new-scene-title" maxlength="120" required' in html  # no value: emptied
    assert "Harbour" not in html.split('<form id="add-scene"', 1)[1]
    assert '<div id="board-empty" hidden hx-swap-oob="true"></div>' in html
    for other in others:
        assert f"scene-{other.pk}" not in html
    assert 'id="board"' not in html and "<html" not in html and "shot-card" not in html
    # The board read afresh shows it last.
    board = client.get(board_url(project)).content.decode()
    assert section_ids(board) == [*(other.pk for other in others), new.pk]


def test_adding_the_first_scene_takes_the_empty_board_line_away(client, editor, project):
    client.force_login(editor)
    board = client.get(board_url(project)).content.decode()
    assert re.search(r'<div id="board-empty"><p class="empty">This project has no scenes', board)
    response = client.post(
        reverse("projects:scene-create", args=[project.pk]),
        {"new-scene-title": "Harbour"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert '<div id="board-empty" hidden hx-swap-oob="true"></div>' in html
    assert "no scenes yet" not in html
    assert '<div id="board-empty" hidden></div>' in client.get(board_url(project)).content.decode()


def test_without_js_adding_a_scene_goes_back_to_it_on_the_board(client, editor, project):
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-create", args=[project.pk]), {"new-scene-title": "Harbour"}
    )
    scene = project.scenes.get()
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(project)}#scene-{scene.pk}"


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
    # Said on the form, which alone comes back; without JS, the board with the form's errors.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#add-scene", "outerHTML")
    assert html.lstrip().startswith('<form id="add-scene"') and "<section" not in html
    page = client.post(reverse("projects:scene-create", args=[project.pk]), {"new-scene-title": ""})
    assert page.status_code == 422 and "<html" in page.content.decode()
    assert "This field is required." in page.content.decode()


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
    response = hx_move(client, "shot", project, moving, {"scene": other.pk, "position": 1})
    assert response.status_code == 200
    assert shot_labels(other) == ["P", "M", "Q"]
    assert shot_labels(scene) == ["N"]
    assert list(other.shots.order_by("order").values_list("order", flat=True)) == [1, 2, 3]


def test_a_shot_cannot_move_into_another_projects_scene(client, editor, project, scene):
    shot = ShotFactory(scene=scene)
    foreign = SceneFactory()
    client.force_login(editor)
    response = hx_move(client, "shot", project, shot, {"scene": foreign.pk, "position": 0})
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
    assert "Generate ready shots · up to $0.80 (no price yet: K1)" in unescape(html)


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
    response = hx_move(client, "shot", project, shot, {"scene": scene.pk, "position": position})
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


def _four_scenes(project):
    scenes = [
        SceneFactory(project=project, number=n, order=n, title=f"Place {n}") for n in range(1, 5)
    ]
    for scene in scenes:
        ShotFactory(scene=scene, label=f"{scene.number}A")
    return scenes


def test_moving_a_scene_through_htmx_returns_the_two_that_swapped(
    client, editor, project, django_assert_num_queries
):
    one, two, three, four = _four_scenes(project)
    client.force_login(editor)
    url = reverse("projects:scene-move", args=[project.pk, three.pk])
    # session, user, membership + project, the scene; the move (savepoint, the scenes locked,
    # one UPDATE, release); the order after it; the two sections (scenes, card rows, video
    # takes' numbers, ready shots, rate cards). The same for 4 scenes or 31.
    with django_assert_num_queries(SESSION + 13):
        response = client.post(url, {"direction": "earlier"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    # Three and the scene it passed, in their new order, in place of two; three's old section
    # goes out of band.
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#scene-{two.pk}", "outerHTML")
    assert response["HX-Trigger"] == "scenes-changed"
    assert section_ids(html) == [three.pk, two.pk]
    assert f'<div hx-swap-oob="delete:#scene-{three.pk}"></div>' in html
    assert html.count('class="shot-card') == 2
    assert f"scene-{one.pk}" not in html and f"scene-{four.pk}" not in html
    assert 'id="board"' not in html
    board = client.get(board_url(project)).content.decode()
    assert section_ids(board) == [one.pk, three.pk, two.pk, four.pk]

    # Later: the scene and the one it passed, that one first.
    response = hx_move(client, "scene", project, one, {"direction": "later"})
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#scene-{three.pk}"
    assert section_ids(html) == [three.pk, one.pk]
    assert f'<div hx-swap-oob="delete:#scene-{one.pk}"></div>' in html
    assert f"scene-{two.pk}" not in html and f"scene-{four.pk}" not in html
    board = client.get(board_url(project)).content.decode()
    assert section_ids(board) == [three.pk, one.pk, two.pk, four.pk]


def test_a_scene_already_first_moved_earlier_keeps_its_place(client, editor, project):
    first, second, *_rest = _four_scenes(project)
    client.force_login(editor)
    response = hx_move(client, "scene", project, first, {"direction": "earlier"})
    # The same answer shape puts the pair back as it was: nothing on the page moves.
    assert response["HX-Retarget"] == f"#scene-{second.pk}"
    assert section_ids(response.content.decode()) == [first.pk, second.pk]
    assert list(project.scenes.values_list("pk", flat=True))[:2] == [first.pk, second.pk]


def test_the_only_scene_moved_comes_back_in_its_place(client, editor, project, scene):
    client.force_login(editor)
    response = hx_move(client, "scene", project, scene, {"direction": "later"})
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#scene-{scene.pk}"
    assert section_ids(html) == [scene.pk] and "delete:" not in html


def test_a_move_answer_for_a_scene_deleted_meanwhile_removes_it(rf, editor, project, scene):
    """Between the move and the answer's read of the order, a teammate may delete the scene:
    the answer then takes it off this page too, never a 500."""
    from projects.views.storyboard import scene_moved_response

    gone = SceneFactory(project=project)
    gone_pk = gone.pk
    gone.delete()
    membership = project.memberships.get(user=editor)
    response = scene_moved_response(rf.post("/"), membership, gone_pk, -1)
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#scene-{gone_pk}", "delete")


def test_a_scene_move_without_js_or_understood_direction(client, editor, project):
    one, two, *_rest = _four_scenes(project)
    client.force_login(editor)
    url = reverse("projects:scene-move", args=[project.pk, two.pk])
    response = client.post(url, {"direction": "earlier"})
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(project)}#scene-{two.pk}"
    refused = client.post(url, {"direction": "sideways"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and refused["HX-Retarget"] == "#board-note"
    assert "That move was not understood." in refused.content.decode()
    assert list(project.scenes.values_list("pk", flat=True))[:2] == [two.pk, one.pk]


def test_deleting_a_scene_through_htmx_removes_only_its_section(client, editor, project):
    one, two, three, four = _four_scenes(project)
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-delete", args=[project.pk, two.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#scene-{two.pk}", "delete")
    assert response["HX-Trigger"] == "scenes-changed"
    html = response.content.decode()
    # Nothing else: scene numbers are the script's, so the other sections read the same; a
    # note left by an earlier refusal goes, as it did with the whole board.
    assert html == '<div id="board-note" hx-swap-oob="true"></div>'
    for other in (one, three, four):
        assert f"scene-{other.pk}" not in html
    board = client.get(board_url(project)).content.decode()
    assert section_ids(board) == [one.pk, three.pk, four.pk]


def test_deleting_a_scene_reads_as_much_on_a_big_board_as_on_a_small_one(client, editor, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)

    def delete_queries(scene) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                reverse("projects:scene-delete", args=[project.pk, scene.pk]),
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200 and "<section" not in response.content.decode()
        return len(captured)

    small = _four_scenes(project)
    on_small = delete_queries(small[1])
    for n in range(10, 40):
        bystander = SceneFactory(project=project, number=n, order=n)
        for letter in "ABC":
            ShotFactory(scene=bystander, label=f"{n}{letter}", status="ready")
    assert delete_queries(small[2]) == on_small


def test_deleting_the_last_scene_says_the_board_is_empty(client, editor, project, scene):
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-delete", args=[project.pk, scene.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response["HX-Reswap"] == "delete"
    assert (
        '<div id="board-empty" hx-swap-oob="true"><p class="empty">This project has no scenes'
        " yet. Add the first one below.</p></div>" in html
    )


def test_a_refused_scene_delete_is_said_above_the_board(client, editor, project, scene, shot):
    from projects.models import TakeState

    paid_take(shot, number=1, state=TakeState.RUNNING)
    bystander = SceneFactory(project=project)
    client.force_login(editor)
    response = client.post(
        reverse("projects:scene-delete", args=[project.pk, scene.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#board-note" and "HX-Trigger" not in response
    html = response.content.decode()
    assert "cannot be deleted while one of its takes is still being generated" in html
    assert "<section" not in html and f"scene-{bystander.pk}" not in html
    assert project.scenes.filter(pk=scene.pk).exists()


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
    # Only the card comes back (and its scene's header, out of band, for the estimate).
    assert response["HX-Retarget"] == f"#shot-{shot.pk}"
    html = response.content.decode()
    assert html.count('class="shot-card') == 1 and 'id="board"' not in html
    assert f'id="scene-head-{scene.pk}" hx-swap-oob="true"' in html
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


def test_deleting_a_card_through_htmx_returns_only_its_scene(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    bystander = SceneFactory(project=project)
    ShotFactory(scene=bystander, label="2A")
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-delete", args=[project.pk, shot.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#scene-{scene.pk}"
    assert html.count("<section") == 1 and 'id="board"' not in html
    assert f'id="scene-{bystander.pk}"' not in html
    assert "No shots in this scene yet." in html
    assert not Shot.objects.filter(pk=shot.pk).exists()


def test_deleting_a_card_without_js_goes_back_to_its_scene(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    client.force_login(editor)
    response = client.post(reverse("projects:shot-delete", args=[project.pk, shot.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#scene-{scene.pk}")
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


def test_a_move_to_another_scene_returns_only_the_two_scenes(client, editor, project, scene):
    other, bystander = SceneFactory(project=project), SceneFactory(project=project)
    moving = ShotFactory(scene=scene, label="M", order=1)
    ShotFactory(scene=bystander, label="B", order=1)
    client.force_login(editor)
    response = hx_move(client, "shot", project, moving, {"scene": other.pk, "position": 0})
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#scene-{other.pk}"
    assert f'<section class="scene" id="scene-{other.pk}"' in html
    assert f'id="scene-{scene.pk}" data-scene-id="{scene.pk}" hx-swap-oob="true"' in html
    assert f'id="scene-{bystander.pk}"' not in html and 'id="board"' not in html
    assert html.count('class="shot-card') == 1


def test_earlier_later_through_htmx_returns_that_scene(client, editor, project, scene):
    ShotFactory(scene=scene, label="A", order=1)
    b = ShotFactory(scene=scene, label="B", order=2)
    SceneFactory(project=project)
    client.force_login(editor)
    response = hx_move(client, "shot", project, b, {"direction": "earlier"})
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#scene-{scene.pk}"
    assert html.count("<section") == 1
    assert html.index(">B</a>") < html.index(">A</a>")


def test_the_card_menu_brings_the_scene_list_on_demand(client, editor, project, scene):
    SceneFactory(project=project, number=2)
    shot = ShotFactory(scene=scene, label="1A")
    client.force_login(editor)
    board = client.get(board_url(project)).content.decode()
    assert "<select" not in board.split('id="board"', 1)[1]  # no scene list per card
    url = reverse("projects:shot-move", args=[project.pk, shot.pk])
    # The menu is a plain link (the page without JS), relative to the board's own URL.
    assert urljoin(board_url(project), f"shots/{shot.pk}/move/") == url
    assert f'<a href="shots/{shot.pk}/move/">' in board
    menu = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-label="Scene for shot 1A"' in menu and "Scene 2</option>" in menu
    assert "<html" not in menu
    page = client.get(url).content.decode()  # without JS: a small page with the same forms
    assert "<html" in page and 'aria-label="Move shot 1A earlier"' in page


def test_cards_are_image_first_at_the_shots_aspect_ratio(client, owner, project, scene):
    ShotFactory(scene=scene, label="1A", aspect_ratio="9:16", action="She turns.")
    client.force_login(owner)
    html = client.get(board_url(project)).content.decode()
    card = html[html.index('id="shot-') :]
    assert card.index('class="frame ar-9x16"') < card.index('class="label"')
    assert '<p class="action">She turns.</p>' in card


def test_card_text_is_escaped(client, owner, project, scene):
    ShotFactory(scene=scene, label="1A", subject="<b>bold</b>", dialogue="A & B")
    client.force_login(owner)
    html = client.get(board_url(project)).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "A &amp; B" in html


def test_card_links_are_relative_to_the_board_and_lead_to_the_shot(client, owner, project, scene):
    shot = ShotFactory(scene=scene, label="1A")
    client.force_login(owner)
    html = client.get(board_url(project)).content.decode()
    card = html[html.index(f'id="shot-{shot.pk}"') :]
    card = card[: card.index("</li>")]
    href = card.split('class="label" ', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    assert urljoin(board_url(project), href) == reverse("projects:shot", args=[project.pk, shot.pk])
    assert client.get(urljoin(board_url(project), href)).status_code == 200
    assert '<summary aria-label="Actions for shot 1A">' in card
    assert "draggable" not in card and '=""' not in card  # set by the script; no empty attributes


def test_a_big_board_stays_small(client, owner, project):
    """Markup per card is what makes a 500-shot board heavy: a typical card stays under 700
    bytes (scripts/bench_board.py measures the whole board: 500 shots, goal 500 KB)."""
    scene = SceneFactory(project=project)
    Shot.objects.bulk_create(
        [
            Shot(
                project=project,
                scene=scene,
                label=f"1{i}",
                order=i,
                subject=f"The keeper climbs the stairs, shot {i}",
                status="ready",
            )
            for i in range(20)
        ]
    )
    client.force_login(owner)
    html = client.get(board_url(project)).content.decode()
    cards = html.split('<li class="shot-card')[1:]
    assert len(cards) == 20
    assert max(len(card.split("</li>", 1)[0].encode()) for card in cards) < 700


def test_a_card_alone_is_the_card_on_the_board(client, owner, project, scene):
    """The board counts version stacks for all its cards at once, a single card (an edit's
    answer, a live refresh) in its own query: both read the same."""
    from projects.selectors.board import board_cards, card_for
    from projects.services.takes import take_circle
    from projects.templatetags.board import CardPainter
    from tests.projects.test_decisions import make_take

    shot = ShotFactory(scene=scene, label="1A")
    for number in (1, 2, 3):
        make_take(shot, number)
    take_circle(take=shot.takes.get(number=2), user=owner)
    shot.refresh_from_db()
    on_board = board_cards(project)[scene.pk][0]
    assert on_board == card_for(shot)
    assert on_board[-2:] == (3, 2)
    painted = CardPainter(project.pk, can_edit=True).card(on_board)
    assert '<p class="version-mark">v2 circled of 3</p>' in painted


def test_the_add_scene_fields_are_the_scene_forms_own():
    """The board paints its empty "Add a scene" fields from a constant (templatetags/
    board_scenes.py): it must read as Django renders SceneForm, so a change to the form shows
    here. After a refused add the form is Django's own, with its errors."""
    import re

    from django.template.loader import render_to_string

    from projects.forms import SceneForm
    from projects.templatetags.board_scenes import add_scene_fields

    def tags(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    form = SceneForm(prefix="new-scene")
    django_html = render_to_string("partials/form_fields.html", {"form": form})
    assert tags(add_scene_fields(form)) == tags(django_html)
    refused = SceneForm({"new-scene-title": ""}, prefix="new-scene")
    assert refused.errors
    assert 'class="field-errors"' in add_scene_fields(refused)
