"""What a take asks for, frozen when it is created: the shot's spec and settings as a snapshot,
its estimated cost, and whether two requests are the same."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from projects.models import Shot, Take
from projects.selectors.design import preview_for
from projects.selectors.money import take_quote
from projects.selectors.shot_spec import shot_spec
from providers.core.prices import Unpriced
from providers.core.spec import Beat, CameraMove, DialogueLine, ShotSpec


def _sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


file_sha256 = _sha256  # what a take records of each input image (selectors.frames too)


def estimate_cost(model: str, spec: ShotSpec) -> Decimal:
    """The worst-case price, or ValidationError saying there is no rate for it."""
    try:
        return take_quote(model, spec).amount
    except Unpriced as error:
        raise ValidationError(str(error)) from None


def request_snapshot(shot: Shot) -> dict:
    """Everything a take needs to be sent and audited, or ValidationError with field messages."""
    return snapshot_for(shot, shot_spec(shot), shot.target_model)


def snapshot_for(shot: Shot, spec: ShotSpec, model: str) -> dict:
    """The request for `spec` on `model`, with the shot's images where the model takes them."""
    preview = preview_for(spec, model)
    if preview.problems:
        raise ValidationError(preview.problems)
    if preview.compiled is None:
        raise ValidationError("This shot cannot be compiled for its model yet.")
    images = []
    if shot.hero_frame and preview.capabilities.first_frame:
        images.append({"role": "first_frame", "name": shot.hero_frame.name})
    if shot.last_frame and preview.capabilities.last_frame:
        images.append({"role": "last_frame", "name": shot.last_frame.name})
    if preview.capabilities.max_references:
        for reference in list(shot.references.all())[: preview.capabilities.max_references]:
            images.append({"role": "reference", "name": reference.image.name})
    for image in images:
        image["sha256"] = _sha256(image["name"])
    return {
        "model": model,
        "provider": preview.capabilities.provider,
        "prompt": preview.compiled.prompt,
        "params": preview.compiled.params,
        "spec": dataclasses.asdict(spec),
        "input_images": images,
        "seed": spec.seed,
        "estimated_cost": estimate_cost(model, spec),
    }


def same_request(take: Take, snapshot: dict) -> bool:
    """Would sending `snapshot` ask for exactly what `take` already asked for?"""
    mine = [(i["role"], i["sha256"]) for i in take.input_images]
    theirs = [(i["role"], i["sha256"]) for i in snapshot["input_images"]]
    return (take.model, take.prompt, take.params, mine) == (
        snapshot["model"],
        snapshot["prompt"],
        snapshot["params"],
        theirs,
    )


def spec_from_dict(data: dict) -> ShotSpec:
    data = dict(data)
    data["camera"] = CameraMove(**data.get("camera", {}))
    data["dialogue"] = tuple(DialogueLine(**line) for line in data.get("dialogue", ()))
    data["beats"] = tuple(Beat(**beat) for beat in data.get("beats", ()))
    return ShotSpec(**data)
