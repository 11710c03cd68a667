"""Previz's rate card: the local renderer is free."""

from __future__ import annotations

from decimal import Decimal

from providers.core.prices import ANY, PER_SECOND, Rate

RATE_CARDS: tuple[Rate, ...] = (
    Rate(
        "previz",
        ANY,
        None,
        PER_SECOND,
        Decimal("0"),
        source="local renderer: free (no provider bill; 2026-12)",
    ),
)
