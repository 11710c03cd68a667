"""Veo's rate cards: per second, by resolution (docs/providers.md §1.6)."""

from __future__ import annotations

from decimal import Decimal

from providers.core.prices import PER_SECOND, PROVIDERS_MD, Rate


def _veo(model: str, standard: str, four_k: str) -> list[Rate]:
    source = f"{PROVIDERS_MD} §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)"
    return [
        Rate(model, "720p", None, PER_SECOND, Decimal(standard), source=source),
        Rate(model, "1080p", None, PER_SECOND, Decimal(standard), source=source),
        Rate(model, "4k", None, PER_SECOND, Decimal(four_k), source=source),
    ]


RATE_CARDS: tuple[Rate, ...] = (
    *_veo("veo-3.1", "0.40", "0.60"),
    *_veo("veo-3.1-fast", "0.15", "0.35"),
)
