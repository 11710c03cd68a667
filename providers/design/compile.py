"""A shot compiled for one model: the prompt and parameters it will be sent, plus what was
approximated and what the model will ignore, so the filmmaker sees it before paying.

`params` use the API's own field names; the prompt goes in `Capabilities.prompt_field` and
images (hero frame, last frame, references) are attached by the HTTP layer, as `notes` say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from providers.capabilities import resolve
from providers.core.capabilities import PROMPT, Capabilities
from providers.core.motions import get_motion
from providers.core.placeholders import CARRIERS
from providers.core.prompting import CameraTranslation, Draft
from providers.core.spec import CameraMove, ShotSpec
from providers.design.camera import DIRECTIONS, by_dominance, translate_camera
from providers.higgsfield import prompt as higgsfield
from providers.kling import prompt as kling
from providers.previz import prompt as previz
from providers.runway import prompt as runway
from providers.seedance import prompt as seedance
from providers.veo import prompt as veo

Formula = Callable[[ShotSpec, Capabilities, CameraTranslation, str], Draft]


@dataclass(frozen=True)
class Family:
    """Models that share one prompt formula, and so one prompt template a team can edit."""

    name: str
    build: Formula
    template: str  # the shipped default: the formula as the guide writes it


# Keyed by provider slug, except the models Higgsfield hosts, which are phrased otherwise.
FAMILIES: dict[str, Family] = {
    "previz": Family("Previz", previz.build, previz.TEMPLATE),
    "google-veo": Family("Veo", veo.build, veo.TEMPLATE),
    "kling": Family("Kling", kling.build, kling.TEMPLATE),
    "runway": Family("Runway", runway.build, runway.TEMPLATE),
    "seedance": Family("Seedance", seedance.build, seedance.TEMPLATE),
    "higgsfield": Family("Higgsfield DoP", higgsfield.build, higgsfield.TEMPLATE),
    "higgsfield-hosted": Family(
        "Models hosted by Higgsfield", higgsfield.build, higgsfield.HOSTED_TEMPLATE
    ),
}


def family_of(model: str | Capabilities) -> str:
    caps = resolve(model)
    return "higgsfield-hosted" if higgsfield.hosted(caps) else caps.provider


@dataclass
class CompiledRequest:
    model: str
    prompt: str
    params: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    camera: CameraTranslation | None = None  # per-axis sent/approximated/ignored for the UI
    # The request in words, read before the raw parameters: "5 s · 16:9 · 720p · no audio".
    summary: str = ""
    family: str = ""
    custom_template: bool = False  # made by a team's template, not the shipped default


def compile_shot(
    spec: ShotSpec,
    model_slug: str | Capabilities,
    templates: Mapping[str, str] | None = None,
) -> CompiledRequest:
    """`templates`: a team's prompt template per family (FAMILIES); a family without one uses
    the shipped default. TemplateProblem (a ValueError) when the template cannot be used."""
    caps = resolve(model_slug)
    cam = translate_camera(spec.camera, caps, spec.motion_preset)
    family = family_of(caps)
    template = (templates or {}).get(family) or FAMILIES[family].template
    custom = template != FAMILIES[family].template
    draft = FAMILIES[family].build(spec, caps, cam, template)
    notes = [f"camera: {n}" for n in cam.sent] + [
        f"camera approximated: {n}" for n in cam.approximated
    ]
    notes += draft.notes
    ignored = [f"camera: {n}" for n in cam.ignored] + draft.ignored + _unsupported(spec, caps)
    if custom:
        ignored += left_out(spec, caps, cam, draft)
    return CompiledRequest(
        model=caps.slug,
        prompt=draft.prompt,
        params=draft.params,
        notes=notes,
        ignored=ignored,
        camera=cam,
        summary=summarize(spec, caps, cam),
        family=family,
        custom_template=custom,
    )


def left_out(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation, draft: Draft) -> list[str]:
    """What the shot has that a team's template does not put in the prompt, each said once
    (a part the formula already reported as dropped is not repeated)."""
    has = {
        "subject": spec.subject.strip(),
        "action": spec.action.strip(),
        "context": spec.context.strip(),
        "style": spec.style.strip(),
        "beats": any(b.action.strip() for b in spec.beats),
        "camera move": cam.prompt_phrase or cam.motion is not None or spec.camera_notes.strip(),
    }
    heard = spec.audio and caps.native_audio
    has["dialogue"] = heard and bool(spec.dialogue)
    has["sound"] = heard and bool(spec.sound_effects.strip() or spec.ambience.strip())
    said = " ".join(draft.ignored)
    return [
        f"{part}: not in this template's prompt"
        for part, carriers in CARRIERS.items()
        if has[part] and not draft.used & carriers and part.split()[0] not in said
    ]


def signed(value: int) -> str:
    """+5 / −3, with a true minus sign, as a number reads in a sentence."""
    return f"+{value}" if value > 0 else f"\u2212{abs(value)}"


def describe_move(move: CameraMove) -> str:
    """The six axes in words, biggest move first: "dolly in +5, pan left −3", or "static"."""
    parts = []
    for axis in by_dominance(move):
        value = getattr(move, axis)
        positive, negative = DIRECTIONS[axis]
        parts.append(f"{axis} {positive if value > 0 else negative} {signed(value)}")
    return ", ".join(parts) or "static"


def summarize(spec: ShotSpec, caps: Capabilities, cam: CameraTranslation) -> str:
    """What the model is asked for, in the words a filmmaker uses, from what is really sent
    (a ratio the hero frame decides, audio only where the model makes it)."""
    parts = [f"{spec.duration_seconds} s"]
    if caps.ratio_follows_first_frame and spec.has_hero_frame:
        parts.append("the hero frame's shape")
    else:
        parts.append(spec.aspect_ratio)
    parts.append(spec.resolution)
    parts.append("with audio" if spec.audio and caps.native_audio else "no audio")
    if spec.has_hero_frame and caps.first_frame:
        parts.append("from the hero frame")
    if spec.has_last_frame and caps.last_frame:
        parts.append("ending on the last frame")
    used = min(spec.reference_count, caps.max_references)
    if used > 0:
        parts.append(f"{used} reference image{'s' if used != 1 else ''}")
    motion = get_motion(spec.motion_preset) if spec.motion_preset else None
    camera = f"camera: {describe_move(spec.camera)}"
    if motion is not None:
        camera = f"camera: {motion.name}" + (
            f" and {describe_move(spec.camera)}" if not spec.camera.is_static else ""
        )
    if not spec.camera.is_static or motion is not None:
        # How the move travels matters as much as the move: a number the model obeys, or
        # words it may read loosely.
        if cam.ignored and not cam.sent and not cam.approximated:
            camera += " (not sent: see Ignored)"
        elif caps.camera.style == PROMPT or (cam.approximated and not cam.sent):
            camera += " (in words, in the prompt)"
        elif cam.approximated:
            camera += " (partly in words, in the prompt)"
    parts.append(camera)
    if spec.seed is not None and caps.seed_range is not None:
        parts.append(f"seed {spec.seed}")
    return " · ".join(parts)


def _unsupported(spec: ShotSpec, caps: Capabilities) -> list[str]:
    """Inputs the shot has and this model cannot take; each is reported, never just dropped."""
    out = []
    if spec.seed is not None and caps.seed_range is None:
        out.append(f"seed {spec.seed}: {caps.name} takes no seed")
    if spec.negative_prompt.strip() and not caps.negative_prompt:
        out.append(f"negative prompt: {caps.name} takes none")
    if spec.has_voice_sample and not caps.voice_sample:
        out.append(f"voice sample: {caps.name} cannot take one through its API")
    if spec.has_last_frame and not caps.last_frame:
        out.append(f"last frame: {caps.name} takes no end frame")
    if spec.has_hero_frame and not caps.first_frame:
        out.append(f"hero frame: {caps.name} takes no start frame")
    extra = spec.reference_count - caps.max_references
    if spec.reference_count > 0 and extra > 0:
        out.append(f"{extra} reference image(s): {caps.name} takes {caps.max_references}")
    return out
