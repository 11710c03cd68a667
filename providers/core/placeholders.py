"""What a prompt template can name: the shot's parts, phrased the way the built-in formulas
phrase them, so a team can reorder and reword a formula without rebuilding its pieces.

Each provider's `prompt.TEMPLATE` is its formula written with these placeholders; `fill`
renders a template (the team's or that default) for one shot. Values that depend on the model
(the beats told with times or in order, the quotes around dialogue, whether sound is heard)
are decided here, once, from `Capabilities`.
"""

from __future__ import annotations

from typing import Any

from providers.core.capabilities import Capabilities
from providers.core.catalog import SHOT_SIZES, label_for
from providers.core.prompting import (
    CameraTranslation,
    Draft,
    angle_words,
    camera_clause,
    camera_sentence,
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
    subject_action,
)
from providers.core.spec import ShotSpec
from providers.core.templating import compile_template, render

# Name -> what it holds, as the editor lists them.
PLACEHOLDERS: dict[str, str] = {
    "subject": "who or what the shot is about, as typed",
    "action": "what happens, as typed",
    "context": "where and when, as typed",
    "style": "look and mood, as typed",
    "subject_action": "subject and action together: “a knight stumbles”",
    "subject_speaks": "true when a dialogue line has no speaker, so the subject says it",
    "lead": "the subject carried by the named camera move and the camera notes: "
    "“crane shot starting low on a lone hiker”",
    "shot_size": "“close-up”",
    "angle": "“low angle”",
    "lens": "“35mm lens”",
    "framing": "shot size, angle and lens, with commas",
    "camera": "framing, named move, axis words and notes as one phrase: "
    "“close-up, handheld shot that shakes”",
    "camera_sentence": "“The camera is a … .” (“The camera is a static shot.” when nothing is set)",
    "camera_move": "the named move alone: “crane shot”",
    "camera_words": "the six axes in words: “slow dolly in, slight pan right”",
    "camera_notes": "the free words qualifying the move",
    "beats": "the beats as sentences, as this model reads them: “(at 2s) she turns.” where it "
    "takes times, else “Then she turns.”",
    "beat_list": "the beats, for {% for beat in beat_list %}: beat.at (seconds), beat.action",
    "dialogue": "the spoken lines as sentences: “Ann says, “Run.””; empty when no sound is made",
    "lines": "the lines, for {% for line in lines %}: line.speaker, line.text, line.language, "
    "line.in_language (“ in Japanese”, or nothing for English)",
    "sound": "sound effects and ambience as sentences",
    "sfx": "the sound effects, as typed",
    "ambience": "the ambience, as typed",
    "audio": "true when this model makes sound for the shot",
    "duration": "the length in seconds, a number",
    "aspect_ratio": "“16:9”",
    "resolution": "“720p”",
    "model": "the model's name: “Kling 2.6 Pro”",
    "hero_frame": "true when the shot has a hero frame",
}
KNOWN = frozenset(PLACEHOLDERS)
# The parts of a shot and the placeholders that carry them, to tell a team when its template
# leaves out something the shot has (design.compile).
CARRIERS: dict[str, frozenset[str]] = {
    "subject": frozenset({"subject", "subject_action", "lead"}),
    "action": frozenset({"action", "subject_action"}),
    "context": frozenset({"context"}),
    "style": frozenset({"style"}),
    "beats": frozenset({"beats", "beat_list"}),
    "dialogue": frozenset({"dialogue", "lines"}),
    "sound": frozenset({"sound", "sfx", "ambience"}),
    "camera move": frozenset({"camera", "camera_sentence", "camera_words", "camera_move", "lead"}),
}
# Quotes around spoken words, where a model's guide writes them otherwise than "…".
QUOTES = {"seedance": "'"}


class Item(dict):
    """One line or beat for a {% for %}: its fields by name, and printed whole (in a `join`,
    or by mistake) it reads as words rather than as a Python dict."""

    def __init__(self, words: str, **fields: Any) -> None:
        super().__init__(fields)
        self.words = words

    def __str__(self) -> str:
        return self.words

    __repr__ = __str__


def fill(
    template: str, spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, draft: Draft
) -> str:
    """The prompt `template` makes for this shot on this model; notes what is dropped on
    `draft`. TemplateProblem when the template cannot be used."""
    compiled = compile_template(template, KNOWN)
    draft.used = compiled.used
    return render(compiled, values(spec, caps, cam, draft, used=compiled.used))


def values(
    spec: ShotSpec,
    caps: Capabilities,
    cam: CameraTranslation,
    draft: Draft,
    *,
    used: frozenset[str] = KNOWN,
) -> dict[str, Any]:
    audible = hears_audio(spec, caps, draft)
    lines = spec.dialogue if audible else ()
    quote = QUOTES.get(caps.provider, '"')
    clause = camera_clause(spec, cam)
    words = framing(spec)
    beats = [b for b in sorted(spec.beats, key=lambda b: b.at_seconds) if b.action.strip()]
    if caps.timestamp_beats:
        told = [sentence(f"(at {fmt_seconds(b.at_seconds)}s) {b.action.strip()}") for b in beats]
    else:
        told = [sentence(f"then {b.action.strip()}") for b in beats]
        if spec.beats and "beats" in used:
            draft.notes.append(f"{caps.name} has no timestamp prompting: beats are told in order")
    said = [
        {
            "speaker": speaker_of(spec, line.speaker),
            "text": quoted(line.text),
            "language": line.language,
            "in_language": language_words(line.language),
        }
        for line in lines
    ]
    spoken = [
        sentence(f"{s['speaker']} says{s['in_language']}, {quote}{s['text']}{quote}") for s in said
    ]
    return {
        "subject": spec.subject.strip(),
        "action": spec.action.strip(),
        "context": spec.context.strip(),
        "style": spec.style.strip(),
        "subject_action": subject_action(spec),
        "subject_speaks": any(not line.speaker.strip() for line in lines),
        "lead": lead(spec, cam),
        "shot_size": label_for(SHOT_SIZES, spec.shot_size).lower() if spec.shot_size else "",
        "angle": angle_words(spec.camera_angle) if spec.camera_angle else "",
        "lens": f"{spec.lens_mm}mm lens" if spec.lens_mm else "",
        "framing": commas(*words),
        "camera": clause,
        "camera_sentence": camera_sentence(clause),
        "camera_move": cam.motion.shot if cam.motion is not None else "",
        "camera_words": cam.prompt_phrase,
        "camera_notes": spec.camera_notes.strip(),
        "beats": join_sentences(*told),
        "beat_list": [
            Item(words, at=b.at_seconds, action=b.action.strip())
            for words, b in zip(told, beats, strict=True)
        ],
        "dialogue": join_sentences(*spoken),
        "lines": [Item(words, **s) for words, s in zip(spoken, said, strict=True)],
        "sound": join_sentences(*sound_sentences(spec)) if audible else "",
        "sfx": spec.sound_effects.strip() if audible else "",
        "ambience": spec.ambience.strip() if audible else "",
        "audio": audible,
        "duration": spec.duration_seconds,
        "aspect_ratio": spec.aspect_ratio,
        "resolution": spec.resolution,
        "model": caps.name,
        "hero_frame": spec.has_hero_frame,
    }


def lead(spec: ShotSpec, cam: CameraTranslation) -> str:
    """The subject as a named move carries it ("crane shot starting low on a lone hiker"),
    then the camera notes: how Veo's guide example reads."""
    subject = spec.subject.strip()
    if cam.motion is not None:
        subject = cam.motion.lead.format(subject=subject or "the scene")
    notes = spec.camera_notes.strip()
    return f"{subject} {notes}".strip() if notes else subject
