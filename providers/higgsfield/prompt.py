"""Higgsfield DoP, preset-first: a motion preset carries the move and a short prompt says who
does what. The hero frame already shows the setting, so context stays out of the prompt.

Models Higgsfield hosts from its catalogue (Veo, Kling, Seedance via Higgsfield) get a plain
prompt with the camera in words, and only duration and ratio as fields (capabilities.py).
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    camera_clause,
    camera_sentence,
    commas,
    framing,
    hears_audio,
    join_sentences,
    sentence,
    sequential_beats,
    subject_action,
)
from providers.core.spec import ShotSpec


def build(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> Draft:
    if caps.api_model == caps.catalogue_id:  # a hosted model: its id is its application path
        return _hosted(spec, caps, cam)
    draft = Draft(prompt="")
    hears_audio(spec, caps, draft)
    if spec.context.strip():
        draft.ignored.append("context left out of the prompt: the hero frame shows the setting")
    if spec.beats:
        draft.ignored.append(f"{len(spec.beats)} beat(s): a motion preset plays one move")
    if framing(spec):
        draft.ignored.append("framing (shot size, angle, lens) comes from the hero frame")
    move = f"{cam.prompt_phrase} {spec.camera_notes.strip()}".strip()
    draft.prompt = sentence(commas(subject_action(spec), move, spec.style))
    params: dict = {"model": caps.api_model}
    params.update(cam.params)
    if spec.seed is not None:
        params["seed"] = spec.seed
    draft.params = params
    if spec.has_hero_frame:
        draft.notes.append("hero frame sent as input_images[0]")
    draft.notes.append("motion names are resolved to ids from GET /v1/motions when sending")
    return draft


def _hosted(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> Draft:
    draft = Draft(prompt="")
    hears_audio(spec, caps, draft)
    clause = camera_clause(spec, cam)
    draft.prompt = join_sentences(
        sentence(subject_action(spec)),
        *sequential_beats(spec, caps, draft),
        sentence(commas(spec.context, spec.style)),
        camera_sentence(clause) if clause else "",
    )
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
