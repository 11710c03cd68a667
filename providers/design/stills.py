"""A shot compiled as a hero frame: the still that fixes look and composition before any motion.

The guide's "Hero Frame First" step decides lighting, composition and character look in an
image; so the stills formula keeps what a photograph can hold (subject, the action frozen at its
key moment, setting, shot size, angle, lens, light and style, the frame's shape) and leaves out
what only a clip has (camera moves, beats, duration, sound), reporting each as ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from providers.core.capabilities import StillCapabilities
from providers.core.prompting import commas, framing, join_sentences, sentence
from providers.core.spec import ShotSpec
from providers.higgsfield import stills as higgsfield
from providers.runway import stills as runway
from providers.seedance import stills as seedance
from providers.stills import get_still
from providers.veo import stills as veo

RATIO_WORDS = {
    "16:9": "16:9 widescreen frame",
    "9:16": "9:16 vertical frame",
    "1:1": "1:1 square frame",
    "4:3": "4:3 frame",
    "21:9": "21:9 anamorphic scope frame",
}
# Shortest side in pixels: a still is picked at least as sharp as the clip it will start.
SHORT_SIDE = {"480p": 480, "720p": 720, "1080p": 1080, "4k": 2160, "1K": 768, "2K": 1536}
SHORT_SIDE |= {"4K": 3072}
# A clause of free text that asks for movement, which a still cannot show and image models
# tend to render as blur or as a camera rig in the picture [I].
MOTION_WORDS = re.compile(
    r"\b(dolly|dollies|pan|pans|panning|tilt|tilts|tilting|zoom|zooms|zooming|truck|trucking|"
    r"crane|tracking|orbit|orbits|orbiting|whip|push(?:es)? in|pull(?:s)? (?:out|back)|"
    r"handheld|steadicam|camera (?:moves|follows|rises|circles)|slow motion|time-?lapse)\b",
    re.IGNORECASE,
)


@dataclass
class CompiledStill:
    prompt: str
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    aspect_ratio: str = ""  # the shot's ratio word, as priced and shown
    resolution: str = ""  # the model's own resolution word, as priced


def _previz_params(caps: StillCapabilities, aspect_ratio: str, resolution: str) -> dict:
    return {"aspect_ratio": aspect_ratio, "resolution": resolution}


PARAMS: dict[str, Callable[[StillCapabilities, str, str], dict[str, Any]]] = {
    "previz": _previz_params,
    "google-veo": veo.still_params,
    "seedance": seedance.still_params,
    "runway": runway.still_params,
    "higgsfield": higgsfield.still_params,
}


def compile_still(spec: ShotSpec, slug: str) -> CompiledStill:
    caps = get_still(slug)
    out = CompiledStill(prompt="", params={})
    out.aspect_ratio = _ratio(spec, caps, out)
    out.resolution = pick_resolution(caps, spec.resolution)
    out.prompt = _prompt(spec, out, with_refs=caps.max_references > 0)
    out.params = PARAMS[caps.provider](caps, out.aspect_ratio, out.resolution)
    _ignored(spec, caps, out)
    if caps.prompt_max_chars and len(out.prompt) > caps.prompt_max_chars:
        out.prompt = out.prompt[: caps.prompt_max_chars].rstrip()
        out.notes.append(f"prompt cut to {caps.name}'s {caps.prompt_max_chars} characters")
    return out


def pick_resolution(caps: StillCapabilities, video_resolution: str) -> str:
    """The smallest size whose short side covers the clip's; the largest when none does."""
    need = SHORT_SIDE.get(video_resolution, 720)
    for size in caps.resolutions:
        if SHORT_SIDE.get(size, 0) >= need:
            return size
    return caps.resolutions[-1]


def _ratio(spec: ShotSpec, caps: StillCapabilities, out: CompiledStill) -> str:
    if spec.aspect_ratio in caps.aspect_ratios:
        return spec.aspect_ratio
    fallback = caps.aspect_ratios[0]
    out.ignored.append(f"aspect ratio {spec.aspect_ratio}: {caps.name} makes {fallback}")
    return fallback


def _prompt(spec: ShotSpec, out: CompiledStill, *, with_refs: bool) -> str:
    what = " ".join(p.strip() for p in (spec.subject, _still(spec.action, out)) if p.strip())
    moment = f"{what}, frozen at the peak of the moment" if spec.action.strip() else what
    scene = sentence(commas(moment, _still(spec.context, out)))
    shot = sentence(commas(*framing(spec)))
    look = sentence(_still(spec.style, out))
    refs = ""
    if spec.reference_count and with_refs:
        refs = "Keep the people, places and look of the reference images."
    frame = sentence(commas(RATIO_WORDS.get(out.aspect_ratio, ""), "sharp focus, no motion blur"))
    return join_sentences("Cinematic still frame.", scene, shot, look, refs, frame)


def _still(text: str, out: CompiledStill) -> str:
    """Drop the comma clauses that ask for movement, saying which."""
    kept = []
    for clause in text.split(","):
        if MOTION_WORDS.search(clause):
            out.ignored.append(f"motion words left out of the still: {clause.strip()!r}")
        else:
            kept.append(clause)
    return ",".join(kept).strip()


def _ignored(spec: ShotSpec, caps: StillCapabilities, out: CompiledStill) -> None:
    if not spec.camera.is_static or spec.motion_preset:
        out.ignored.append("camera move: a still has none; it applies to the clip")
    if spec.camera_notes.strip():
        out.ignored.append("camera notes: they apply to the clip")
    if spec.beats:
        out.ignored.append(f"{len(spec.beats)} beat(s): the still holds one moment")
    if spec.audio or spec.dialogue or spec.sound_effects.strip() or spec.ambience.strip():
        out.ignored.append("sound and dialogue: a still is silent")
    if spec.negative_prompt.strip():
        out.ignored.append(f"negative prompt: {caps.name} takes none")
    if spec.seed is not None:
        out.ignored.append(f"seed {spec.seed}: each candidate is drawn fresh")
    extra = spec.reference_count - caps.max_references
    if spec.reference_count and extra > 0:
        out.ignored.append(f"{extra} reference image(s): {caps.name} takes {caps.max_references}")
