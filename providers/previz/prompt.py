"""Previz (local renderer): a plain description for the frame overlay; the camera, framing and
beats travel as numbers so the renderer can move its virtual camera exactly.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    commas,
    hears_audio,
    sentence,
    subject_action,
)
from providers.core.spec import ShotSpec


def build(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> Draft:
    draft = Draft(prompt="")
    hears_audio(spec, caps, draft)
    draft.prompt = " ".join(
        p for p in (sentence(commas(subject_action(spec), spec.context)), sentence(spec.style)) if p
    )
    params: dict = {
        "duration_seconds": spec.duration_seconds,
        "aspect_ratio": spec.aspect_ratio,
        "resolution": spec.resolution,
        "shot_size": spec.shot_size,
        "camera_angle": spec.camera_angle,
        "lens_mm": spec.lens_mm,
        "beats": [[b.at_seconds, b.action] for b in sorted(spec.beats, key=lambda b: b.at_seconds)],
    }
    params.update(cam.params)
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    return draft
