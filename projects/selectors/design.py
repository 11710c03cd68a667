"""The design preview of a shot: what its target model will be sent (prompt, parameters, what
is dropped and why), pre-flight problems by field, comparisons across models, recommendations
and presets."""

from __future__ import annotations

import json
from dataclasses import dataclass

from projects.models import Shot, TeamPreset
from projects.selectors.shot_spec import shot_spec
from providers.capabilities import CAPABILITIES
from providers.core import catalog
from providers.core.capabilities import Capabilities
from providers.core.spec import ShotSpec
from providers.design.compile import CompiledRequest, compile_shot
from providers.design.preflight import check_shot
from providers.design.presets import PRESETS_BY_SLUG, ShotPreset
from providers.design.recommend import Recommendation, recommend
from providers.higgsfield.prompt import hero_frame_prompt

PRESET_FIELDS = (
    "target_model",
    "duration_seconds",
    "resolution",
    "style",
    "shot_size",
    "camera_angle",
    "motion_preset",
    "audio",
    *catalog.CAMERA_AXES,
)


@dataclass
class Preview:
    """One model's view of a shot: the request it would get and the problems it has."""

    capabilities: Capabilities
    problems: dict[str, list[str]]
    compiled: CompiledRequest | None = None
    hero_prompt: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and self.compiled is not None

    @property
    def params_json(self) -> str:
        return json.dumps(self.compiled.params, indent=2, sort_keys=True) if self.compiled else ""

    @property
    def problem_list(self) -> list[str]:
        return [message for messages in self.problems.values() for message in messages]


def preview_for(spec: ShotSpec, model: str) -> Preview:
    capabilities = CAPABILITIES.get(model) or CAPABILITIES[catalog.DEFAULT_MODEL]
    problems = check_shot(spec, capabilities)
    try:
        compiled = compile_shot(spec, capabilities)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        # A half-edited shot may not compile at all; the problems above say why.
        compiled = None
    if compiled is not None:
        compiled.ignored += platform_ignores(capabilities.provider, compiled.params)
    return Preview(
        capabilities=capabilities,
        problems=problems,
        compiled=compiled,
        hero_prompt=hero_frame_prompt(spec),
    )


def platform_ignores(provider: str, params: dict) -> list[str]:
    """Parameters the configured platform of a provider will not send (e.g. Veo's seed on the
    Gemini API), as notes for the "ignored" list."""
    from projects.registry import ProviderUnavailable, provider_by_slug

    try:
        not_sent = getattr(provider_by_slug(provider), "params_not_sent", {})
    except ProviderUnavailable:
        return []
    return [f"{name}: {why}" for name, why in not_sent.items() if name in params]


def shot_preview(shot: Shot, **overrides) -> Preview:
    return preview_for(shot_spec(shot, **overrides), shot.target_model)


def shot_preflight(shot: Shot, **overrides) -> dict[str, list[str]]:
    """Field messages for the shot's target model; empty when it can be sent as it is."""
    return check_shot(shot_spec(shot, **overrides), shot.target_model)


def shot_compare(shot: Shot) -> list[Preview]:
    spec = shot_spec(shot)
    return [preview_for(spec, slug) for slug, _ in catalog.VIDEO_MODELS]


def shot_recommendations(shot: Shot) -> list[Recommendation]:
    return recommend(shot_spec(shot))


def preset_values(preset: ShotPreset | TeamPreset) -> dict:
    if isinstance(preset, TeamPreset):
        return {name: getattr(preset, name) for name in PRESET_FIELDS}
    return {
        "target_model": preset.model,
        "duration_seconds": preset.duration_seconds,
        "resolution": preset.resolution,
        "style": preset.style,
        "shot_size": preset.shot_size,
        "camera_angle": preset.camera_angle,
        "motion_preset": preset.motion_preset,
        "audio": preset.audio,
        **preset.camera.as_dict(),
    }


def find_preset(project_id: int, key: str) -> ShotPreset | TeamPreset | None:
    """`key` is a built-in slug or "team-<id>" for one of the project's own presets."""
    if key.startswith("team-") and key[5:].isdigit():
        return TeamPreset.objects.filter(project_id=project_id, pk=int(key[5:])).first()
    return PRESETS_BY_SLUG.get(key)
