"""Prices as data, with where each came from; pricing a request is a pure function.

A request with no matching rate raises `Unpriced`: the studio never guesses a price of $0.
Rates are seeded into the studio's RateCard table, where staff can correct or add them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from providers.capabilities import CAPABILITIES
from providers.spec import ShotSpec

PER_SECOND, PER_MILLION_TOKENS, PER_UNIT = "second", "million_tokens", "unit"
ANY = "*"
CENT = Decimal("0.0001")
SEEDED = datetime.date(2026, 11, 1)
PROVIDERS_MD = "shared/reference/providers.md"


@dataclass(frozen=True)
class Rate:
    model: str
    resolution: str  # ANY matches every resolution
    audio: bool | None  # None matches with and without audio
    unit: str
    price: Decimal  # per unit, in `currency`
    currency: str = "USD"
    effective: datetime.date = SEEDED
    source: str = ""


@dataclass(frozen=True)
class Quote:
    amount: Decimal
    currency: str
    unit: str
    quantity: Decimal
    rate: Rate

    @property
    def explanation(self) -> str:
        unit = {PER_SECOND: "s", PER_MILLION_TOKENS: "M tokens", PER_UNIT: "units"}[self.unit]
        return f"{self.quantity.normalize():f} {unit} × {self.rate.price} {self.currency}"


class Unpriced(Exception):
    """No rate card matches: the request must not be sent until one is added."""


def _veo(model: str, standard: str, four_k: str) -> list[Rate]:
    source = f"{PROVIDERS_MD} §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)"
    return [
        Rate(model, "720p", None, PER_SECOND, Decimal(standard), source=source),
        Rate(model, "1080p", None, PER_SECOND, Decimal(standard), source=source),
        Rate(model, "4k", None, PER_SECOND, Decimal(four_k), source=source),
    ]


# Runway bills API credits at $0.01 each (§2.8); Seedance bills tokens (§4.6). Kling (units per
# task) and Higgsfield (credits) publish no amounts we could verify, so they are left unpriced
# on purpose: staff add a rate card once they know their account's price.
RATE_CARDS: tuple[Rate, ...] = (
    Rate("previz", ANY, None, PER_SECOND, Decimal("0"), source="local renderer: free"),
    *_veo("veo-3.1", "0.40", "0.60"),
    *_veo("veo-3.1-fast", "0.15", "0.35"),
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
    Rate(
        "seedance-1.5-pro",
        ANY,
        True,
        PER_MILLION_TOKENS,
        Decimal("2.4"),
        source=f"{PROVIDERS_MD} §4.6: $2.4 per 1M tokens with audio",
    ),
    Rate(
        "seedance-1.5-pro",
        ANY,
        False,
        PER_MILLION_TOKENS,
        Decimal("1.2"),
        source=f"{PROVIDERS_MD} §4.6: $1.2 per 1M tokens without audio",
    ),
)

# Output pixels per resolution's short side, for token pricing (16:9 long side = 16/9 × short).
SHORT_SIDE = {"480p": 480, "720p": 720, "1080p": 1080, "4k": 2160, "preview": 360}
FPS = 24


def seedance_tokens(spec: ShotSpec) -> Decimal:
    """tokens ≈ width × height × fps × seconds / 1024 (§4.6)."""
    short = SHORT_SIDE.get(spec.resolution, 720)
    across, down = (int(part) for part in (spec.aspect_ratio or "16:9").split(":"))
    long_side = round(short * max(across, down) / min(across, down))
    pixels = short * long_side
    return Decimal(pixels * FPS * spec.duration_seconds) / Decimal(1024)


def matching_rate(model: str, spec: ShotSpec, rates: tuple[Rate, ...] | list[Rate]) -> Rate:
    audio = bool(spec.audio and CAPABILITIES[model].native_audio)
    candidates = [
        rate
        for rate in rates
        if rate.model == model
        and rate.resolution in (ANY, spec.resolution)
        and rate.audio in (None, audio)
    ]
    if not candidates:
        name = CAPABILITIES[model].name if model in CAPABILITIES else model
        raise Unpriced(
            f"There is no price for {name} at {spec.resolution}"
            f"{' with audio' if audio else ''} yet, so it cannot be sent. "
            "Staff can add a rate card in the admin."
        )
    # The most specific card wins, then the newest.
    return max(
        candidates,
        key=lambda r: (r.resolution != ANY, r.audio is not None, r.effective),
    )


def quote(model: str, spec: ShotSpec, rates: tuple[Rate, ...] | list[Rate] = RATE_CARDS) -> Quote:
    """The worst-case price of generating `spec` on `model`."""
    rate = matching_rate(model, spec, rates)
    if rate.unit == PER_SECOND:
        quantity = Decimal(spec.duration_seconds)
    elif rate.unit == PER_MILLION_TOKENS:
        quantity = seedance_tokens(spec) / Decimal(1_000_000)
    else:
        quantity = Decimal(1)
    amount = (quantity * rate.price).quantize(CENT, rounding=ROUND_HALF_UP)
    return Quote(
        amount=amount, currency=rate.currency, unit=rate.unit, quantity=quantity, rate=rate
    )
