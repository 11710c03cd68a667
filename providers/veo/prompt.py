"""Veo 3.1: [Cinematography] + [Subject] + [Action] + [Context] + [Style & Ambiance], then
timestamp beats "(at 2s) ...", then dialogue and sound cues when native audio is on.

A named move's `lead` wraps the subject ("crane shot starting low on a lone hiker and
ascending high above"), which is how the guide's example reads.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec

TEMPLATE = """\
{{ [framing, camera_words, lead, action, context, style]|commas|sentence }}
{{ beats }}
{{ dialogue }}
{{ sound }}
"""


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str = TEMPLATE
) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)

    params: dict = {
        "durationSeconds": spec.duration_seconds,
        "aspectRatio": spec.aspect_ratio,
        "resolution": spec.resolution,
        # Vertex only; on the Gemini API Veo 3.x always makes audio and the SDK rejects this.
        "generateAudio": bool(spec.audio),
        "sampleCount": 1,
    }
    if spec.negative_prompt.strip():
        params["negativePrompt"] = spec.negative_prompt.strip()
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    if spec.has_hero_frame:
        draft.notes.append("hero frame sent as instances[0].image (first frame)")
    if spec.has_last_frame:
        draft.notes.append("last frame sent as instances[0].lastFrame")
    if spec.reference_count:
        draft.notes.append("reference images sent as instances[0].referenceImages (ASSET)")
    return draft
