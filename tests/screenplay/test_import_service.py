"""A parsed screenplay into a project: new scenes with draft shots, the rest left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from projects.models import Activity, ActivityKind, Scene, Shot, ShotStatus
from projects.screenplay.files import read_screenplay
from projects.screenplay.fountain import parse_fountain
from projects.services.board import shot_update
from projects.services.projects import project_archive
from projects.services.screenplays import import_plan, screenplay_import
from tests.factories import SceneFactory

FIXTURES = Path(__file__).parent / "fixtures"


def script(name: str):
    return read_screenplay(name, (FIXTURES / name).read_bytes())


def scenes_of(project) -> list[tuple[int, str, str, str]]:
    return [
        (scene.number, scene.title, scene.location, scene.time_of_day)
        for scene in project.scenes.order_by("order")
    ]


def test_an_import_makes_scenes_in_order_with_draft_shots(project, editor):
    result = screenplay_import(
        project=project, screenplay=script("lighthouse.fountain"), user=editor
    )

    assert (len(result.scenes), result.shot_count, result.kept_count) == (4, 5, 0)
    assert scenes_of(project) == [
        (1, "LIGHTHOUSE", "LIGHTHOUSE", "NIGHT"),
        (2, "LAMP ROOM", "LAMP ROOM", "CONTINUOUS"),
        (3, "UNDERWATER", "UNDERWATER", ""),
        (4, "HARBOUR", "HARBOUR", "DAWN"),
    ]
    lamp_room = project.scenes.get(number=2)
    assert lamp_room.description == "INT. LAMP ROOM - CONTINUOUS"  # INT/EXT kept here
    labels = list(Shot.objects.filter(project=project).values_list("label", flat=True))
    assert labels == ["1A", "2A", "3A", "4A", "4B"]
    assert Shot.objects.filter(project=project, status=ShotStatus.DRAFT, subject="").count() == 5


def test_shots_carry_action_dialogue_with_speakers_and_notes(project, editor):
    screenplay_import(project=project, screenplay=script("lighthouse.fountain"), user=editor)

    shot = Shot.objects.get(project=project, label="2A")
    assert shot.action == "MARA, seventies, climbs the last stair and wipes the glass."
    assert shot.dialogue.splitlines() == [
        "MARA: (whispering) Not tonight. Not while he's out there.",
        "TOM: Mara? Mara, open up!",
        "MARA: Go home, Tom!",
    ]
    assert shot.notes == (
        "Dual dialogue: TOM and MARA speak at the same time.\nTransition: CUT TO:"
    )
    assert shot.aspect_ratio == project.aspect_ratio
    assert shot.target_model == project.default_model


def test_each_new_shot_is_on_the_activity_with_who_imported_it(project, editor):
    screenplay_import(project=project, screenplay=script("lighthouse.fountain"), user=editor)
    lines = Activity.objects.filter(project=project, kind=ActivityKind.SHOT_CREATED)
    assert lines.count() == 5
    assert set(lines.values_list("actor", flat=True)) == {editor.pk}


def test_the_dialogue_language_is_set_on_every_shot(project):
    screenplay_import(project=project, screenplay=script("phare.fountain"), dialogue_language="fr")
    assert set(
        Shot.objects.filter(project=project).values_list("dialogue_language", flat=True)
    ) == {"fr"}
    assert scenes_of(project)[0] == (1, "CAFÉ DE LA GARE", "CAFÉ DE LA GARE", "NUIT")


def test_importing_again_adds_nothing_and_leaves_edited_scenes_alone(project, editor):
    screenplay_import(project=project, screenplay=script("lighthouse.fountain"), user=editor)
    lamp_room = project.scenes.get(number=2)
    lamp_room.title, lamp_room.description = "The lamp room", "Mara's last night."
    lamp_room.save()
    shot = Shot.objects.get(project=project, label="2A")
    shot_update(shot=shot, action="Mara polishes the lens.", subject="Mara")

    result = screenplay_import(project=project, screenplay=script("lighthouse.fountain"))

    assert (result.scenes, result.shot_count, result.kept_count) == ([], 0, 4)
    assert project.scenes.count() == 4
    lamp_room.refresh_from_db()
    assert (lamp_room.title, lamp_room.description) == ("The lamp room", "Mara's last night.")
    shot.refresh_from_db()
    assert (shot.action, shot.subject) == ("Mara polishes the lens.", "Mara")
    assert Shot.objects.filter(project=project).count() == 5


def test_a_scene_whose_location_was_edited_is_still_recognised_by_number_and_title(project):
    screenplay_import(project=project, screenplay=script("lighthouse.fountain"))
    Scene.objects.filter(project=project, number=4).update(location="Harbour wall")

    plan = import_plan(project=project, screenplay=script("lighthouse.fountain"))

    assert plan.new == []
    assert [item.scene.number for item in plan.kept] == [1, 2, 3, 4]


def test_a_longer_script_adds_only_its_new_scenes_in_script_order(project):
    first = parse_fountain("INT. HALL - DAY\n\nShe waits.\n\nEXT. GARDEN - DAY\n\nRoses.\n")
    screenplay_import(project=project, screenplay=first)
    longer = parse_fountain(
        "INT. HALL - DAY\n\nShe waits.\n\n"
        "INT. STAIRS - DAY\n\nShe climbs.\n\n"
        "EXT. GARDEN - DAY\n\nRoses.\n\n"
        "EXT. GARDEN - NIGHT\n\nMoths.\n"
    )

    result = screenplay_import(project=project, screenplay=longer)

    # Numbers 2 is taken (the garden), so the stairs come after the highest; 4 is free.
    assert [(s.number, s.title) for s in result.scenes] == [(3, "STAIRS"), (4, "GARDEN")]
    assert [title for _, title, _, _ in scenes_of(project)] == [
        "HALL",
        "STAIRS",
        "GARDEN",
        "GARDEN",
    ]
    assert scenes_of(project)[3][3] == "NIGHT"
    assert Shot.objects.get(project=project, scene__number=3).label == "3A"


def test_int_and_ext_of_the_same_place_are_different_scenes(project):
    screenplay_import(project=project, screenplay=parse_fountain("INT. HOUSE - DAY\n\nInside.\n"))
    plan = import_plan(
        project=project,
        screenplay=parse_fountain("EXT. HOUSE - DAY\n\nOutside.\n\nINT. HOUSE - DAY\n\nInside.\n"),
    )
    assert [item.parsed.heading for item in plan.new] == ["EXT. HOUSE - DAY"]
    assert [item.parsed.heading for item in plan.kept] == ["INT. HOUSE - DAY"]


def test_repeated_sluglines_pair_up_one_to_one(project):
    twice = parse_fountain("INT. KITCHEN - DAY\n\nEggs.\n\nINT. KITCHEN - DAY\n\nToast.\n")
    screenplay_import(project=project, screenplay=parse_fountain("INT. KITCHEN - DAY\n\nEggs.\n"))
    plan = import_plan(project=project, screenplay=twice)
    assert len(plan.kept) == 1 and len(plan.new) == 1


def test_scenes_made_by_hand_keep_their_numbers_and_new_ones_go_after(project):
    SceneFactory(project=project, number=1, order=1, title="Cold open")
    result = screenplay_import(project=project, screenplay=script("phare.fountain"))
    assert [scene.number for scene in result.scenes] == [2, 3]
    assert [title for _, title, _, _ in scenes_of(project)] == [
        "Cold open",
        "CAFÉ DE LA GARE",
        "JETÉE",
    ]


def test_long_headings_are_cut_to_the_columns(project):
    place = "THE VERY LONG " * 20
    screenplay_import(
        project=project, screenplay=parse_fountain(f"INT. {place}- {'NIGHT ' * 10}\n\nDark.\n")
    )
    scene = project.scenes.get()
    assert len(scene.title) <= 120 and scene.title.endswith("…")
    assert len(scene.time_of_day) <= 40
    assert scene.description.startswith("INT. THE VERY LONG")


def test_an_archived_project_refuses_and_nothing_is_saved(project, owner):
    project_archive(project=project, user=owner)
    with pytest.raises(ValidationError, match="archived"):
        screenplay_import(project=project, screenplay=script("lighthouse.fountain"))
    assert project.scenes.count() == 0
