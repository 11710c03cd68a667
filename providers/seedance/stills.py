"""Seedream 4.5 for hero frames: BytePlus ModelArk `POST /images/generations`, synchronous.

The API has no ratio field: `size` is "2K"/"4K" (the model picks the shape) or "WxH", so the
shot's ratio is sent as the pixel size ModelArk recommends for it (docs/providers.md §13).
"""

from __future__ import annotations

import base64
import uuid
from decimal import Decimal
from typing import Any

from providers.core.base import (
    GenerationRequest,
    Progress,
    Rejected,
    State,
    Submitted,
    UnknownOutcome,
)
from providers.core.capabilities import StillCapabilities
from providers.core.prices import ANY, PER_IMAGE, Rate
from providers.seedance.contract import MODERATION_MARK, image_data_uri

STILL_MODELS: tuple[StillCapabilities, ...] = (
    StillCapabilities(
        slug="seedream-4.5",
        name="Seedream 4.5",
        provider="seedance",
        api_model="seedream-4-5-251128",  # `doubao-seedream-4-5-251128` on Volcengine [3P]
        aspect_ratios=("16:9", "9:16", "1:1", "4:3", "21:9"),
        resolutions=("2K", "4K"),
        max_references=14,  # `image` takes 1-14 references [3P: Replicate, Runware schemas]
    ),
)
SLUGS = frozenset(c.slug for c in STILL_MODELS)
STILL_RATE_CARDS: tuple[Rate, ...] = (
    Rate(
        "seedream-4.5",
        ANY,
        None,
        PER_IMAGE,
        Decimal("0.04"),
        source="byteplus.com/en/product/Seedream: $0.04 per image at 2K and 4K alike [3P: "
        "integrators' rate cards of 2026-04..2026-10; one lists BytePlus at $0.045]",
    ),
)

# Recommended sizes per ratio [3P: ModelArk size table as copied by several integrations,
# 2026]; every one lies inside 4.5's pixel range 2560x1440 .. 4096x4096 [3P].
SIZES: dict[str, dict[str, str]] = {
    "2K": {
        "1:1": "2048x2048",
        "4:3": "2304x1728",
        "16:9": "2848x1600",
        "9:16": "1600x2848",
        "21:9": "3136x1344",
    },
    "4K": {
        "1:1": "4096x4096",
        "4:3": "4704x3520",
        "16:9": "5504x3040",
        "9:16": "3040x5504",
        "21:9": "6240x2656",
    },
}
MIN_PIXELS = 2560 * 1440
MAX_PIXELS = 4096 * 4096


def still_params(caps: StillCapabilities, aspect_ratio: str, resolution: str) -> dict[str, Any]:
    return {
        "size": SIZES[resolution][aspect_ratio],
        # One picture per take: "disabled" stops the model turning a prompt into a set.
        "sequential_image_generation": "disabled",
        # A hero frame is a working image the video model animates: no visible AI mark.
        "watermark": False,
        "response_format": "url",
    }


# --- the call: `POST /images/generations`, answered with the image's link --------------------
IMAGES_PATH = "/images/generations"


def build_still(request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    caps = next(c for c in STILL_MODELS if c.slug == request.model)
    body: dict[str, Any] = {"model": caps.api_model, "prompt": request.prompt}
    refs = [image_data_uri(i.path) for i in request.images[: caps.max_references]]
    if refs:
        body["image"] = refs[0] if len(refs) == 1 else refs  # a string or an array [3P]
    body.update({k: v for k, v in request.params.items() if k in STILL_FIELDS})
    return IMAGES_PATH, body


STILL_FIELDS = ("size", "sequential_image_generation", "watermark", "response_format")


def parse_still(payload: dict[str, Any], request: GenerationRequest) -> Submitted:
    """`data[0]` is the still (a `url`, or `b64_json`) or that image's own `error`."""
    # The answer carries no id of its own [3P]; our request key names the take at ModelArk.
    remote_id = f"{payload.get('model') or 'seedream'}:{request.request_key or uuid.uuid4().hex}"
    items = payload.get("data") if isinstance(payload.get("data"), list) else []
    item = items[0] if items and isinstance(items[0], dict) else {}
    usage = payload.get("usage") if isinstance(payload.get("usage"), dict) else {}
    made = usage.get("generated_images", len([i for i in items if "error" not in i]))
    cost = image_cost(request.model, made if isinstance(made, int) else 0)
    error = item.get("error") if isinstance(item.get("error"), dict) else None
    if error:
        code = str(error.get("code") or "")
        words = f"Seedream: {error.get('message') or code} ({code})"
        if MODERATION_MARK in code:
            raise Rejected(words, raw=payload)
        failed = Progress(State.FAILED, code or "error", error=words, cost=cost, raw=payload)
        return Submitted(remote_id=remote_id, raw_status=code, cost=cost, finished=failed)
    url, data = item.get("url"), item.get("b64_json")
    if not url and not data:
        raise UnknownOutcome("Seedream answered without an image or an error.", raw=payload)
    done = Progress(
        State.SUCCEEDED,
        "succeeded",
        percent=100,
        result_url=str(url) if url else None,
        inline_result=base64.b64decode(data) if data and not url else None,
        cost=cost,
        poll_after=0,
        raw={k: v for k, v in payload.items() if k != "data"} | {"size": item.get("size")},
    )
    return Submitted(remote_id=remote_id, raw_status="succeeded", cost=cost, finished=done)


def submit_still(adapter: Any, request: GenerationRequest) -> Submitted:
    """For SeedanceProvider: its `_call`, so billing and moderation errors read as Seedance's."""
    adapter.require_keys()
    path, body = build_still(request)
    response = adapter._call("POST", path, idempotent=False, json=body)
    return parse_still(adapter.http.json(response, after_submit=True), request)


def image_cost(slug: str, images: int) -> Decimal | None:
    """ModelArk reports images made, not money: the rate card turns one into the other."""
    rate = next((r.price for r in STILL_RATE_CARDS if r.model == slug), None)
    return rate * images if rate is not None and images else None
