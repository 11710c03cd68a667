"""Writes to the storyboard: scenes and shots, their order and their settings."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from projects.models import ActivityKind, Project, Scene, Shot
from projects.selectors import stored_files
from projects.selectors.board import takes_in_flight
from projects.services.activity import activity_record
from projects.services.projects import money_change, refuse_if_in_flight
from providers.core import catalog


# --- scenes ---------------------------------------------------------------------------------
def scene_create(*, project: Project, title: str, number: int | None = None, **fields) -> Scene:
    last = project.scenes.aggregate(order=Max("order"), number=Max("number"))
    return Scene.objects.create(
        project=project,
        title=title,
        number=number if number is not None else (last["number"] or 0) + 1,
        order=(last["order"] or 0) + 1,
        **fields,
    )


@transaction.atomic
def scene_update(*, scene: Scene, user=None, **fields) -> Scene:
    # A bound form has already written its values onto `scene`: the stored budget is "before".
    before = (
        Scene.objects.filter(pk=scene.pk).values("budget").first() if "budget" in fields else None
    )
    for name, value in fields.items():
        setattr(scene, name, value)
    scene.full_clean()
    scene.save(update_fields=list(fields))
    changes = money_change(before, fields)
    if changes:
        activity_record(
            project_id=scene.project_id,
            kind=ActivityKind.BUDGET_CHANGED,
            summary=f"Changed the budget of scene {scene.number}: {changes['budget'][0]} → "
            f"{changes['budget'][1]}",
            actor=user,
            scene_id=scene.pk,
            changes=changes,
        )
    return scene


@transaction.atomic
def scene_delete(*, scene: Scene) -> None:
    # Locking the shots makes a take requested at this moment wait (its row points at one).
    list(Shot.objects.select_for_update().filter(scene=scene).values_list("pk", flat=True))
    refuse_if_in_flight(takes_in_flight(shot__scene=scene), f"Scene {scene.number}")
    files = stored_files.of_shots(Shot.objects.filter(scene=scene))
    files.names += stored_files.deliverable_files(scene.deliverables.all())
    scene.delete()
    transaction.on_commit(files.delete)


@transaction.atomic
def scene_move(*, scene: Scene, offset: int) -> Scene:
    """Move a scene earlier (offset < 0) or later (offset > 0) in the project's running order."""
    scenes = list(Scene.objects.select_for_update().filter(project_id=scene.project_id))
    scenes.sort(key=lambda s: (s.order, s.number, s.pk))
    index = next(i for i, s in enumerate(scenes) if s.pk == scene.pk)
    target = max(0, min(index + offset, len(scenes) - 1))
    scenes.insert(target, scenes.pop(index))
    for order, item in enumerate(scenes, start=1):
        item.order = order
    Scene.objects.bulk_update(scenes, ["order"])
    return scene


# --- shots ----------------------------------------------------------------------------------
def next_shot_label(scene: Scene) -> str:
    """The first free label of the scene's pattern: 3A, 3B, ... 3Z, 3AA, ..."""
    taken = set(Shot.objects.filter(project_id=scene.project_id).values_list("label", flat=True))
    letters = string.ascii_uppercase
    for length in (1, 2):
        for index in range(len(letters) ** length):
            suffix, n = "", index
            for _ in range(length):
                suffix = letters[n % 26] + suffix
                n //= 26
            label = f"{scene.number}{suffix}"
            if label not in taken:
                return label
    raise ValidationError("This scene has run out of shot labels.")


@transaction.atomic
def shot_create(*, scene: Scene, label: str = "", user=None, **fields) -> Shot:
    project = scene.project
    fields.setdefault("aspect_ratio", project.aspect_ratio)
    fields.setdefault("target_model", project.default_model)
    last = scene.shots.aggregate(order=Max("order"))["order"]
    shot = Shot(
        project=project,
        scene=scene,
        label=label.strip() or next_shot_label(scene),
        order=(last or 0) + 1,
        **fields,
    )
    shot.full_clean()
    shot.save()
    activity_record(
        project_id=project.pk,
        kind=ActivityKind.SHOT_CREATED,
        summary=f"Added shot {shot.label} to scene {scene.number}",
        actor=user,
        scene_id=scene.pk,
        shot_id=shot.pk,
    )
    return shot


class StaleShot(Exception):
    """The shot was saved by someone else since it was loaded (its version moved on)."""


def shot_update(*, shot: Shot, expected_version: int | None = None, **fields) -> Shot:
    """Write the shot's fields and bump its version, only if it is still at `expected_version`
    (the loaded one when not given): a conditional UPDATE, so two saves never both win."""
    expected = shot.version if expected_version is None else expected_version
    for name, value in fields.items():
        setattr(shot, name, value)
    shot.full_clean()
    shot.updated_at = timezone.now()
    values = {name: getattr(shot, name) for name in fields}
    written = Shot.objects.filter(pk=shot.pk, version=expected).update(
        **values, updated_at=shot.updated_at, version=F("version") + 1
    )
    if not written:
        raise StaleShot(f"Shot {shot.label} was saved by someone else meanwhile.")
    shot.version = expected + 1
    return shot


def shot_reset_camera(*, shot: Shot) -> Shot:
    for axis in catalog.CAMERA_AXES:
        setattr(shot, axis, 0)
    shot.save(update_fields=[*catalog.CAMERA_AXES, "updated_at"])
    return shot


@transaction.atomic
def shot_delete(*, shot: Shot, user=None) -> None:
    """Delete the shot with its pictures, references and takes' files."""
    Shot.objects.select_for_update().filter(pk=shot.pk).first()
    refuse_if_in_flight(takes_in_flight(shot=shot), f"Shot {shot.label}")
    files = stored_files.of_shots(Shot.objects.filter(pk=shot.pk))
    shot.delete()
    # After the delete: the line's links to the shot would be cleared by it anyway.
    activity_record(
        project_id=shot.project_id,
        kind=ActivityKind.SHOT_DELETED,
        summary=f"Deleted shot {shot.label}",
        actor=user,
        scene_id=shot.scene_id,
    )
    transaction.on_commit(files.delete)


@transaction.atomic
def shot_move(*, shot: Shot, scene: Scene, position: int) -> Shot:
    """Put a shot at `position` (0-based) among the shots of `scene`, renumbering both scenes."""
    if scene.project_id != shot.project_id:
        raise ValidationError("A shot can only move between scenes of its own project.")
    # Lock the scenes' rows so two people reordering at once each see the other's result.
    scene_ids = sorted({shot.scene_id, scene.pk})
    list(Scene.objects.select_for_update().filter(pk__in=scene_ids))
    source_id = shot.scene_id
    siblings = list(scene.shots.exclude(pk=shot.pk).order_by("order", "pk"))
    position = max(0, min(position, len(siblings)))
    shot.scene = scene
    siblings.insert(position, shot)
    for index, sibling in enumerate(siblings, start=1):
        sibling.order = index
    Shot.objects.bulk_update(siblings, ["scene", "order"])
    if source_id != scene.pk:
        remaining = list(Shot.objects.filter(scene_id=source_id).order_by("order", "pk"))
        for index, sibling in enumerate(remaining, start=1):
            sibling.order = index
        Shot.objects.bulk_update(remaining, ["order"])
    return shot


def shot_position(shot: Shot) -> int:
    """The 0-based position of a shot within its scene."""
    return Shot.objects.filter(scene_id=shot.scene_id, order__lt=shot.order).count()


@transaction.atomic
def shot_nudge(*, shot: Shot, direction: str) -> Shot:
    """The card's ◀ ▶ buttons: one place earlier or later in its scene."""
    position = shot_position(shot) + (-1 if direction == "earlier" else 1)
    return shot_move(shot=shot, scene=shot.scene, position=position)
