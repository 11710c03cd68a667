"""Every provider's rate cards together, and pricing a request: a pure function.

Each provider package lists its own cards (providers/<provider>/prices.py); the shape of a card
and of a quote is providers/core/prices.py. A request with no matching rate raises `Unpriced`:
the studio never guesses a price of $0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from providers.capabilities import CAPABILITIES
from providers.core.prices import (
    ANY,
    CENT,
    PER_IMAGE,
    PER_MILLION_TOKENS,
    PER_SECOND,
    Quote,
    Rate,
    Unpriced,
)
from providers.core.spec import ShotSpec
from providers.higgsfield.prices import RATE_CARDS as HIGGSFIELD
from providers.kling.prices import RATE_CARDS as KLING
from providers.previz.prices import RATE_CARDS as PREVIZ
from providers.runway.prices import RATE_CARDS as RUNWAY
from providers.seedance.prices import RATE_CARDS as SEEDANCE
from providers.seedance.prices import seedance_tokens
from providers.stills import STILL_CAPABILITIES, STILL_RATE_CARDS
from providers.veo.prices import RATE_CARDS as VEO

# Runway bills API credits at $0.01 each (§2.8); Seedance bills tokens (§4.6); Kling 3.0 bills
# USD per second (§3.11). Kling 2.6 (units per task) and Higgsfield (credits) publish no amounts
# we could verify, so they are left unpriced on purpose: staff add a rate card once they know
# their account's price.
RATE_CARDS: tuple[Rate, ...] = (*PREVIZ, *VEO, *KLING, *RUNWAY, *SEEDANCE, *HIGGSFIELD)


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


def quote_still(
    model: str, resolution: str, rates: tuple[Rate, ...] | list[Rate] = STILL_RATE_CARDS
) -> Quote:
    """The price of one hero-frame candidate on still model `model` at `resolution` (the
    model's own word, design.stills.CompiledStill.resolution). Unpriced when no card matches."""
    candidates = [
        r
        for r in rates
        if r.model == model and r.unit == PER_IMAGE and r.resolution in (ANY, resolution)
    ]
    if not candidates:
        name = STILL_CAPABILITIES[model].name if model in STILL_CAPABILITIES else model
        raise Unpriced(
            f"There is no price for {name} at {resolution} yet, so it cannot be sent. "
            "Staff can add a rate card in the admin."
        )
    rate = max(candidates, key=lambda r: (r.resolution != ANY, r.effective))
    amount = rate.price.quantize(CENT, rounding=ROUND_HALF_UP)
    return Quote(
        amount=amount, currency=rate.currency, unit=PER_IMAGE, quantity=Decimal(1), rate=rate
    )
