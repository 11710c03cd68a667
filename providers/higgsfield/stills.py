"""Higgsfield Soul for hero frames: the v2 queue application `higgsfield-ai/soul/standard`.

Submitted and followed exactly like a v2 video request; the result is `images[0].url`.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

from providers.core.base import GenerationRequest, ModelRetired, Progress, State, Submitted
from providers.core.capabilities import StillCapabilities
from providers.core.prices import Rate
from providers.higgsfield.contract import parse_status, parse_submit

APPLICATION = "higgsfield-ai/soul/standard"  # [V: docs.higgsfield.ai/docs/models/soul-standard]

STILL_MODELS: tuple[StillCapabilities, ...] = (
    StillCapabilities(
        slug="higgsfield-soul",
        name="Higgsfield Soul",
        provider="higgsfield",
        api_model=APPLICATION,
        # "seven aspect ratios" [V: docs page]; the list 9:16 16:9 4:3 3:4 1:1 2:3 3:2 is [3P:
        # docs.argil.ai Soul 2 / Soul Cinema pages]. No 21:9.
        aspect_ratios=("16:9", "9:16", "1:1", "4:3"),
        resolutions=("720p", "1080p"),
        catalogue_id=APPLICATION,  # an account may not have Soul: its catalogue says
    ),
)
SLUGS = frozenset(c.slug for c in STILL_MODELS)
# Soul is priced in Higgsfield credits whose dollar value no dated source we found states
# [unverified]: left unpriced on purpose, as Higgsfield's video models are; staff add a card.
STILL_RATE_CARDS: tuple[Rate, ...] = ()
SOUL_RATIOS = ("9:16", "16:9", "4:3", "3:4", "1:1", "2:3", "3:2")


def still_params(caps: StillCapabilities, aspect_ratio: str, resolution: str) -> dict[str, Any]:
    return {
        "aspect_ratio": aspect_ratio,
        "resolution": resolution,
        # Our prompt is already written out; a rewrite would lose the shot's framing words.
        "enhance_prompt": False,
        "batch_size": 1,
    }


# --- the call: POST /{application}, then GET /requests/{id}/status ---------------------------
def build_still(request: GenerationRequest, *, webhook_url: str = "") -> tuple[str, dict]:
    body: dict[str, Any] = {"prompt": request.prompt}
    body.update({k: v for k, v in request.params.items() if k in STILL_FIELDS})
    query = f"?hf_webhook={quote(webhook_url, safe='')}" if webhook_url else ""
    return f"/{APPLICATION}{query}", body


STILL_FIELDS = ("aspect_ratio", "resolution", "enhance_prompt", "batch_size", "seed")


def submit_still(adapter: Any, request: GenerationRequest) -> Submitted:
    """For HiggsfieldProvider, through its HTTP client: 404/423 (Soul not on this account)
    come back as ModelRetired from its error reading, named here for the filmmaker."""
    webhook = str(request.options.get("webhook_url") or adapter.config.webhook_url or "")
    path, body = build_still(request, webhook_url=webhook)
    try:
        response = adapter.http.request("POST", path, idempotent=False, json=body)
    except ModelRetired as error:
        raise ModelRetired(f"Higgsfield Soul: {error.message}", raw=error.raw) from error
    return parse_submit(adapter.http.json(response, after_submit=True))


def parse_result(payload: dict[str, Any]) -> Progress:
    """A v2 request's status: a finished image request has `images[0].url` and no video."""
    progress = parse_status(payload)
    images = payload.get("images")
    if progress.state is State.SUCCEEDED and not progress.result_url and images:
        first = images[0] if isinstance(images[0], dict) else {}
        if first.get("url"):
            return dataclasses.replace(
                progress, result_url=str(first["url"]), error="", percent=100
            )
    return progress
