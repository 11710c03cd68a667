"""Every video model the studio knows, gathered from the provider packages, by catalog slug.

What one model accepts is written down in its own package (providers/kling/capabilities.py,
...); the shape of an entry is providers/core/capabilities.py. Order follows catalog.VIDEO_MODELS.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities, UnknownModelError, look_up
from providers.higgsfield.capabilities import MODELS as HIGGSFIELD
from providers.kling.capabilities import MODELS as KLING
from providers.previz.capabilities import MODELS as PREVIZ
from providers.runway.capabilities import MODELS as RUNWAY
from providers.seedance.capabilities import MODELS as SEEDANCE
from providers.veo.capabilities import MODELS as VEO

__all__ = ["CAPABILITIES", "UnknownModelError", "get_capabilities", "resolve"]

CAPABILITIES: dict[str, Capabilities] = {
    c.slug: c for c in (*PREVIZ, *VEO, *KLING, *RUNWAY, *SEEDANCE, *HIGGSFIELD)
}


def get_capabilities(slug: str) -> Capabilities:
    return look_up(CAPABILITIES, slug, kind="video", listed_in="catalog.VIDEO_MODELS")


def resolve(model: str | Capabilities) -> Capabilities:
    """Accept a slug or a Capabilities (tests and future variants pass the latter)."""
    return model if isinstance(model, Capabilities) else get_capabilities(model)
