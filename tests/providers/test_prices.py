from decimal import Decimal

import pytest

from providers.core.prices import Unpriced
from providers.prices import RATE_CARDS, quote
from providers.seedance.prices import seedance_tokens
from tests.providers.conftest import make_spec


def test_veo_is_priced_per_second_by_resolution():
    assert quote("veo-3.1", make_spec(duration_seconds=8)).amount == Decimal("3.2000")
    assert quote("veo-3.1", make_spec(duration_seconds=8, resolution="4k")).amount == Decimal(
        "4.8000"
    )
    # Fast and Lite: the 2026-12-01 cards (providers.md §9), 720p unless said.
    assert quote("veo-3.1-fast", make_spec(duration_seconds=6)).amount == Decimal("0.6000")
    assert quote(
        "veo-3.1-fast", make_spec(duration_seconds=8, resolution="1080p")
    ).amount == Decimal("0.9600")
    assert quote(
        "veo-3.1-lite", make_spec(duration_seconds=8, resolution="1080p")
    ).amount == Decimal("0.6400")


def test_runway_credits_become_dollars():
    assert quote("runway-gen4-turbo", make_spec(duration_seconds=10)).amount == Decimal("0.5000")
    assert quote("runway-gen4.5", make_spec(duration_seconds=5)).amount == Decimal("0.6000")


def test_seedance_is_priced_by_tokens_with_and_without_audio():
    spec = make_spec(duration_seconds=5, resolution="720p")
    assert seedance_tokens(spec) == Decimal(108000)  # providers.md: about 108,000
    assert quote("seedance-1.5-pro", spec).amount == Decimal("0.1296")
    with_audio = make_spec(duration_seconds=5, resolution="1080p", audio=True)
    assert seedance_tokens(with_audio) == Decimal(243000)
    assert quote("seedance-1.5-pro", with_audio).amount == Decimal("0.5832")


def test_previz_is_free_by_an_explicit_rate():
    assert quote("previz", make_spec()).amount == Decimal("0")


@pytest.mark.parametrize("model", ["kling-2.6-pro", "higgsfield-dop-turbo"])
def test_a_model_without_a_rate_is_refused_not_priced_at_zero(model):
    with pytest.raises(Unpriced) as error:
        quote(model, make_spec(duration_seconds=5, resolution="1080p"))
    assert "cannot be sent. Staff can add a rate card in the admin." in str(error.value)


def test_every_seeded_rate_names_its_source():
    assert all(rate.source for rate in RATE_CARDS)
