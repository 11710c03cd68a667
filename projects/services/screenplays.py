"""A screenplay into a project: what an import would add (the preview) and adding it.

Which scenes are "already in the project" (importing again adds only the others, and never
touches a scene that is there, edited or not):

1. same INT/EXT, location and time of day, ignoring case and spacing. A scene's INT/EXT is read
   from the heading an import put at the start of its description; a scene made by hand (or
   whose description was rewritten) matches either. Repeated sluglines pair up in order, so the
   second "INT. KITCHEN - DAY" of the script is the project's second such scene.
2. failing that, same scene number and title: a scene whose location or time of day was edited
   after the import keeps its number and title, and is still recognised.

A new scene is numbered by its place in the script when no scene of the project has that number
yet, otherwise after the project's highest number; it is put in the running order after the
scene that comes before it in the script.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from projects.models import Project, Scene
from projects.screenplay.script import ParsedScene, Screenplay, clip, split_heading
from projects.services.board import scene_create, shot_create

TITLE_MAX = Scene._meta.get_field("title").max_length
LOCATION_MAX = Scene._meta.get_field("location").max_length
TIME_MAX = Scene._meta.get_field("time_of_day").max_length


@dataclass
class NewScene:
    parsed: ParsedScene
    number: int
    position: int  # its place in the script, from 1


@dataclass
class KeptScene:
    parsed: ParsedScene
    scene: Scene
    position: int


@dataclass
class ImportPlan:
    screenplay: Screenplay
    new: list[NewScene] = field(default_factory=list)
    kept: list[KeptScene] = field(default_factory=list)

    @property
    def new_shot_count(self) -> int:
        return sum(len(item.parsed.shots) for item in self.new)

    @property
    def in_script_order(self) -> list[NewScene | KeptScene]:
        return sorted([*self.new, *self.kept], key=lambda item: item.position)


@dataclass
class ImportResult:
    scenes: list[Scene]
    shot_count: int
    kept_count: int


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def scene_fields(parsed: ParsedScene) -> dict:
    """The Scene's fields for a parsed heading, cut to what the columns hold."""
    location = clip(parsed.location, LOCATION_MAX)
    description = parsed.heading + (f"\n{parsed.synopsis}" if parsed.synopsis else "")
    return {
        "title": clip(parsed.location, TITLE_MAX),
        "location": location,
        "time_of_day": clip(parsed.time_of_day, TIME_MAX),
        "description": description,
    }


def int_ext_of(scene: Scene) -> str | None:
    """The INT/EXT of a scene's heading, or None when its description does not start with one."""
    first = (scene.description or "").strip().split("\n", 1)[0]
    int_ext, _, _ = split_heading(first)
    return int_ext or None


def import_plan(*, project: Project, screenplay: Screenplay) -> ImportPlan:
    """Which of the script's scenes are new to the project, and which are there already."""
    existing = list(project.scenes.order_by("order", "number", "pk"))
    plan = ImportPlan(screenplay=screenplay)
    claimed: set[int] = set()
    unmatched: list[tuple[int, ParsedScene]] = []
    for position, parsed in enumerate(screenplay.scenes, start=1):
        fields = scene_fields(parsed)
        where = (fold(fields["location"]), fold(fields["time_of_day"]))
        match = next(
            (
                scene
                for scene in existing
                if scene.pk not in claimed
                and (fold(scene.location), fold(scene.time_of_day)) == where
                and int_ext_of(scene) in (None, parsed.int_ext or None)
            ),
            None,
        )
        if match is None:
            unmatched.append((position, parsed))
            continue
        claimed.add(match.pk)
        plan.kept.append(KeptScene(parsed=parsed, scene=match, position=position))
    numbers = {scene.number for scene in existing}
    for position, parsed in unmatched:
        title = fold(scene_fields(parsed)["title"])
        match = next(
            (
                scene
                for scene in existing
                if scene.pk not in claimed
                and scene.number == position
                and fold(scene.title) == title
            ),
            None,
        )
        if match is not None:
            claimed.add(match.pk)
            plan.kept.append(KeptScene(parsed=parsed, scene=match, position=position))
            continue
        number = position if position not in numbers else max(numbers) + 1
        numbers.add(number)
        plan.new.append(NewScene(parsed=parsed, number=number, position=position))
    plan.new.sort(key=lambda item: item.position)
    return plan


@transaction.atomic
def screenplay_import(
    *, project: Project, screenplay: Screenplay, user=None, dialogue_language: str = "en"
) -> ImportResult:
    """Add the script's new scenes with their draft shots, all or nothing."""
    # One import at a time per project: the second waits, then finds the first one's scenes
    # already there instead of adding them twice.
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_archived:
        raise ValidationError("This project is archived, so nothing can be imported into it.")
    list(Scene.objects.select_for_update().filter(project=project).values_list("pk", flat=True))
    plan = import_plan(project=project, screenplay=screenplay)
    created: dict[int, Scene] = {}
    shot_count = 0
    for item in plan.new:
        scene = scene_create(project=project, number=item.number, **scene_fields(item.parsed))
        created[item.position] = scene
        for draft in item.parsed.shots:
            shot_create(
                scene=scene,
                user=user,
                action=draft.action,
                dialogue=draft.dialogue,
                dialogue_language=dialogue_language,
                notes="\n".join(draft.notes),
            )
            shot_count += 1
    if created:
        put_in_script_order(project, plan, created)
    return ImportResult(
        scenes=[created[item.position] for item in plan.new],
        shot_count=shot_count,
        kept_count=len(plan.kept),
    )


def put_in_script_order(project: Project, plan: ImportPlan, created: dict[int, Scene]) -> None:
    """Each new scene goes right after the scene before it in the script; before the first
    scene already there when it opens the script; at the end in a project the script does not
    share a scene with. The scenes already there keep their order among themselves."""
    running = [
        scene
        for scene in project.scenes.order_by("order", "number", "pk")
        if scene.pk not in {new.pk for new in created.values()}
    ]
    first_kept = min(plan.kept, key=lambda item: item.position).scene if plan.kept else None
    anchor: Scene | None = None
    for item in plan.in_script_order:
        if isinstance(item, KeptScene):
            anchor = item.scene
            continue
        scene = created[item.position]
        if anchor is not None:
            index = running.index(anchor) + 1
        elif first_kept is not None:
            index = running.index(first_kept)
        else:
            index = len(running)
        running.insert(index, scene)
        anchor = scene
    moved = []
    for order, scene in enumerate(running, start=1):
        if scene.order != order:
            scene.order = order
            moved.append(scene)
    Scene.objects.bulk_update(moved, ["order"])
