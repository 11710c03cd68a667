"""Every image model the studio can make hero-frame candidates with, by catalog slug.

Stills are takes of their own kind: the same pipeline (held budget, at-most-once send, ledger,
camera report) with an image for a result. Each provider's adapter serves its still models
beside its video models, on the same account and keys; what each accepts, and what it costs,
is written down in its own package (providers/<provider>/stills.py) and gathered here, in
catalog.STILL_MODELS order. Adapters never import this module: each checks its own package.
"""

from __future__ import annotations

from decimal import Decimal

from providers.core.capabilities import StillCapabilities, look_up
from providers.core.prices import ANY, PER_IMAGE, Rate
from providers.higgsfield import stills as higgsfield
from providers.runway import stills as runway
from providers.seedance import stills as seedance
from providers.veo import stills as veo

RATIOS = ("16:9", "9:16", "1:1", "4:3", "21:9")

PREVIZ = StillCapabilities(
    slug="previz-still",
    name="Previz still",
    provider="previz",
    api_model="previz-still",
    aspect_ratios=RATIOS,
    resolutions=("720p",),
)
PROVIDERS = (veo, seedance, runway, higgsfield)

STILL_CAPABILITIES: dict[str, StillCapabilities] = {
    c.slug: c for c in (PREVIZ, *(c for p in PROVIDERS for c in p.STILL_MODELS))
}
STILL_RATE_CARDS: tuple[Rate, ...] = (
    Rate(
        "previz-still",
        ANY,
        None,
        PER_IMAGE,
        Decimal("0"),
        source="local renderer: free (no provider bill; 2026-12)",
    ),
    *(rate for p in PROVIDERS for rate in p.STILL_RATE_CARDS),
)


def is_still_model(slug: str) -> bool:
    return slug in STILL_CAPABILITIES


def get_still(slug: str) -> StillCapabilities:
    return look_up(STILL_CAPABILITIES, slug, kind="still", listed_in="catalog.STILL_MODELS")
