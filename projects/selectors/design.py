"""The design preview of a shot: what its target model will be sent (prompt, parameters, what
is dropped and why), pre-flight problems by field, comparisons across models, recommendations
and presets."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils import timezone

from projects.models import Shot, TeamPreset
from projects.registry import accounts_read_once, model_runnable
from projects.selectors.money import rate_cards
from projects.selectors.prompt_templates import TemplateBook, TemplateInUse, templates_for
from projects.selectors.shot_spec import shot_spec
from providers.capabilities import CAPABILITIES
from providers.core import catalog
from providers.core.capabilities import Capabilities
from providers.core.prices import Unpriced
from providers.core.spec import ShotSpec
from providers.design.compile import CompiledRequest, compile_shot, family_of
from providers.design.preflight import check_shot, lifecycle_warnings, replacement_of
from providers.design.presets import PRESETS_BY_SLUG, ShotPreset
from providers.design.recommend import Recommendation, recommend
from providers.higgsfield.prompt import hero_frame_prompt
from providers.prices import quote

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
    warnings: list[str] = field(default_factory=list)  # e.g. the model retires on a date
    # What a "Switch to …" button offers: the replacement of a deprecated or retired model.
    switch_to: Capabilities | None = None
    template: TemplateInUse | None = None  # the prompt template that phrased the prompt

    @property
    def ok(self) -> bool:
        return not self.problems and self.compiled is not None

    @property
    def params_json(self) -> str:
        return json.dumps(self.compiled.params, indent=2, sort_keys=True) if self.compiled else ""

    @property
    def summary(self) -> str:
        """The request in words ("5 s · 16:9 · 720p · no audio · camera: dolly in +5")."""
        return self.compiled.summary if self.compiled else ""

    @property
    def problem_list(self) -> list[str]:
        return [message for messages in self.problems.values() for message in messages]


def preview_for(
    spec: ShotSpec,
    model: str,
    *,
    not_sent: dict | None = None,
    templates: TemplateBook | None = None,
) -> Preview:
    """`not_sent`: a dict shared by callers previewing many models, so each provider account
    is read once (see platform_ignores). `templates`: the project's prompt templates; None
    phrases the prompt with the shipped formulas."""
    capabilities = CAPABILITIES.get(model) or CAPABILITIES[catalog.DEFAULT_MODEL]
    today = timezone.localdate()
    texts = templates.texts() if templates is not None else None
    problems = check_shot(spec, capabilities, today=today, templates=texts)
    warnings = lifecycle_warnings(capabilities, today=today)
    moving_on = bool(warnings or problems.get("target_model"))
    try:
        compiled = compile_shot(spec, capabilities, texts)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        # A half-edited shot may not compile at all; the problems above say why.
        compiled = None
    if compiled is not None:
        dropped = platform_ignores(capabilities.provider, compiled.params, cache=not_sent)
        compiled.ignored += dropped
        if dropped:
            # The words must not promise what this platform drops (Veo's seed on Gemini).
            names = ", ".join(note.split(":", 1)[0] for note in dropped)
            compiled.summary += f" · not sent on this platform: {names}"
    return Preview(
        capabilities=capabilities,
        problems=problems,
        compiled=compiled,
        hero_prompt=hero_frame_prompt(spec),
        warnings=warnings,
        switch_to=replacement_of(capabilities) if moving_on else None,
        template=templates.in_use(family_of(capabilities)) if templates is not None else None,
    )


def platform_ignores(provider: str, params: dict, *, cache: dict | None = None) -> list[str]:
    """Parameters the configured platform of a provider will not send (e.g. Veo's seed on the
    Gemini API), as notes for the "ignored" list."""
    from projects.registry import ProviderUnavailable, provider_by_slug

    cache = {} if cache is None else cache
    if provider not in cache:
        try:
            cache[provider] = getattr(provider_by_slug(provider), "params_not_sent", {})
        except ProviderUnavailable:
            cache[provider] = {}
    not_sent = cache[provider]
    return [f"{name}: {why}" for name, why in not_sent.items() if name in params]


def shot_preview(shot: Shot, **overrides) -> Preview:
    return preview_for(
        shot_spec(shot, **overrides), shot.target_model, templates=templates_for(shot.project_id)
    )


def shot_preflight(shot: Shot, **overrides) -> dict[str, list[str]]:
    """Field messages for the shot's target model; empty when it can be sent as it is."""
    return check_shot(
        shot_spec(shot, **overrides),
        shot.target_model,
        today=timezone.localdate(),
        templates=templates_for(shot.project_id).texts(),
    )


def shot_compare(shot: Shot, templates: TemplateBook | None = None) -> list[Preview]:
    spec = shot_spec(shot)
    not_sent: dict = {}
    templates = templates or templates_for(shot.project_id)
    return [
        preview_for(spec, slug, not_sent=not_sent, templates=templates)
        for slug, _ in catalog.VIDEO_MODELS
    ]


def models_compared(shot: Shot) -> tuple[list[Preview], list[Recommendation]]:
    """The compare page: the shot on every model, and the recommendations. Each model asks
    about its provider's account (keys, platform): read all of them in one query, not one per
    model."""
    templates = templates_for(shot.project_id)
    with accounts_read_once():
        return shot_compare(shot, templates), shot_recommendations(shot, templates=templates)


def shot_recommendations(
    shot: Shot, *, limit: int = 5, templates: TemplateBook | None = None
) -> list[Recommendation]:
    """The best `limit` models this studio can run now for the shot, each with its price for
    this shot, plus the shot's current target wherever it ranks."""
    spec = shot_spec(shot)
    texts = (templates or templates_for(shot.project_id)).texts()
    by_provider: dict[str, bool] = {}

    def runnable(model: str) -> bool:
        # Keys belong to the provider account: one look per provider, not per model.
        provider = CAPABILITIES[model].provider
        if provider not in by_provider:
            by_provider[provider] = model_runnable(model)
        return by_provider[provider]

    today = timezone.localdate()
    ranked = recommend(spec, runnable=runnable, current=shot.target_model, today=today)
    shown = [rec for i, rec in enumerate(ranked) if i < limit or rec.current]
    rates = rate_cards()
    for rec in shown:
        found = check_shot(spec, rec.model, today=today, templates=texts)
        problems = sum(len(messages) for messages in found.values())
        try:
            amount = quote(rec.model, spec, rates).amount
        except Unpriced:
            rec.price = "no price yet"
            rec.not_ready = "No rate card prices it yet: staff add one before it can be used."
        else:
            rec.price = "free" if amount == 0 else f"up to ${amount:.2f}"
        if problems and not rec.not_ready:
            plural = "s" if problems != 1 else ""
            rec.not_ready = (
                f"Fix {problems} pre-flight problem{plural} for it first (see its card below)."
            )
    return shown


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
