"""Every image model the studio can make hero-frame candidates with, by catalog slug.

Stills are takes of their own kind: the same pipeline (held budget, at-most-once send, ledger,
camera report) with an image for a result. Each provider's adapter serves its still models
beside its video models, on the same account and keys.
"""

from __future__ import annotations

from providers.core.capabilities import StillCapabilities

RATIOS = ("16:9", "9:16", "1:1", "4:3", "21:9")

STILL_CAPABILITIES: dict[str, StillCapabilities] = {
    c.slug: c
    for c in (
        StillCapabilities(
            slug="previz-still",
            name="Previz still",
            provider="previz",
            api_model="previz-still",
            aspect_ratios=RATIOS,
            resolutions=("720p",),
        ),
        StillCapabilities(
            slug="nano-banana-pro",
            name="Nano Banana Pro",
            provider="google-veo",
            api_model="gemini-3-pro-image",
            aspect_ratios=RATIOS,
            resolutions=("1K", "2K", "4K"),
            max_references=6,
        ),
        StillCapabilities(
            slug="seedream-4.5",
            name="Seedream 4.5",
            provider="seedance",
            api_model="seedream-4-5-251128",
            aspect_ratios=RATIOS,
            resolutions=("2K", "4K"),
            max_references=10,
        ),
        StillCapabilities(
            slug="runway-gen4-image",
            name="Runway Gen-4 Image",
            provider="runway",
            api_model="gen4_image",
            aspect_ratios=RATIOS,
            resolutions=("720p", "1080p"),
            max_references=3,
        ),
        StillCapabilities(
            slug="higgsfield-soul",
            name="Higgsfield Soul",
            provider="higgsfield",
            api_model="soul",
            aspect_ratios=RATIOS,
            resolutions=("720p", "1080p"),
        ),
    )
}


def is_still_model(slug: str) -> bool:
    return slug in STILL_CAPABILITIES
