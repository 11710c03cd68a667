"""What a provider's prompt formula (providers/<provider>/prompt.py) is handed and hands back,
and the sentence plumbing the formulas share.

design.camera turns the shot's move into a `CameraTranslation`; a formula turns the shot and
that translation into a `Draft` (prompt and API parameters); design.compile puts them together.
Fields are joined with ", " and sentences end with a period, as the guide's example prompts are
written, so golden prompts come out exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from providers.core.capabilities import Capabilities
from providers.core.catalog import CAMERA_ANGLES, DIALOGUE_LANGUAGES, SHOT_SIZES, label_for
from providers.core.motions import Motion
from providers.core.spec import ShotSpec

ANGLE_WORDS = {
    "eye": "eye level",
    "low": "low angle",
    "high": "high angle",
    "overhead": "overhead angle",
    "dutch": "dutch angle",
    "pov": "point-of-view angle",
    "ots": "over-the-shoulder angle",
}
ENDINGS = (".", "!", "?", "…")


@dataclass
class CameraTranslation:
    params: dict[str, Any] = field(default_factory=dict)
    prompt_phrase: str = ""  # axis words for the prompt, e.g. "slow dolly in, slight pan right"
    sent: list[str] = field(default_factory=list)
    approximated: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # The named move still to be described in words (None when sent as a preset or absent).
    motion: Motion | None = None


@dataclass
class Draft:
    prompt: str
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    used: frozenset[str] = frozenset()  # the placeholders the prompt's template named


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """Capitalized, ending in punctuation; a closing quote after punctuation counts as ended."""
    text = capitalize(text.strip())
    if not text:
        return ""
    tail = text.rstrip("'\"\u201d\u2019)")  # closing quotes, straight or curly
    return text if tail.endswith(ENDINGS) else text + "."


def join_sentences(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def commas(*parts: str) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def angle_words(angle: str) -> str:
    return ANGLE_WORDS.get(angle, label_for(CAMERA_ANGLES, angle))


def framing(spec: ShotSpec) -> list[str]:
    words = []
    if spec.shot_size:
        words.append(label_for(SHOT_SIZES, spec.shot_size).lower())
    if spec.camera_angle:
        words.append(angle_words(spec.camera_angle))
    if spec.lens_mm:
        words.append(f"{spec.lens_mm}mm lens")
    return words


def subject_action(spec: ShotSpec) -> str:
    return " ".join(p.strip() for p in (spec.subject, spec.action) if p.strip())


def camera_clause(spec: ShotSpec, cam: CameraTranslation, *, with_framing: bool = True) -> str:
    """Noun phrase for "The camera is a ...": framing, named move, axis words, then notes."""
    parts = framing(spec) if with_framing else []
    if cam.motion is not None:
        parts.append(cam.motion.shot)
    if cam.prompt_phrase:
        parts.append(cam.prompt_phrase)
    notes = spec.camera_notes.strip()
    if notes:
        if parts:
            parts[-1] = f"{parts[-1]} {notes}"
        else:
            parts.append(notes)
    return ", ".join(parts)


def camera_sentence(clause: str) -> str:
    clause = clause or "static shot"
    article = "an" if clause[:1].lower() in "aeiou" else "a"
    return f"The camera is {article} {clause}."


def quoted(text: str) -> str:
    text = text.strip()
    return text if text.endswith(ENDINGS) else text + "."


def speaker_of(spec: ShotSpec, speaker: str) -> str:
    return speaker.strip() or spec.subject.strip() or "a voice"


def language_words(language: str) -> str:
    """ " in Japanese" for non-English lines; English is the models' default."""
    return "" if language == "en" else f" in {label_for(DIALOGUE_LANGUAGES, language)}"


def hears_audio(spec: ShotSpec, caps: Capabilities, draft: Draft) -> bool:
    """Whether sound cues belong in the prompt; reports audio the model will not make."""
    if spec.audio and caps.native_audio:
        return True
    cues = []
    if spec.dialogue:
        cues.append(f"{len(spec.dialogue)} dialogue line(s)")
    if spec.sound_effects.strip():
        cues.append("sound effects")
    if spec.ambience.strip():
        cues.append("ambience")
    dropped = f" ({', '.join(cues)} left out of the prompt)" if cues else ""
    if not caps.native_audio and (spec.audio or cues):
        draft.ignored.append(f"audio: {caps.name} makes silent clips{dropped}")
    elif cues:
        draft.ignored.append(f"audio is off{dropped}")
    return False


def sound_sentences(spec: ShotSpec) -> list[str]:
    out = []
    if spec.sound_effects.strip():
        out.append(sentence(f"SFX: {spec.sound_effects.strip()}"))
    if spec.ambience.strip():
        out.append(sentence(f"Ambient noise: {spec.ambience.strip()}"))
    return out


def fmt_seconds(value: float) -> str:
    return f"{value:g}"
