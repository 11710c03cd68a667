"""Writes to the film, named the way a filmmaker would say them."""

from __future__ import annotations

import string

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from providers.core import catalog

from . import stored_files
from .images import CleanImage
from .models import Membership, Project, ReferenceImage, Role, Scene, Shot
from .selectors import project_moved_money, takes_in_flight

# Why every update below names its fields: workers move `spent` / `reserved` (projects, scenes)
# and `status` (shots) at any moment, and people circle takes. Model.save() writes every column,
# so a form opened a second earlier would put back the figures it read.


# --- projects and members -------------------------------------------------------------------
@transaction.atomic
def project_create(*, owner, name: str, logline: str = "", **fields) -> Project:
    project = Project.objects.create(name=name, logline=logline, created_by=owner, **fields)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


def project_update(*, project: Project, **fields) -> Project:
    """Change the project's settings: only these fields (and updated_at) are written."""
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean(exclude=[f.name for f in Project._meta.fields if f.name not in fields])
    project.save(update_fields=[*fields, "updated_at"])
    return project


def project_archive(*, project: Project, user) -> Project:
    """Hide the project and make it read-only, keeping its books; owners and staff restore it.
    Takes already in flight go on being followed and settle as usual."""
    now = timezone.now()
    archived = Project.objects.filter(pk=project.pk, archived_at__isnull=True).update(
        archived_at=now, archived_by=user
    )
    if archived:
        _cancel_unsent_takes(project)
    project.refresh_from_db(fields=["archived_at", "archived_by"])
    return project


def _cancel_unsent_takes(project: Project) -> None:
    """A read-only project starts no new paid work: takes the provider has not received yet
    (waiting their turn or an owner's approval) are canceled and their holds released."""
    from .generation.pipeline import move
    from .models import Take, TakeState

    unsent = (TakeState.QUEUED, TakeState.AWAITING_APPROVAL)
    for pk in Take.objects.filter(project=project, state__in=unsent).values_list("pk", flat=True):
        move(
            pk,
            unsent,
            TakeState.CANCELED,
            cancel_requested=True,
            event="Canceled before it was sent: the project was archived. Nothing was charged.",
        )


def project_restore(*, project: Project) -> Project:
    if not project.is_archived:
        raise ValidationError(f"“{project.name}” is not archived.")
    # updated_at too, so it comes back at the top of the list.
    Project.objects.filter(pk=project.pk).update(
        archived_at=None, archived_by=None, updated_at=timezone.now()
    )
    project.refresh_from_db(fields=["archived_at", "archived_by", "updated_at"])
    return project


ARCHIVED, DELETED = "archived", "deleted"


@transaction.atomic
def project_archive_or_delete(*, project: Project, user) -> str:
    """What "Delete project" does: a project that ever moved money is archived, so its ledger
    survives; one that never did is deleted with every file it stored. Returns which."""
    # Lock the row: a take asked for at this moment either holds its money first (and we
    # archive) or finds the project gone.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if project_moved_money(project):
        project_archive(project=project, user=user)
        return ARCHIVED
    _refuse_if_in_flight(takes_in_flight(project=project), f"“{project.name}”")
    files = stored_files.of_project(project)
    project.delete()
    transaction.on_commit(files.delete)
    return DELETED


def _refuse_if_in_flight(takes, what: str) -> None:
    """Deleting a take still in flight would orphan the money it holds and the job it runs."""
    count = takes.count()
    if count == 1:
        raise ValidationError(
            f"{what} cannot be deleted while one of its takes is still being generated: "
            "cancel it or let it finish first."
        )
    if count:
        raise ValidationError(
            f"{what} cannot be deleted while {count} of its takes are still being generated: "
            "cancel them or let them finish first."
        )


def member_invite(*, project: Project, who: str, role: str) -> Membership:
    """Add an existing user, found by username or email, to the project."""
    who = who.strip()
    users = get_user_model().objects.filter(Q(username__iexact=who) | Q(email__iexact=who))
    user = users.filter(is_active=True).first() if who else None
    if user is None:
        raise ValidationError({"who": f"No one here has the username or email “{who}”."})
    if project.memberships.filter(user=user).exists():
        raise ValidationError({"who": f"{user.username} is already on this project."})
    return Membership.objects.create(project=project, user=user, role=role)


@transaction.atomic
def member_change_role(*, membership: Membership, role: str) -> Membership:
    # Compare with the stored role, not the instance's: a bound ModelForm may already have
    # written the new role onto it, which would skip the last-owner guard.
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    if stored.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(stored)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def member_set_quota(*, membership: Membership, quota) -> Membership:
    Membership.objects.filter(pk=membership.pk).update(monthly_quota=quota)
    membership.monthly_quota = quota
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    if membership.role == Role.OWNER:
        _ensure_another_owner(membership)
    membership.delete()


def _ensure_another_owner(membership: Membership) -> None:
    # Lock the owners so two owners demoting each other at once cannot leave none.
    owners = list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    if owners == [membership.pk]:
        raise ValidationError("A project needs at least one owner. Make someone else owner first.")


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


def scene_update(*, scene: Scene, **fields) -> Scene:
    for name, value in fields.items():
        setattr(scene, name, value)
    scene.full_clean()
    scene.save(update_fields=list(fields))
    return scene


@transaction.atomic
def scene_delete(*, scene: Scene) -> None:
    # Locking the shots makes a take requested at this moment wait (its row points at one).
    list(Shot.objects.select_for_update().filter(scene=scene).values_list("pk", flat=True))
    _refuse_if_in_flight(takes_in_flight(shot__scene=scene), f"Scene {scene.number}")
    files = stored_files.of_shots(Shot.objects.filter(scene=scene))
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
def shot_create(*, scene: Scene, label: str = "", **fields) -> Shot:
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
    return shot


def shot_update(*, shot: Shot, **fields) -> Shot:
    for name, value in fields.items():
        setattr(shot, name, value)
    shot.full_clean()
    shot.save(update_fields=[*fields, "updated_at"])
    return shot


def shot_reset_camera(*, shot: Shot) -> Shot:
    for axis in catalog.CAMERA_AXES:
        setattr(shot, axis, 0)
    shot.save(update_fields=[*catalog.CAMERA_AXES, "updated_at"])
    return shot


@transaction.atomic
def shot_delete(*, shot: Shot) -> None:
    """Delete the shot with its pictures, references and takes' files."""
    Shot.objects.select_for_update().filter(pk=shot.pk).first()
    _refuse_if_in_flight(takes_in_flight(shot=shot), f"Shot {shot.label}")
    files = stored_files.of_shots(Shot.objects.filter(pk=shot.pk))
    shot.delete()
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


# --- images ---------------------------------------------------------------------------------
def _replace_still(shot: Shot, frame: str, image: CleanImage | None, *also: str) -> None:
    """Store `image` (or nothing) as the shot's `frame` and its `<name>_thumbnail`, and save
    them (and the fields named in `also`); the old files go once the change is committed."""
    thumb = frame.replace("_frame", "_thumbnail")
    old = _stored_names(getattr(shot, frame), getattr(shot, thumb))
    if image is None:
        setattr(shot, frame, "")
        setattr(shot, thumb, "")
    else:
        getattr(shot, frame).save("frame.jpg", image.full, save=False)
        getattr(shot, thumb).save("thumb.jpg", image.thumbnail, save=False)
    shot.save(update_fields=[frame, thumb, *also, "updated_at"])
    transaction.on_commit(lambda: _delete_files(old))


def shot_set_hero_frame(*, shot: Shot, image: CleanImage) -> Shot:
    shot.hero_width, shot.hero_height = image.width, image.height
    _replace_still(shot, "hero_frame", image, "hero_width", "hero_height")
    return shot


def shot_remove_hero_frame(*, shot: Shot) -> Shot:
    shot.hero_width = shot.hero_height = None
    _replace_still(shot, "hero_frame", None, "hero_width", "hero_height")
    return shot


def shot_set_last_frame(*, shot: Shot, image: CleanImage) -> Shot:
    """The frame the shot should end on, for models that move first → last."""
    _replace_still(shot, "last_frame", image)
    return shot


def shot_remove_last_frame(*, shot: Shot) -> Shot:
    _replace_still(shot, "last_frame", None)
    return shot


def shot_set_voice_sample(*, shot: Shot, sample) -> Shot:
    old = _stored_names(shot.voice_sample)
    shot.voice_sample.save(sample.name, sample, save=False)
    shot.save(update_fields=["voice_sample", "updated_at"])
    transaction.on_commit(lambda: _delete_files(old))
    return shot


def shot_remove_voice_sample(*, shot: Shot) -> Shot:
    old = _stored_names(shot.voice_sample)
    shot.voice_sample = ""
    shot.save(update_fields=["voice_sample", "updated_at"])
    transaction.on_commit(lambda: _delete_files(old))
    return shot


@transaction.atomic
def reference_add(*, shot: Shot, image: CleanImage, caption: str = "") -> ReferenceImage:
    # Lock the shot so two uploads at once cannot both squeeze under the limit.
    Shot.objects.select_for_update().filter(pk=shot.pk).first()
    if shot.references.count() >= ReferenceImage.MAX_PER_SHOT:
        raise ValidationError(
            {"image": f"A shot can have at most {ReferenceImage.MAX_PER_SHOT} reference images."}
        )
    reference = ReferenceImage(
        shot=shot, width=image.width, height=image.height, caption=caption.strip()
    )
    reference.image.save("ref.jpg", image.full, save=False)
    reference.thumbnail.save("thumb.jpg", image.thumbnail, save=False)
    reference.save()
    return reference


def reference_remove(*, reference: ReferenceImage) -> None:
    files = _stored_names(reference.image, reference.thumbnail)
    reference.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _stored_names(*field_files) -> list[str]:
    # Names, not FieldFile objects: saving a new file into a field mutates its FieldFile in
    # place, so a kept reference would point at the new picture and we would delete that.
    return [field_file.name for field_file in field_files if field_file]


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
