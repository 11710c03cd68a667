"""A Shot row becomes the plain `ShotSpec` that providers read; the text boxes a filmmaker types
(dialogue, beats) are parsed here, with line-numbered messages for the form.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from projects.models import Shot
from providers.core import catalog
from providers.core.spec import Beat, CameraMove, DialogueLine, ShotSpec

LANGUAGES = dict(catalog.DIALOGUE_LANGUAGES)
BEAT_LINE = re.compile(r"^\s*(?:at\s+)?(\d+(?:\.\d+)?)\s*s?\s*[:\-–—]\s*(.+?)\s*$", re.IGNORECASE)
SPEAKER = re.compile(r"^(?P<who>[^:()\[\]]{1,40}?)\s*(?:[(\[](?P<lang>[a-zA-Z]{2})[)\]])?\s*$")


def parse_beats(text: str) -> list[Beat]:
    """ "2s: she turns" per line -> Beats in time order."""
    beats, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        match = BEAT_LINE.match(raw)
        if not match:
            problems.append(
                f"Line {number}: start with the second it happens, e.g. “2s: she turns”."
            )
            continue
        beats.append(Beat(at_seconds=float(match.group(1)), action=match.group(2)))
    if problems:
        raise ValidationError(problems)
    return sorted(beats, key=lambda beat: beat.at_seconds)


def parse_dialogue(text: str, default_language: str = "en") -> list[DialogueLine]:
    """ "MARA: words" or "MARA (fr): words" per line; a line without a speaker is the subject's."""
    lines, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        head, sep, words = raw.partition(":")
        match = SPEAKER.match(head.strip()) if sep else None
        if not match or not words.strip():
            lines.append(DialogueLine(speaker="", text=raw.strip(), language=default_language))
            continue
        language = (match.group("lang") or default_language).lower()
        if language not in LANGUAGES:
            codes = ", ".join(LANGUAGES)
            problems.append(f"Line {number}: “{language}” is not a language we know; use {codes}.")
            continue
        lines.append(
            DialogueLine(speaker=match.group("who").strip(), text=words.strip(), language=language)
        )
    if problems:
        raise ValidationError(problems)
    return lines


def shot_spec(
    shot: Shot,
    *,
    reference_count: int | None = None,
    has_hero_frame: bool | None = None,
    has_last_frame: bool | None = None,
    has_voice_sample: bool | None = None,
) -> ShotSpec:
    """The shot as providers see it. Overrides describe edits not saved yet (live preview)."""
    try:
        beats = tuple(parse_beats(shot.beats))
    except ValidationError:
        beats = ()  # the form shows the parse errors; the preview skips unreadable beats
    try:
        dialogue = tuple(parse_dialogue(shot.dialogue, shot.dialogue_language))
    except ValidationError:
        dialogue = ()
    if reference_count is None:
        reference_count = len(shot.references.all()) if shot.pk else 0
    return ShotSpec(
        label=shot.label,
        subject=shot.subject,
        action=shot.action,
        context=shot.context,
        style=shot.style,
        shot_size=shot.shot_size,
        camera_angle=shot.camera_angle,
        lens_mm=shot.lens_mm,
        duration_seconds=shot.duration_seconds or 0,
        aspect_ratio=shot.aspect_ratio,
        resolution=shot.resolution,
        audio=shot.audio,
        dialogue=dialogue,
        sound_effects=shot.sound_effects,
        ambience=shot.ambience,
        beats=beats,
        camera=CameraMove(**{axis: getattr(shot, axis) or 0 for axis in catalog.CAMERA_AXES}),
        has_hero_frame=bool(shot.hero_frame) if has_hero_frame is None else has_hero_frame,
        has_last_frame=bool(shot.last_frame) if has_last_frame is None else has_last_frame,
        reference_count=reference_count,
        has_voice_sample=bool(shot.voice_sample) if has_voice_sample is None else has_voice_sample,
        negative_prompt=shot.negative_prompt,
        seed=shot.seed,
        motion_preset=shot.motion_preset,
        camera_notes=shot.camera_notes,
    )
