"""Nano Banana Pro (Gemini 3 Pro Image) for hero frames, on the Gemini API and Vertex AI.

One synchronous `generateContent` call answers with the image bytes inline (docs/providers.md
section 13). The model speaks the same ratio words as the shot, so they pass through as-is.
"""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import re
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
from providers.core.prices import PER_IMAGE, Rate

STILL_MODELS: tuple[StillCapabilities, ...] = (
    StillCapabilities(
        slug="nano-banana-pro",
        name="Nano Banana Pro",
        provider="google-veo",
        # GA id since 2026-05-28 [V: Gemini deprecations page, via reference §9]; the
        # `-preview` id it replaced is refused by the simulator, as by a retired model.
        api_model="gemini-3-pro-image",
        # imageConfig.aspectRatio also takes 2:3 3:2 3:4 [V-SDK: google-genai 3.4 ImageConfig].
        aspect_ratios=("16:9", "9:16", "1:1", "4:3", "21:9"),
        resolutions=("1K", "2K", "4K"),  # imageConfig.imageSize, default 1K [V-SDK]
        max_references=14,  # up to 14 input images [3P: several integrations, 2026]
    ),
)
SLUGS = frozenset(c.slug for c in STILL_MODELS)

GEMINI_PRICING = "ai.google.dev/gemini-api/docs/pricing"
# $120 per million output tokens: 1120 tokens a 1K/2K image, 2000 a 4K one; each reference
# image adds about $0.0011 of input [3P: inference.sh's Vertex listing of 2026-05-29, quoting
# Google's pricing page]. Held at the image price; references are within the rounding.
STILL_RATE_CARDS: tuple[Rate, ...] = tuple(
    Rate(
        "nano-banana-pro",
        size,
        None,
        PER_IMAGE,
        Decimal(price),
        source=f"{GEMINI_PRICING} [3P, 2026-05-29]",
    )
    for size, price in (("1K", "0.134"), ("2K", "0.134"), ("4K", "0.24"))
)


def still_params(caps: StillCapabilities, aspect_ratio: str, resolution: str) -> dict[str, Any]:
    """`generationConfig` fields in the API's own casing (the REST body is camelCase)."""
    return {
        "responseModalities": ["IMAGE"],
        "imageConfig": {"aspectRatio": aspect_ratio, "imageSize": resolution},
    }


# --- the call: one `generateContent`, answered with the image (docs/providers.md §13) ---------
GEMINI_PATH = "/v1beta/models/{model}:generateContent"
VERTEX_PATH = (
    "/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent"
)
# finishReason words that mean "the content was refused", not a fault [V-SDK: FinishReason in
# google-genai 3.4 types]. Any promptFeedback.blockReason is a refusal; anything else without
# an image is a failure.
REFUSALS = {
    "SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT", "BLOCKLIST",
    "SPII", "RECITATION", "IMAGE_RECITATION",
}  # fmt: skip
GENERATION_CONFIG = ("responseModalities", "imageConfig")
VERTEX_IMAGE_LOCATION = "global"


def build_still(
    request: GenerationRequest, *, vertex: bool = False, project: str = "", location: str = ""
) -> tuple[str, dict[str, Any]]:
    caps = next(c for c in STILL_MODELS if c.slug == request.model)
    parts: list[dict[str, Any]] = [{"text": request.prompt}]
    for image in request.images[: caps.max_references]:
        with open(image.path, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
        mime = mimetypes.guess_type(image.path)[0] or "image/png"
        parts.append({"inlineData": {"mimeType": mime, "data": data}})
    config = {k: v for k, v in request.params.items() if k in GENERATION_CONFIG}
    body = {"contents": [{"role": "user", "parts": parts}], "generationConfig": config}
    if vertex:
        path = VERTEX_PATH.format(project=project, location=location, model=caps.api_model)
    else:
        path = GEMINI_PATH.format(model=caps.api_model)
    return path, body


def parse_still(payload: dict[str, Any], request: GenerationRequest) -> Submitted:
    """The finished still, or Rejected in Google's words when the prompt or image was blocked."""
    remote_id = str(payload.get("responseId") or request.request_key or uuid.uuid4().hex)
    feedback = payload.get("promptFeedback") or {}
    if feedback.get("blockReason"):
        reason = str(feedback["blockReason"])
        words = feedback.get("blockReasonMessage") or "the prompt was blocked"
        raise Rejected(f"Nano Banana Pro: {words} ({reason}).", raw=_without_data(payload))
    candidates = payload.get("candidates") or [{}]
    candidate = candidates[0] if isinstance(candidates[0], dict) else {}
    reason = str(candidate.get("finishReason") or "")
    image, text = _image_and_text(candidate)
    raw = _without_data(payload)
    if image is not None:
        status = reason or "STOP"
        done = Progress(State.SUCCEEDED, status, percent=100, raw=raw, inline_result=image)
        return Submitted(remote_id=remote_id, raw_status=done.raw_status, finished=done)
    words = candidate.get("finishMessage") or text or "no image came back"
    if reason in REFUSALS:
        raise Rejected(f"Nano Banana Pro refused the image: {words} ({reason}).", raw=raw)
    failed = Progress(
        State.FAILED, reason or "NO_IMAGE", error=f"Nano Banana Pro made no image: {words}", raw=raw
    )
    return Submitted(remote_id=remote_id, raw_status=failed.raw_status, finished=failed)


def _image_and_text(candidate: dict[str, Any]) -> tuple[bytes | None, str]:
    parts = (candidate.get("content") or {}).get("parts") or []
    text = " ".join(str(p["text"]) for p in parts if isinstance(p, dict) and p.get("text"))
    for part in parts:
        inline = part.get("inlineData") if isinstance(part, dict) else None
        # A thinking model may send interim "thought" images before the answer [3P]; skip them.
        if isinstance(inline, dict) and inline.get("data") and not part.get("thought"):
            try:
                return base64.b64decode(inline["data"], validate=True), text
            except (binascii.Error, ValueError) as error:
                raise UnknownOutcome("Nano Banana Pro sent image data we cannot read.") from error
    return None, text


def _without_data(payload: dict[str, Any]) -> dict[str, Any]:
    """The answer as kept for the camera report: megabytes of base64 left out."""
    text = json.dumps(payload)
    return json.loads(re.sub(r'"data": "[^"]{64,}"', '"data": "<image bytes>"', text))


def submit_still(adapter: Any, request: GenerationRequest) -> Submitted:
    """For GeminiVeoProvider and VertexVeoProvider: the same `_call`, so errors read as Veo's."""
    vertex = adapter.platform != "gemini"
    # Gemini 3 Pro Image is served on Vertex's global endpoint [V: Vertex "locations" page,
    # read 2026-12-06], whatever region the account's Veo calls use; `image_location` changes it.
    location = str(adapter.config.option("image_location", VERTEX_IMAGE_LOCATION))
    project = getattr(adapter, "project", "")
    path, body = build_still(request, vertex=vertex, project=project, location=location)
    if vertex and not adapter.config.base_url:  # a simulator's base URL takes every path
        path = vertex_url(path, location, adapter.location)
    payload = adapter._call("POST", path, json=body, idempotent=False, after_submit=True)
    return parse_still(payload, request)


def vertex_url(path: str, location: str, veo_location: str) -> str:
    """The still's endpoint when its location is not the one the adapter's base URL is for:
    an absolute URL, which httpx sends as is."""
    if location == veo_location:
        return path
    regional = f"{location}-aiplatform.googleapis.com"
    host = "aiplatform.googleapis.com" if location == "global" else regional
    return f"https://{host}{path}"
