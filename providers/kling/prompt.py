"""Kling 2.6 and 3.0: [Subject] + [Action with physical detail] + [Camera Movement] + [Style/Mood].

Sentences, not a comma list: the guide's example reads "A knight ... splinters under the
impact. The camera is a handheld shot that shakes with the impact."
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec

TEMPLATE = """\
{{ [subject_action, context]|commas|sentence }}
{{ beats }}
{{ camera_sentence }}
{{ style|sentence }}
{{ dialogue }}
{{ sound }}
"""


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str = TEMPLATE
) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)

    mode = caps.slug.rsplit("-", 1)[-1]  # kling-2.6-std / kling-3.0-pro
    params: dict = {
        "model_name": caps.api_model,
        "mode": mode,
        "duration": str(spec.duration_seconds),  # Kling wants a string
        "sound": "on" if spec.audio and caps.native_audio else "off",
    }
    if spec.has_hero_frame:
        # image2video has no aspect_ratio: the clip follows the image.
        draft.notes.append("hero frame sent as image (image2video); the clip takes its shape")
    else:
        params["aspect_ratio"] = spec.aspect_ratio
    if spec.has_last_frame and caps.last_frame:
        draft.notes.append("last frame sent as image_tail")
    if spec.negative_prompt.strip() and caps.negative_prompt:
        params["negative_prompt"] = spec.negative_prompt.strip()
    params.update(cam.params)
    draft.params = params
    return draft
