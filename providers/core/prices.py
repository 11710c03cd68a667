"""The shape of a price: a rate card with where it came from, and a quote made from one.

Each provider package lists its own rate cards (providers/<provider>/prices.py);
providers/prices.py gathers them and prices a request. A request with no matching rate raises
`Unpriced`: the studio never guesses a price of $0. Rates are seeded into the studio's RateCard
table, where staff can correct or add them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

PER_SECOND, PER_MILLION_TOKENS, PER_UNIT = "second", "million_tokens", "unit"
PER_IMAGE = "image"  # a still (hero-frame candidate): one image per take
ANY = "*"
CENT = Decimal("0.0001")
SEEDED = datetime.date(2026, 11, 1)  # the first cards (migration 0002)
# The cards as checked against the providers in December 2026 (migration 0011); a card in code
# is effective from here unless it says otherwise.
REVIEWED = datetime.date(2026, 12, 1)
PROVIDERS_MD = "docs/providers.md"


@dataclass(frozen=True)
class Rate:
    model: str
    resolution: str  # ANY matches every resolution
    audio: bool | None  # None matches with and without audio
    unit: str
    price: Decimal  # per unit, in `currency`
    currency: str = "USD"
    effective: datetime.date = REVIEWED
    source: str = ""


@dataclass(frozen=True)
class Quote:
    amount: Decimal
    currency: str
    unit: str
    quantity: Decimal
    rate: Rate


class Unpriced(Exception):
    """No rate card matches: the request must not be sent until one is added."""
