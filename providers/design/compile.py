"""A shot compiled for one model: the prompt and parameters it will be sent, plus what was
approximated and what the model will ignore, so the filmmaker sees it before paying.

`params` use the API's own field names; the prompt goes in `Capabilities.prompt_field` and
images (hero frame, last frame, references) are attached by the HTTP layer, as `notes` say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from providers.capabilities import resolve
from providers.core.capabilities import Capabilities
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec
from providers.design.camera import translate_camera
from providers.higgsfield import prompt as higgsfield
from providers.kling import prompt as kling
from providers.previz import prompt as previz
from providers.runway import prompt as runway
from providers.seedance import prompt as seedance
from providers.veo import prompt as veo

FORMULAS: dict[str, Callable[[ShotSpec, Capabilities, CameraTranslation], Draft]] = {
    "previz": previz.build,
    "google-veo": veo.build,
    "kling": kling.build,
    "runway": runway.build,
    "seedance": seedance.build,
    "higgsfield": higgsfield.build,
}


@dataclass
class CompiledRequest:
    model: str
    prompt: str
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    camera: CameraTranslation | None = None  # per-axis sent/approximated/ignored for the UI


def compile_shot(spec: ShotSpec, model_slug: str | Capabilities) -> CompiledRequest:
    caps = resolve(model_slug)
    cam = translate_camera(spec.camera, caps, spec.motion_preset)
    draft = FORMULAS[caps.provider](spec, caps, cam)
    notes = [f"camera: {n}" for n in cam.sent] + [
        f"camera approximated: {n}" for n in cam.approximated
    ]
    notes += draft.notes
    ignored = [f"camera: {n}" for n in cam.ignored] + draft.ignored + _unsupported(spec, caps)
    return CompiledRequest(
        model=caps.slug,
        prompt=draft.prompt,
        params=draft.params,
        notes=notes,
        ignored=ignored,
        camera=cam,
    )


def _unsupported(spec: ShotSpec, caps: Capabilities) -> list[str]:
    """Inputs the shot has and this model cannot take; each is reported, never just dropped."""
    out = []
    if spec.seed is not None and caps.seed_range is None:
        out.append(f"seed {spec.seed}: {caps.name} takes no seed")
    if spec.negative_prompt.strip() and not caps.negative_prompt:
        out.append(f"negative prompt: {caps.name} takes none")
    if spec.has_voice_sample and not caps.voice_sample:
        out.append(f"voice sample: {caps.name} cannot take one through its API")
    if spec.has_last_frame and not caps.last_frame:
        out.append(f"last frame: {caps.name} takes no end frame")
    if spec.has_hero_frame and not caps.first_frame:
        out.append(f"hero frame: {caps.name} takes no start frame")
    extra = spec.reference_count - caps.max_references
    if spec.reference_count > 0 and extra > 0:
        out.append(f"{extra} reference image(s): {caps.name} takes {caps.max_references}")
    return out
