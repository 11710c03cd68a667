"""Design writes: switching a shot's model, applying a preset, the team's own presets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import Shot, TeamPreset
from projects.selectors.design import PRESET_FIELDS, preset_values
from providers.capabilities import CAPABILITIES
from providers.design.presets import ShotPreset


def shot_use_model(*, shot: Shot, model: str) -> Shot:
    if model not in CAPABILITIES:
        raise ValidationError({"target_model": "Choose one of the studio's models."})
    shot.target_model = model
    shot.save(update_fields=["target_model", "updated_at"])
    return shot


def shot_apply_preset(*, shot: Shot, preset: ShotPreset | TeamPreset) -> Shot:
    for name, value in preset_values(preset).items():
        setattr(shot, name, value)
    shot.full_clean()
    # Only the preset's fields: a worker may be moving the shot's status at this moment.
    shot.save(update_fields=[*PRESET_FIELDS, "updated_at"])
    return shot


def team_preset_save(*, shot: Shot, name: str, description: str = "", user=None) -> TeamPreset:
    """Keep this shot's camera, style, duration and model as a preset for the whole team."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the preset a name."})
    values = {field_name: getattr(shot, field_name) for field_name in PRESET_FIELDS}
    preset = TeamPreset(
        project_id=shot.project_id,
        name=name,
        description=description.strip(),
        created_by=user,
        **values,
    )
    try:
        with transaction.atomic():
            preset.save()
    except IntegrityError:
        raise ValidationError(
            {"name": f"This project already has a preset called {name}."}
        ) from None
    return preset


def team_preset_delete(*, preset: TeamPreset) -> None:
    preset.delete()
