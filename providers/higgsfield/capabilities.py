"""What Higgsfield DoP accepts, as data (docs/providers.md section 5)."""

from __future__ import annotations

from providers.core.capabilities import ALL_RATIOS, PRESETS, CameraSupport, Capabilities


def _higgsfield(slug: str, name: str, api_model: str) -> Capabilities:
    return Capabilities(
        slug=slug,
        name=name,
        provider="higgsfield",
        api_model=api_model,
        prompt_field="params.prompt",
        durations=(5,),  # [I] DoP clips are about 5 s; providers.md names no duration field
        aspect_ratios=ALL_RATIOS,  # the clip follows the input image
        resolutions=("720p",),  # [I]
        camera=CameraSupport(style=PRESETS, field="motions", value_range=(0, 1)),
        requires_first_frame=True,
        seed_range=(0, 1_000_000),  # the SDK's seed() helper allows 0..1,000,000 [V-SDK]
        prompt_required=False,
    )


MODELS: tuple[Capabilities, ...] = (
    _higgsfield("higgsfield-dop-lite", "Higgsfield DoP Lite", "dop-lite"),
    _higgsfield("higgsfield-dop-turbo", "Higgsfield DoP Turbo", "dop-turbo"),
    _higgsfield("higgsfield-dop-standard", "Higgsfield DoP Standard", "dop-standard"),
)
