"""Per-image prices: every paid still is priced at each size it makes, or refused as Unpriced;
video quoting is untouched."""

from decimal import Decimal

import pytest

from providers.core.prices import PER_IMAGE, Unpriced
from providers.design.stills import compile_still
from providers.prices import quote_still
from providers.stills import STILL_CAPABILITIES, STILL_RATE_CARDS
from tests.providers.conftest import make_spec

EXPECTED = {
    ("previz-still", "720p"): "0",
    ("nano-banana-pro", "1K"): "0.134",
    ("nano-banana-pro", "2K"): "0.134",
    ("nano-banana-pro", "4K"): "0.24",
    ("seedream-4.5", "2K"): "0.04",
    ("seedream-4.5", "4K"): "0.04",
    ("runway-gen4-image", "720p"): "0.05",
    ("runway-gen4-image", "1080p"): "0.08",
}


@pytest.mark.parametrize(("model", "resolution"), sorted(EXPECTED))
def test_each_size_has_its_price(model, resolution):
    quote = quote_still(model, resolution)
    assert quote.amount == Decimal(EXPECTED[model, resolution])
    assert (quote.unit, quote.quantity, quote.currency) == (PER_IMAGE, 1, "USD")


def test_every_card_says_where_it_came_from_and_names_a_size_the_model_makes():
    for rate in STILL_RATE_CARDS:
        assert rate.source
        sizes = STILL_CAPABILITIES[rate.model].resolutions
        assert rate.resolution == "*" or rate.resolution in sizes


def test_soul_has_no_dated_price_so_it_is_unpriced():
    with pytest.raises(Unpriced, match="Higgsfield Soul"):
        quote_still("higgsfield-soul", "1080p")


def test_the_compiled_resolution_is_what_gets_priced():
    compiled = compile_still(make_spec(resolution="4k"), "nano-banana-pro")
    assert quote_still("nano-banana-pro", compiled.resolution).amount == Decimal("0.24")


def test_a_staff_card_for_soul_prices_it():
    from providers.core.prices import ANY, Rate

    card = Rate("higgsfield-soul", ANY, None, PER_IMAGE, Decimal("0.03"), source="staff")
    assert quote_still("higgsfield-soul", "720p", [card]).amount == Decimal("0.03")
