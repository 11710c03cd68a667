"""Every video model the studio knows, gathered from the provider packages, by catalog slug.

What one model accepts is written down in its own package (providers/kling/capabilities.py,
...); the shape of an entry is providers/core/capabilities.py. Order follows catalog.VIDEO_MODELS.
"""

from __future__ import annotations

from providers.core.capabilities import Capabilities
from providers.higgsfield.capabilities import MODELS as HIGGSFIELD
from providers.kling.capabilities import MODELS as KLING
from providers.previz.capabilities import MODELS as PREVIZ
from providers.runway.capabilities import MODELS as RUNWAY
from providers.seedance.capabilities import MODELS as SEEDANCE
from providers.veo.capabilities import MODELS as VEO

CAPABILITIES: dict[str, Capabilities] = {
    c.slug: c for c in (*PREVIZ, *VEO, *KLING, *RUNWAY, *SEEDANCE, *HIGGSFIELD)
}


class UnknownModelError(KeyError):
    """A model slug that is not in catalog.VIDEO_MODELS."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def get_capabilities(slug: str) -> Capabilities:
    try:
        return CAPABILITIES[slug]
    except KeyError:
        known = ", ".join(CAPABILITIES)
        raise UnknownModelError(
            f"Unknown video model {slug!r}; known models (catalog.VIDEO_MODELS): {known}"
        ) from None


def resolve(model: str | Capabilities) -> Capabilities:
    """Accept a slug or a Capabilities (tests and future variants pass the latter)."""
    return model if isinstance(model, Capabilities) else get_capabilities(model)
