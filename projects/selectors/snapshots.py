"""What a take asks for, frozen when it is created: the shot's spec and settings as a snapshot,
its estimated cost, and whether two requests are the same."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import prefetch_related_objects

from projects.models import Shot, Take
from projects.selectors.design import preview_for
from projects.selectors.money import take_quote
from projects.selectors.prompt_templates import templates_for
from projects.selectors.shot_spec import shot_spec
from providers.capabilities import CAPABILITIES
from providers.core.base import VideoProvider
from providers.core.prices import Unpriced
from providers.core.spec import Beat, CameraMove, DialogueLine, ShotSpec


def _sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


file_sha256 = _sha256  # what a take records of each input image (selectors.frames too)


@lru_cache(maxsize=4096)
def stored_image_sha256(name: str) -> str:
    """The digest of an uploaded image, read once per process: stored names are made by the
    server (models.media_path, a fresh uuid per upload) and never written twice, so a name
    always holds the same bytes. Without this every Generate re-reads every input image, which
    on object storage is a download per image per request."""
    return _sha256(name)


def estimate_cost(model: str, spec: ShotSpec) -> Decimal:
    """The worst-case price, or ValidationError saying there is no rate for it."""
    try:
        return take_quote(model, spec).amount
    except Unpriced as error:
        raise ValidationError(str(error)) from None


def request_snapshot(shot: Shot, *, provider: VideoProvider | None = None) -> dict:
    """Everything a take needs to be sent and audited, or ValidationError with field messages.
    `provider`: the one the caller already built for the shot's model (saves reading its
    account again)."""
    prefetch_related_objects([shot], "references")  # read once, for the spec and the images
    return snapshot_for(shot, shot_spec(shot), shot.target_model, provider=provider)


def snapshot_for(
    shot: Shot, spec: ShotSpec, model: str, *, provider: VideoProvider | None = None
) -> dict:
    """The request for `spec` on `model`, with the shot's images where the model takes them."""
    not_sent = None
    if provider is not None and model in CAPABILITIES:
        # What the preview would read the provider account for: the caller has it built.
        not_sent = {CAPABILITIES[model].provider: getattr(provider, "params_not_sent", {})}
    preview = preview_for(spec, model, not_sent=not_sent, templates=templates_for(shot.project_id))
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
        image["sha256"] = stored_image_sha256(image["name"])
    return {
        "model": model,
        "provider": preview.capabilities.provider,
        "prompt": preview.compiled.prompt,
        "params": preview.compiled.params,
        # Which template made the prompt: the version (None: the shipped formula), its name.
        "prompt_template": preview.template.version if preview.template else None,
        "prompt_template_label": preview.template.label if preview.template else "",
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
