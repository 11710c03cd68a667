"""Runway Gen-4 Image for hero frames: `POST /v1/text_to_image`, a task polled like a video.

`ratio` is a pixel string from a fixed list [V: runwayml SDK 5.24 text_to_image_create_params],
so each ratio word maps to the list entry of its resolution.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from providers.core.base import GenerationRequest
from providers.core.capabilities import StillCapabilities
from providers.core.prices import PER_IMAGE, Rate
from providers.runway.contract import image_uri

STILL_MODELS: tuple[StillCapabilities, ...] = (
    StillCapabilities(
        slug="runway-gen4-image",
        name="Runway Gen-4 Image",
        provider="runway",
        api_model="gen4_image",
        aspect_ratios=("16:9", "9:16", "1:1", "4:3", "21:9"),
        resolutions=("720p", "1080p"),
        max_references=3,  # referenceImages: up to three [V: SDK]
        prompt_max_chars=1000,  # UTF-16 code units [V: SDK]
    ),
)
SLUGS = frozenset(c.slug for c in STILL_MODELS)
# 5 credits a 720p image, 8 a 1080p one, at $0.01 a credit [3P: inference.sh's Runway listing
# of 2026-08-04; the credit price is §2.8's]. The task also reports its cost in credits.
STILL_RATE_CARDS: tuple[Rate, ...] = tuple(
    Rate(
        "runway-gen4-image",
        size,
        None,
        PER_IMAGE,
        Decimal(price),
        source=f"docs.dev.runwayml.com/guides/pricing: {credits} credits × $0.01 [3P, 2026-08]",
    )
    for size, credits, price in (("720p", 5, "0.05"), ("1080p", 8, "0.08"))
)

RATIOS: dict[str, dict[str, str]] = {
    "720p": {
        "16:9": "1280:720",
        "9:16": "720:1280",
        "1:1": "720:720",
        "4:3": "960:720",
        "21:9": "1680:720",
    },
    "1080p": {
        "16:9": "1920:1080",
        "9:16": "1080:1920",
        "1:1": "1080:1080",
        "4:3": "1440:1080",
        "21:9": "2112:912",  # 2.32:1, the list's nearest to 21:9 at this size [I]
    },
}
ALLOWED_RATIOS = frozenset(r for by_ratio in RATIOS.values() for r in by_ratio.values()) | {
    "1024:1024",
    "1168:880",
    "1360:768",
    "1080:1440",
    "1808:768",
}


def still_params(caps: StillCapabilities, aspect_ratio: str, resolution: str) -> dict[str, Any]:
    return {"model": caps.api_model, "ratio": RATIOS[resolution][aspect_ratio]}


# --- the call: `POST /v1/text_to_image` -> {"id"}, then the ordinary task poll ----------------
TEXT_TO_IMAGE = "/v1/text_to_image"


def build_still(request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    caps = next(c for c in STILL_MODELS if c.slug == request.model)
    body: dict[str, Any] = {
        "model": caps.api_model,
        "promptText": request.prompt,
        "ratio": request.params["ratio"],
    }
    refs = request.images[: caps.max_references]
    if refs:
        # A tag lets a prompt say @ref1; 3-16 letters/digits/underscores, starting with a
        # letter [V: SDK]. Our prompt speaks of "the reference images", so tags are plain.
        body["referenceImages"] = [
            {"uri": image_uri(image.path), "tag": f"ref{n}"} for n, image in enumerate(refs, 1)
        ]
    return TEXT_TO_IMAGE, body
