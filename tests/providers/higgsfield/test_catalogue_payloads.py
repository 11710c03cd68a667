"""parse_catalogue / parse_usage / build_catalogue_submit on recorded and inferred payloads."""

from decimal import Decimal

import pytest

from providers.core.base import Transient
from providers.higgsfield.catalogue import (
    build_catalogue_submit,
    parse_catalogue,
    parse_usage,
)
from tests.providers.conftest import generation_request

# Two rows as a project's live probe of GET /models recorded them [3P, 2026-08-01], with
# `operation_type` a string, as it was there (a 2026-10 probe saw a list).
PROBED = {
    "items": [
        {
            "slug": "higgsfield-ai/dop/turbo",
            "operation_type": "image2video",
            "output_type": "video",
            "base_credits": "6.50",
        },
        {"slug": "soul-id", "operation_type": "character", "output_type": "image"},
    ]
}


def test_parse_catalogue_reads_the_probed_shape():
    catalogue = parse_catalogue(PROBED)
    assert set(catalogue) == {"higgsfield-ai/dop/turbo", "soul-id"}
    turbo = catalogue["higgsfield-ai/dop/turbo"]
    assert turbo.operation_types == ("image2video",)
    assert turbo.base_credits == Decimal("6.50")
    assert turbo.application == "/higgsfield-ai/dop/turbo"
    assert catalogue["soul-id"].base_credits is None


def test_a_path_in_the_entry_wins_over_the_slug():
    payload = {"items": [{"slug": "kling3_0", "endpoint": "kling-video/v3.0/std/i2v"}]}
    assert parse_catalogue(payload)["kling3_0"].application == "/kling-video/v3.0/std/i2v"


@pytest.mark.parametrize("payload", [{"detail": "x"}, "html", None])
def test_an_unreadable_catalogue_is_an_error_not_an_empty_one(payload):
    with pytest.raises(Transient, match="model list we cannot read"):
        parse_catalogue(payload)


def test_parse_usage_totals_and_per_model():
    usage = parse_usage(
        {"items": [{"slug": "a", "estimated_cost_usd": "0.25"}, {"model": "a", "usd": 0.5}]}
    )
    assert usage.by_model == {"a": Decimal("0.75")}
    assert usage.total_usd == Decimal("0.75")  # no total given: the sum of the items


def test_parse_usage_without_a_figure_says_none_not_zero():
    assert parse_usage({"period": "2026-12"}).total_usd is None
    with pytest.raises(Transient):
        parse_usage([])


def test_build_catalogue_submit_is_the_minimal_body():
    request = generation_request("higgsfield-seedance-1.5", duration_seconds=5)
    path, body = build_catalogue_submit(
        request,
        application="/bytedance/seedance/v1.5/pro/image-to-video",
        image_url="https://cdn.higgsfield.ai/hero.png",
        webhook_url="https://studio.example/hooks/higgsfield/t/",
    )
    assert path == (
        "/bytedance/seedance/v1.5/pro/image-to-video"
        "?hf_webhook=https%3A%2F%2Fstudio.example%2Fhooks%2Fhiggsfield%2Ft%2F"
    )
    assert body == {
        "prompt": request.prompt,
        "image_url": "https://cdn.higgsfield.ai/hero.png",
        "duration": 5,
        "aspect_ratio": "16:9",
    }
    assert "canyon rim" in body["prompt"]  # the setting is in words: no preset carries it
