"""Seedance 1.5 Pro, audio-first: [Dialogue] + [Character] + [Setting/Context] + [Style/Mood].

The guide's example: "A young woman with blonde hair says, 'I can't believe you just said
that.' She is sitting in a dimly lit coffee shop, and the mood is tense." A line with no
speaker is spoken by the subject, so the character is introduced by their own line.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    camera_clause,
    camera_sentence,
    hears_audio,
    join_sentences,
    language_words,
    quoted,
    sentence,
    sequential_beats,
    sound_sentences,
    speaker_of,
    subject_action,
)
from providers.core.spec import ShotSpec


def build(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> Draft:
    draft = Draft(prompt="")
    audible = hears_audio(spec, caps, draft)
    lines = spec.dialogue if audible else ()
    spoken = [
        sentence(
            f"{speaker_of(spec, line.speaker)} says{language_words(line.language)}, "
            f"'{quoted(line.text)}'"
        )
        for line in lines
    ]
    subject_spoke = any(not line.speaker.strip() for line in lines)
    character = sentence(spec.action) if subject_spoke else sentence(subject_action(spec))
    mood = f"the mood is {spec.style.strip()}" if spec.style.strip() else ""
    setting = sentence(", and ".join(p for p in (spec.context.strip(), mood) if p))
    clause = camera_clause(spec, cam)
    # camera_fixed already says "static"; words are only needed for a move or framing.
    camera = camera_sentence(clause) if clause else ""
    sound = sound_sentences(spec) if audible else []
    draft.prompt = join_sentences(
        *spoken, character, *sequential_beats(spec, caps, draft), setting, camera, *sound
    )

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
