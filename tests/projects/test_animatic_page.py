"""The animatic page (views/animatic.py): the cut in board order as JSON for the player, one
scene with ?scene=, any member may play it, and the same queries however many shots."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import Shot
from tests.factories import ProjectFactory, SceneFactory, ShotFactory, image_bytes, paid_take
from tests.queries import SESSION

DATA = re.compile(r'<script id="animatic-data" type="application/json">(.*?)</script>', re.S)


def animatic_url(project, scene=None) -> str:
    url = reverse("projects:animatic", args=[project.pk])
    return url if scene is None else f"{url}?scene={scene if isinstance(scene, str) else scene.pk}"


def player_data(response) -> dict:
    found = DATA.search(response.content.decode())
    assert found, "the page carries no cut for the player"
    return json.loads(found.group(1))


def circled_take(shot: Shot, number: int = 1):
    take = paid_take(shot, number=number)
    take.video.save("take.mp4", ContentFile(b"not played here"), save=True)
    Shot.objects.filter(pk=shot.pk).update(circled_take=take)
    return take


def with_hero(shot: Shot) -> Shot:
    shot.hero_frame.save("hero.jpg", ContentFile(image_bytes("JPEG")), save=True)
    return shot


@pytest.fixture
def board(project, scene):
    """Scene 1: a filmed shot, a shot with a hero frame, an empty shot; scene 2: one empty shot."""
    filmed = ShotFactory(scene=scene, label="1A", duration_seconds=2)
    take = circled_take(filmed, number=3)
    framed = with_hero(ShotFactory(scene=scene, label="1B", duration_seconds=4))
    empty = ShotFactory(scene=scene, label="1C", duration_seconds=1, action="The lamp goes out")
    later = SceneFactory(project=project, title="Harbour")
    last = ShotFactory(scene=later, label="2A", duration_seconds=3, action="Boats come in")
    return {"take": take, "shots": [filmed, framed, empty, last], "later": later}


def test_a_viewer_gets_every_shot_in_board_order_with_what_it_plays(client, viewer, project, board):
    client.force_login(viewer)
    response = client.get(animatic_url(project))
    assert response.status_code == 200
    cut = player_data(response)
    framed = board["shots"][1]
    segments = cut["segments"]
    assert [s["label"] for s in segments] == ["1A", "1B", "1C", "2A"]
    assert [s["source"] for s in segments] == ["take", "frame", "title", "title"]
    assert [s["source_words"] for s in segments] == [
        "take 3",
        "hero frame",
        "title card",
        "title card",
    ]
    assert [s["duration"] for s in segments] == [2, 4, 1, 3]
    assert [s["start"] for s in segments] == [0, 2, 6, 7]
    assert cut["duration"] == 10 and cut["fps"] == 24 and cut["title"] == project.name
    pk = project.pk
    assert segments[0]["media_url"] == f"/projects/{pk}/takes/{board['take'].pk}/file/video.mp4"
    assert segments[1]["media_url"] == f"/projects/{pk}/shots/{framed.pk}/hero.jpg"
    assert segments[2]["media_url"] == "" and segments[2]["action"] == "The lamp goes out"
    assert (segments[3]["scene_number"], segments[3]["scene_title"]) == (
        board["later"].number,
        "Harbour",
    )
    # The media URLs it names are ones the viewer may fetch.
    assert client.get(segments[1]["media_url"]).status_code == 200
    assert client.get(segments[0]["media_url"]).status_code == 200
    # The shot list beside the player says what each shot is made of.
    page = response.content.decode()
    assert page.count("data-shot-row") == 4 and "take 3" in page and "hero frame" in page


def test_a_take_that_is_not_finished_leaves_the_shot_to_its_hero_frame(
    client, viewer, project, scene
):
    shot = with_hero(ShotFactory(scene=scene, label="4A"))
    take = circled_take(shot)
    type(take).objects.filter(pk=take.pk).update(state="running")
    client.force_login(viewer)
    (segment,) = player_data(client.get(animatic_url(project)))["segments"]
    assert (segment["source"], segment["source_words"]) == ("frame", "hero frame")


def test_one_scene_plays_alone(client, viewer, project, board):
    client.force_login(viewer)
    response = client.get(animatic_url(project, board["later"]))
    assert response.status_code == 200
    cut = player_data(response)
    assert [s["label"] for s in cut["segments"]] == ["2A"]
    assert cut["duration"] == 3 and cut["segments"][0]["start"] == 0
    assert "scene" in cut["title"] and "Harbour" in cut["title"]
    assert "Loop the scene" in response.content.decode()


@pytest.mark.parametrize("asked", ["other-project", "999999", "abc", "-1", "9" * 30])
def test_a_scene_that_is_not_this_projects_is_a_404(client, viewer, project, scene, asked):
    other = SceneFactory(project=ProjectFactory())
    ShotFactory(scene=other)
    client.force_login(viewer)
    scene_id = str(other.pk) if asked == "other-project" else asked
    assert client.get(animatic_url(project, scene_id)).status_code == 404


def test_an_outsider_is_refused_like_on_every_page(client, outsider, project, board):
    client.force_login(outsider)
    assert client.get(animatic_url(project)).status_code == 404
    assert client.get(animatic_url(project, board["later"])).status_code == 404


def test_signed_out_goes_to_sign_in(client, project):
    response = client.get(animatic_url(project))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("in_scene", [False, True])
def test_an_empty_cut_says_so_and_leads_back_to_the_board(client, viewer, project, in_scene):
    scene = SceneFactory(project=project)
    client.force_login(viewer)
    response = client.get(animatic_url(project, scene if in_scene else None))
    page = response.content.decode()
    assert response.status_code == 200
    assert "No shots yet" in page and not DATA.search(page)
    board_url = reverse("projects:storyboard", args=[project.pk])
    assert f'href="{board_url}{f"#scene-{scene.pk}" if in_scene else ""}"' in page


def test_the_board_links_to_the_film_and_each_scene(client, viewer, project, board):
    client.force_login(viewer)
    page = client.get(reverse("projects:storyboard", args=[project.pk])).content.decode()
    assert f'href="{animatic_url(project)}"' in page
    for scene in project.scenes.all():
        assert f'href="{animatic_url(project, scene)}"' in page


@pytest.mark.parametrize("shots_a_scene", [1, 12])
def test_the_page_costs_the_same_queries_whatever_the_number_of_shots(
    client, viewer, project, shots_a_scene, django_assert_num_queries
):
    for number in range(3):
        scene = SceneFactory(project=project)
        for n in range(shots_a_scene):
            shot = ShotFactory(scene=scene)
            if n % 3 == 0:
                circled_take(shot)
            elif n % 3 == 1:
                with_hero(shot)
    client.force_login(viewer)
    url = animatic_url(project)
    # session, user, membership and project; scenes, their shots with the circled takes, the
    # takes' frame notes; the scenes to switch to; the top bar's unread notifications
    with django_assert_num_queries(SESSION + 7):
        response = client.get(url)
    assert len(player_data(response)["segments"]) == 3 * shots_a_scene
    # One scene adds the scene's lookup.
    with django_assert_num_queries(SESSION + 8):
        response = client.get(animatic_url(project, scene))
    assert len(player_data(response)["segments"]) == shots_a_scene
