"""Previz (local renderer): a plain description for the frame overlay; the camera, framing and
beats travel as numbers so the renderer can move its virtual camera exactly.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec

TEMPLATE = """\
{{ [subject_action, context]|commas|sentence }}
{{ style|sentence }}
"""


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str = TEMPLATE
) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)

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
