"""Veo 3.1: [Cinematography] + [Subject] + [Action] + [Context] + [Style & Ambiance], then
timestamp beats "(at 2s) ...", then dialogue and sound cues when native audio is on.

A named move's `lead` wraps the subject ("crane shot starting low on a lone hiker and
ascending high above"), which is how the guide's example reads.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    commas,
    fmt_seconds,
    framing,
    hears_audio,
    join_sentences,
    language_words,
    quoted,
    sentence,
    sound_sentences,
    speaker_of,
)
from providers.core.spec import ShotSpec


def lead(spec: ShotSpec, cam: CameraTranslation) -> str:
    subject = spec.subject.strip()
    if cam.motion is not None:
        subject = cam.motion.lead.format(subject=subject or "the scene")
    notes = spec.camera_notes.strip()
    return f"{subject} {notes}".strip() if notes else subject


def build(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> Draft:
    draft = Draft(prompt="")
    main = sentence(
        commas(
            *framing(spec),
            cam.prompt_phrase,
            lead(spec, cam),
            spec.action,
            spec.context,
            spec.style,
        )
    )
    beats = [
        sentence(f"(at {fmt_seconds(b.at_seconds)}s) {b.action.strip()}")
        for b in sorted(spec.beats, key=lambda b: b.at_seconds)
        if b.action.strip()
    ]
    sound: list[str] = []
    if hears_audio(spec, caps, draft):
        for line in spec.dialogue:
            who = speaker_of(spec, line.speaker)
            said = f'{who} says{language_words(line.language)}, "{quoted(line.text)}"'
            sound.append(sentence(said))
        sound += sound_sentences(spec)
    draft.prompt = join_sentences(main, *beats, *sound)

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
