"""Runway's rate cards: API credits at $0.01 each (docs/providers.md §2.8)."""

from __future__ import annotations

from decimal import Decimal

from providers.core.prices import ANY, PER_SECOND, PROVIDERS_MD, Rate

RATE_CARDS: tuple[Rate, ...] = (
    Rate(
        "runway-gen4.5",
        ANY,
        None,
        PER_SECOND,
        Decimal("0.12"),
        source=f"{PROVIDERS_MD} §2.8: 12 credits/s × $0.01",
    ),
    Rate(
        "runway-gen4-turbo",
        ANY,
        None,
        PER_SECOND,
        Decimal("0.05"),
        source=f"{PROVIDERS_MD} §2.8: 5 credits/s × $0.01",
    ),
)
