"""Kling's rate cards: Kling 3.0 per second in USD; Kling 2.6 left unpriced on purpose.

Kling 3.0 bills the account in USD per generated second, by resolution (std 720p, pro 1080p)
and sound (docs/providers.md §3.11, §9). Kling 2.6 bills prepaid units whose dollar price
depends on the pack bought, and no dated source of Kling's own gives its amounts: it stays
unpriced (prices.Unpriced) until staff add a rate card with their account's price.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from providers.core.prices import PER_SECOND, PROVIDERS_MD, Rate

EFFECTIVE = datetime.date(2026, 12, 1)
# [3P]: the reference's §9 (checked 2026-12-01), citing Kling's billing page
# (kling.ai/document-api, "Billing Info"); not read on Kling's own host.
SOURCE = f"{PROVIDERS_MD} §3.11 [3P citing Kling's billing page, checked 2026-12-01]"
KLING_V3 = (
    # (slug, resolution, audio, USD per second)
    ("kling-3.0-std", "720p", False, "0.084"),
    ("kling-3.0-std", "720p", True, "0.126"),
    ("kling-3.0-pro", "1080p", False, "0.112"),
    ("kling-3.0-pro", "1080p", True, "0.168"),
)

RATE_CARDS: tuple[Rate, ...] = tuple(
    Rate(
        slug,
        resolution,
        audio,
        PER_SECOND,
        Decimal(price),
        effective=EFFECTIVE,
        source=f"{SOURCE}: ${price}/s at {resolution}{' with audio' if audio else ' silent'}",
    )
    for slug, resolution, audio, price in KLING_V3
)
