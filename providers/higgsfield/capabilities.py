"""What Higgsfield's video models accept, as data (docs/providers.md section 5).

Every model here is offered only when the account's catalogue (`GET /models`) lists its
`catalogue_id`; the ids are [3P] for DoP (live probes of the catalogue, 2026-08/10) and [I] for
the hosted models, whose exact slugs no source we could read gives (providers.md 5.4).
"""

from __future__ import annotations

from providers.core.capabilities import ALL_RATIOS, PRESETS, CameraSupport, Capabilities

# Ratios the hosted image-to-video applications are seen taking [I]; the clip may still follow
# the hero frame's shape.
HOSTED_RATIOS = ("16:9", "9:16", "1:1")


def _dop(slug: str, name: str, api_model: str, catalogue_id: str) -> Capabilities:
    return Capabilities(
        slug=slug,
        name=name,
        provider="higgsfield",
        api_model=api_model,
        prompt_field="prompt",
        durations=(5,),  # [I] DoP clips are about 5 s; providers.md names no duration field
        aspect_ratios=ALL_RATIOS,  # the clip follows the input image
        resolutions=("720p",),  # [I]
        camera=CameraSupport(style=PRESETS, field="motions", value_range=(0, 1)),
        requires_first_frame=True,
        seed_range=(0, 1_000_000),  # the SDK's seed() helper allows 0..1,000,000 [V-SDK]
        prompt_required=False,
        catalogue_id=catalogue_id,
    )


def _hosted(slug: str, name: str, catalogue_id: str, durations: tuple[int, ...]) -> Capabilities:
    # Request schemas are "being redesigned" [V docs]: only prompt, image, duration and ratio
    # are sent [I], so no audio, seed, end frame or references are promised.
    return Capabilities(
        slug=slug,
        name=name,
        provider="higgsfield",
        api_model=catalogue_id,
        prompt_field="prompt",
        durations=durations,
        aspect_ratios=HOSTED_RATIOS,
        resolutions=("720p",),  # [I] the request carries no resolution field
        requires_first_frame=True,  # image-to-video applications [I]
        prompt_required=True,
        catalogue_id=catalogue_id,
        notes=("served through Higgsfield's catalogue; request fields are [I]",),
    )


MODELS: tuple[Capabilities, ...] = (
    _dop("higgsfield-dop-lite", "Higgsfield DoP Lite", "dop-lite", "higgsfield-ai/dop/lite"),
    _dop("higgsfield-dop-turbo", "Higgsfield DoP Turbo", "dop-turbo", "higgsfield-ai/dop/turbo"),
    _dop(
        "higgsfield-dop-standard",
        "Higgsfield DoP Standard",
        "dop-standard",
        "higgsfield-ai/dop/standard",
    ),
    # [I] by analogy with the platform's published `kling-video/v2.1/pro/image-to-video`;
    # `kling-video/v3.0/std/image-to-video` is [3P: a project's notes, 2026-09].
    _hosted("higgsfield-veo-3.1", "Veo 3.1 via Higgsfield", "google/veo-3.1/image-to-video", (8,)),
    _hosted(
        "higgsfield-kling-3.0",
        "Kling 3.0 via Higgsfield",
        "kling-video/v3.0/std/image-to-video",
        (5, 10),
    ),
    _hosted(
        "higgsfield-seedance-1.5",
        "Seedance 1.5 via Higgsfield",
        "bytedance/seedance/v1.5/pro/image-to-video",
        (5, 10),
    ),
)
