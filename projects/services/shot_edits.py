"""Saving a shot's fields when two people edit it at once: a three-way merge per field.

The form carries the version it was loaded at and the fields' values as loaded (`base`, signed).
If the shot moved on meanwhile, a field only the other person changed keeps theirs, a field only
this person changed takes mine, and a field both changed to different values is a
conflict: nothing is saved and the person chooses, field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst

from projects.models import Activity, ActivityKind, Shot
from projects.services.activity import shot_activity
from projects.services.board import StaleShot, shot_update

SALT = "projects.shot-edit-base"
MINE, THEIRS = "mine", "theirs"


def plain(value):
    """A field's value as JSON can carry it (and a form field can read it back)."""
    if isinstance(value, Decimal | float):
        return str(value)
    return value


def base_of(shot: Shot, names: list[str]) -> dict:
    return {name: plain(Shot._meta.get_field(name).value_from_object(shot)) for name in names}


def base_sign(shot: Shot, names: list[str]) -> str:
    return signing.dumps(
        {"shot": shot.pk, "version": shot.version, "fields": base_of(shot, names)}, salt=SALT
    )


def base_unsign(signed: str, *, shot: Shot) -> tuple[int, dict]:
    """(version, fields) as the form loaded them; BadSignature when it was tampered with."""
    payload = signing.loads(signed, salt=SALT)
    if payload.get("shot") != shot.pk:
        raise signing.BadSignature("This form belongs to another shot.")
    return int(payload["version"]), dict(payload["fields"])


def same(name: str, a, b) -> bool:
    model_field = Shot._meta.get_field(name)
    try:
        return model_field.to_python(a) == model_field.to_python(b)
    except ValidationError:  # a value that does not parse is simply different
        return a == b


def shown(name: str, value) -> str:
    """A value as the filmmaker reads it: the choice's name, yes/no, or the text."""
    model_field = Shot._meta.get_field(name)
    value = model_field.to_python(value) if value is not None else None
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value if value is not None else ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def label_of(name: str) -> str:
    return str(capfirst(Shot._meta.get_field(name).verbose_name))


@dataclass
class Conflict:
    name: str
    label: str
    theirs: str
    mine: str
    theirs_value: object
    by: str = ""
    input: str = ""  # the panel's radio name, with the form's prefix


@dataclass
class EditConflict(Exception):
    """Both people changed these fields: nothing was saved."""

    current: Shot
    conflicts: list[Conflict]
    kept: dict = field(default_factory=dict)  # fields that keep theirs: name -> value


def merge(*, current: Shot, base: dict, mine: dict) -> tuple[dict, list[Conflict], dict]:
    """(what to write, conflicts, fields that keep theirs)."""
    write, conflicts, kept = {}, [], {}
    for name, value in mine.items():
        theirs = getattr(current, name)
        if name not in base or same(name, value, base[name]):
            kept[name] = theirs
        elif same(name, theirs, base[name]) or same(name, theirs, value):
            write[name] = value
        else:
            conflicts.append(
                Conflict(name, label_of(name), shown(name, theirs), shown(name, value), theirs)
            )
    return write, conflicts, kept


def last_editor(shot: Shot) -> str:
    latest = (
        Activity.objects.filter(shot_id=shot.pk, kind=ActivityKind.SHOT_EDITED)
        .order_by("-pk")
        .values_list("actor_name", flat=True)
        .first()
    )
    return latest or "someone"


@transaction.atomic
def shot_edit(
    *,
    shot: Shot,
    user,
    version: int,
    base: dict,
    changes: dict,
    choices: dict | None = None,
    media: dict | None = None,
) -> Shot:
    """Write `changes` loaded at `version` with `base`; EditConflict when both changed a field.

    Returns the shot as saved. Records SHOT_EDITED with before → after of what changed."""
    # A conflict's answers were given against `base` (theirs, as shown in the panel): "take
    # theirs" is the base value, "keep mine" is my value; both merge again like any field, so a
    # field someone changed once more conflicts again instead of being overwritten.
    changes = dict(changes)
    for name, answer in (choices or {}).items():
        if answer == THEIRS and name in base and name in changes:
            changes[name] = base[name]
    for _attempt in range(3):
        current = Shot.objects.select_for_update().get(pk=shot.pk)
        if current.version == version:
            write = {n: v for n, v in changes.items() if not same(n, v, getattr(current, n))}
        else:
            write, conflicts, kept = merge(current=current, base=base, mine=changes)
            if conflicts:
                by = last_editor(current)
                for conflict in conflicts:
                    conflict.by = by
                raise EditConflict(current=current, conflicts=conflicts, kept=kept)
        before = {name: getattr(current, name) for name in write}
        if not write:
            activity_shot_edited(shot=current, user=user, before={}, extra=media)
            return current
        try:
            shot_update(shot=current, expected_version=current.version, **write)
        except StaleShot:
            continue  # someone saved between our read and our write: merge again
        activity_shot_edited(shot=current, user=user, before=before, extra=media)
        return current
    raise EditConflict(current=Shot.objects.get(pk=shot.pk), conflicts=[])


def activity_shot_edited(*, shot: Shot, user, before: dict, extra: dict | None = None) -> None:
    changes = {
        label_of(name): [shown(name, old), shown(name, getattr(shot, name))]
        for name, old in before.items()
        if not same(name, old, getattr(shot, name))
    }
    changes.update(extra or {})
    if not changes:
        return
    shot_activity(
        shot=shot,
        kind=ActivityKind.SHOT_EDITED,
        summary=f"Edited shot {shot.label}: {', '.join(changes)}",
        actor=user,
        changes=changes,
    )
