"""Runway's rate cards: API credits at $0.01 each (docs/providers.md §2.8).

Credits per second [V: runwayml sdk-python 5.13.0 api.md, 2026-07, per the reference's §9];
both model ids still in runwayml 5.24.0's create params, checked 2026-12-06 [V-SDK].
"""

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
        source=f"{PROVIDERS_MD} §2.8: 12 credits/s × $0.01 [V: runwayml SDK, 2026-07; 2026-12]",
    ),
    Rate(
        "runway-gen4-turbo",
        ANY,
        None,
        PER_SECOND,
        Decimal("0.05"),
        source=f"{PROVIDERS_MD} §2.8: 5 credits/s × $0.01 [V: runwayml SDK, 2026-07; 2026-12]",
    ),
)
