"""Higgsfield DoP, preset-first: a motion preset carries the move and a short prompt says who
does what. The hero frame already shows the setting, so context stays out of the prompt.

Models Higgsfield hosts from its catalogue (Veo, Kling, Seedance via Higgsfield) get a plain
prompt with the camera in words, and only duration and ratio as fields (capabilities.py).
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.placeholders import fill
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    commas,
    framing,
    join_sentences,
    sentence,
)
from providers.core.spec import ShotSpec

# DoP: the hero frame already shows the setting and framing; the preset carries the move.
TEMPLATE = """\
{{ [subject_action, (camera_words ~ " " ~ camera_notes)|trim, style]|commas|sentence }}
"""
HOSTED_TEMPLATE = """\
{{ subject_action|sentence }}
{{ beats }}
{{ [context, style]|commas|sentence }}
{% if camera %}{{ camera_sentence }}{% endif %}
"""
FRAMING = frozenset({"framing", "shot_size", "angle", "lens", "camera", "camera_sentence"})


def hosted(caps: Capabilities) -> bool:
    """A model Higgsfield hosts from its catalogue: its id is its application path."""
    return caps.api_model == caps.catalogue_id


def build(
    spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str | None = None
) -> Draft:
    if hosted(caps):
        return _hosted(spec, caps, cam, template or HOSTED_TEMPLATE)
    draft = Draft(prompt="")
    draft.prompt = fill(template or TEMPLATE, spec, caps, cam, draft)
    if spec.context.strip() and "context" not in draft.used:
        draft.ignored.append("context left out of the prompt: the hero frame shows the setting")
    if spec.beats and not draft.used & {"beats", "beat_list"}:
        draft.ignored.append(f"{len(spec.beats)} beat(s): a motion preset plays one move")
    if framing(spec) and not draft.used & FRAMING:
        draft.ignored.append("framing (shot size, angle, lens) comes from the hero frame")
    params: dict = {"model": caps.api_model}
    params.update(cam.params)
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    if spec.has_hero_frame:
        draft.notes.append("hero frame sent as input_images[0]")
    draft.notes.append("motion names are resolved to ids from GET /v1/motions when sending")
    return draft


def _hosted(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, template: str) -> Draft:
    draft = Draft(prompt="")
    draft.prompt = fill(template, spec, caps, cam, draft)
    draft.params = {"duration": spec.duration_seconds, "aspect_ratio": spec.aspect_ratio}
    if spec.has_hero_frame:
        draft.notes.append("hero frame uploaded and sent as image_url")
    draft.notes.append(f"sent to Higgsfield's {caps.catalogue_id} application [I]")
    return draft


def hero_frame_prompt(spec: ShotSpec) -> str:
    """A still for Cinema Studio's "hero frame first" step: look and composition, no motion.

    Framing leads (a still is judged by its composition), then who and where, then the look;
    the action is held as a frozen moment because an image model cannot play it.
    """
    who = spec.subject.strip()
    moment = f"caught as {spec.action.strip()}" if spec.action.strip() else ""
    still = sentence(commas(*framing(spec), who, moment, spec.context, spec.style))
    return join_sentences(still, "Cinematic still frame, sharp focus, no motion blur.")
