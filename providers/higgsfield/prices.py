"""Higgsfield's rate cards: none on purpose.

Higgsfield (credits) publishes no amounts we could verify, so its models are left unpriced:
the studio refuses to send them (prices.Unpriced) until staff add a rate card in the admin with
their account's own price.
"""

from __future__ import annotations

from providers.core.prices import Rate

RATE_CARDS: tuple[Rate, ...] = ()
