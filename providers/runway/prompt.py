"""Runway Gen-4.5 / Gen-4 Turbo: [Subject] + [Action] + [Camera Movement, descriptive] +
[Style/Mood], within promptText's 1000 UTF-16 units (preflight reports an overflow).
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import ShotSpec

# Runway is silent: the default leaves out dialogue and sound (placeholders reports them).
TEMPLATE = """\
{{ [subject_action, context]|commas|sentence }}
{{ beats }}
{{ camera_sentence }}
{{ style|sentence }}
"""

# Pixel strings per catalog ratio (providers.md 2.3); gen4.5 text_to_video takes the first two.
RUNWAY_RATIOS = {
    "16:9": "1280:720",
    "9:16": "720:1280",
    "4:3": "1104:832",
    "1:1": "960:960",
    "21:9": "1584:672",
}


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str = TEMPLATE
) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)
    params: dict = {
        "model": caps.api_model,
        "ratio": RUNWAY_RATIOS.get(spec.aspect_ratio, spec.aspect_ratio),
        "duration": spec.duration_seconds,
    }
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    if spec.has_hero_frame:
        draft.notes.append("POST /v1/image_to_video with the hero frame as promptImage")
    else:
        draft.notes.append("POST /v1/text_to_video")
    return draft
