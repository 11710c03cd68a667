"""Seedance 1.5 Pro, audio-first: [Dialogue] + [Character] + [Setting/Context] + [Style/Mood].

The guide's example: "A young woman with blonde hair says, 'I can't believe you just said
that.' She is sitting in a dimly lit coffee shop, and the mood is tense." A line with no
speaker is spoken by the subject, so the character is introduced by their own line.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec

# camera_fixed already says "static": words are only needed for a move or framing.
TEMPLATE = """\
{{ dialogue }}
{{ (action if subject_speaks else subject_action)|sentence }}
{{ beats }}
{{ [context, style and "the mood is " ~ style]|commas(", and ")|sentence }}
{% if camera %}{{ camera_sentence }}{% endif %}
{{ sound }}
"""


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str = TEMPLATE
) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)

    params: dict = {
        "model": caps.api_model,
        "resolution": spec.resolution,
        "ratio": spec.aspect_ratio,
        "duration": spec.duration_seconds,
        "generate_audio": bool(spec.audio),
    }
    params.update(cam.params)
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    if spec.has_hero_frame:
        draft.notes.append("hero frame sent as content image_url, role first_frame")
    if spec.has_last_frame:
        draft.notes.append("last frame sent as content image_url, role last_frame")
    return draft
