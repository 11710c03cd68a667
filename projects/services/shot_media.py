"""A shot's stored media: hero frame, last frame, voice sample and reference images.

Old files are deleted from storage only after the transaction that replaced them commits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from projects.images import CleanImage
from projects.models import ReferenceImage, Shot
from projects.services.board import shot_reset_camera
from projects.services.shot_edits import shot_edit


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


@transaction.atomic
def shot_save(
    *,
    shot: Shot,
    changes: dict,
    hero: CleanImage | None = None,
    remove_hero: bool = False,
    last: CleanImage | None = None,
    remove_last: bool = False,
    voice: File | None = None,
    remove_voice: bool = False,
    reset_camera: bool = False,
    user=None,
    version: int | None = None,
    base: dict | None = None,
    choices: dict | None = None,
) -> Shot:
    """What the shot editor's Save does, all or nothing: the changed fields, the hero and last
    frames and the voice sample (a new one replaces, "remove" clears), and the camera reset.

    The fields are merged with whatever someone else saved since `version` (services/
    shot_edits); a field both changed raises EditConflict and nothing is saved. Files are not
    merged: an upload is applied as it comes."""
    media = {
        label: [before, after]
        for label, before, after, done in (
            ("Hero frame", "", "new picture", hero is not None),
            ("Hero frame", "picture", "removed", hero is None and remove_hero),
            ("Last frame", "", "new picture", last is not None),
            ("Last frame", "picture", "removed", last is None and remove_last),
            ("Voice sample", "", "new sample", voice is not None),
            ("Voice sample", "sample", "removed", voice is None and remove_voice),
        )
        if done
    }
    saved = shot_edit(
        shot=shot,
        user=user,
        version=shot.version if version is None else version,
        base=base or {},
        changes=changes,
        choices=choices,
        media=media,
    )
    # Carry the saved fields onto the caller's shot, so the files below save beside them.
    for name in (*changes, "version", "updated_at"):
        setattr(shot, name, getattr(saved, name))
    if hero is not None:
        shot_set_hero_frame(shot=shot, image=hero)
    elif remove_hero:
        shot_remove_hero_frame(shot=shot)
    if last is not None:
        shot_set_last_frame(shot=shot, image=last)
    elif remove_last:
        shot_remove_last_frame(shot=shot)
    if voice is not None:
        shot_set_voice_sample(shot=shot, sample=voice)
    elif remove_voice:
        shot_remove_voice_sample(shot=shot)
    if reset_camera:
        shot_reset_camera(shot=shot)
    return shot
