"""The rate cards the migrations leave are the ones the code knows, each with a dated source.

Migrations carry their own rows (they never import providers/), so this is what keeps the two
from drifting apart: a price changed in code without a migration fails here."""

from decimal import Decimal

import pytest

from projects.models import RateCard
from providers.prices import RATE_CARDS
from providers.stills import STILL_RATE_CARDS

pytestmark = pytest.mark.django_db


def newest_cards() -> dict[tuple, RateCard]:
    newest: dict[tuple, RateCard] = {}
    for card in RateCard.objects.order_by("effective", "pk"):
        newest[(card.model, card.resolution, card.audio, card.unit)] = card
    return newest


def test_the_newest_card_of_every_price_is_the_one_in_the_code():
    newest = newest_cards()
    code = {(r.model, r.resolution, r.audio, r.unit): r for r in (*RATE_CARDS, *STILL_RATE_CARDS)}
    assert set(code) <= set(newest)
    for key, rate in code.items():
        card = newest[key]
        assert (card.price, card.currency, card.effective, card.source) == (
            rate.price,
            rate.currency,
            rate.effective,
            rate.source,
        ), key


def test_every_card_in_force_names_a_source_dated_2026():
    undated = [key for key, card in newest_cards().items() if "2026" not in card.source]
    assert undated == []


def test_the_stale_veo_fast_card_is_superseded_not_rewritten():
    fast = RateCard.objects.filter(model="veo-3.1-fast", resolution="720p").order_by("effective")
    assert [(str(card.effective), card.price) for card in fast] == [
        ("2026-11-01", Decimal("0.15")),
        ("2026-12-01", Decimal("0.10")),
    ]
