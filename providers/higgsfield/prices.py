"""Higgsfield's rate cards: none on purpose.

Higgsfield (credits) publishes no dated amounts we could verify (checked 2026-12-06; a
catalogue's `base_credits` is a unit count, and a USD-per-credit figure is only [3P]), so its
models, DoP and the hosted Veo/Kling/Seedance alike, are left unpriced:
the studio refuses to send them (prices.Unpriced) until staff add a rate card in the admin with
their account's own price.
"""

from __future__ import annotations

from providers.core.prices import Rate

RATE_CARDS: tuple[Rate, ...] = ()
