"""Higgsfield DoP image-to-video through the platform's v2 queue API (docs/providers.md 5.2, 5.3).

Contract, as published (providers.md 5; [V-SDK] higgsfield-client / higgsfield-js):
- Auth: `Authorization: Key {KEY_ID}:{KEY_SECRET}` (v2). The v1 `hf-api-key`/`hf-secret` headers
  are deprecated and not used.
- Submit: `POST /{application}` with the arguments as the JSON body, here the DoP application
  `/v1/image2video/dop`; the v2 client sends the arguments flat (the v1 client wrapped them in
  `params`). Optional `?hf_webhook=<url>`. Answer: `{request_id, status_url, cancel_url, ...}`.
- Status and result: `GET /requests/{id}/status` -> `status` in queued | in_progress | completed |
  failed | nsfw | canceled, and `video.url` when completed. Cancel: `POST /requests/{id}/cancel`,
  queued only.
- Motion presets are referenced by id: `GET /v1/motions` lists `{id, name, ...}`; our formula
  names presets, so names are resolved to ids here (cached per adapter).
- The hero frame is required and the API takes image URLs only (providers.md 7.3), so it is
  uploaded first via `POST /files/generate-upload-url` + `PUT` and sent as its `public_url`.
  A `data:` URI is not documented as accepted anywhere, so it is never sent.
- Errors: 400 bad input, 401 bad credentials, 403 NOT ENOUGH CREDITS (not an auth failure),
  422 validation with a FastAPI `detail` array. The message is read from
  detail / details / message / error, like the SDK does.

Unverified here, followed anyway ([I]): that `/v1/motions` and `/files/generate-upload-url`
accept the v2 `Key` header; the failure fields of a `failed` status object; the cancel answer.
The API reports no cost (credits), so `cost` stays None and the studio prices it from its table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from providers.core.base import (
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    State,
    Submitted,
    Transient,
)

DOP_APPLICATION = "/v1/image2video/dop"
STATES: dict[str, State] = {
    "queued": State.QUEUED,
    "in_progress": State.RUNNING,
    "completed": State.SUCCEEDED,
    "failed": State.FAILED,
    "nsfw": State.REJECTED,  # the safety filter; credits are refunded [V: JS README]
    "canceled": State.CANCELED,
}
POLL_AFTER = {State.QUEUED: 5.0, State.RUNNING: 3.0}  # DoP clips take about a minute


# --- pure functions ------------------------------------------------------------------------
def describe_error(response: httpx.Response) -> str:
    """The provider's own words, read the way the SDK's `extract_error_message` does."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()[:200]
        return f"{text or 'no details'} (HTTP {response.status_code})"
    message: Any = None
    if isinstance(body, dict):
        for key in ("detail", "details", "message", "error"):
            if body.get(key):
                message = body[key]
                break
    if isinstance(message, list):  # FastAPI validation: [{"loc": [...], "msg": "..."}]
        parts = []
        for item in message:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
                parts.append(f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg")))
            else:
                parts.append(str(item))
        message = "; ".join(parts)
    elif isinstance(message, dict):
        message = message.get("message") or message.get("msg") or str(message)
    return f"{message or 'no details'} (HTTP {response.status_code})"


def build_submit(
    request: GenerationRequest,
    *,
    image_url: str,
    motion_ids: Mapping[str, str],
    webhook_url: str = "",
) -> tuple[str, dict[str, Any]]:
    """(path, JSON body) of the paid POST. Pure: the image is already uploaded and the motion
    names already resolved (`motion_ids`: preset name -> id), both by `HiggsfieldProvider`.
    """
    params = dict(request.params)
    body: dict[str, Any] = {"model": params.pop("model")}
    if request.prompt:
        body["prompt"] = request.prompt
    body["input_images"] = [{"type": "image_url", "image_url": image_url}]
    motions = []
    for motion in params.pop("motions", None) or []:
        name = motion.get("name", "")
        motion_id = motion.get("id") or motion_ids.get(name)
        if not motion_id:
            raise Rejected(f"Higgsfield has no motion preset called {name!r}.")
        motions.append({"id": motion_id, "strength": motion.get("strength", 1.0)})
    if motions:
        body["motions"] = motions
    body.update(params)  # seed and anything else the formula set, already in API names
    path = DOP_APPLICATION
    if webhook_url:
        path += "?hf_webhook=" + quote(webhook_url, safe="")
    return path, body


def parse_submit(payload: dict[str, Any]) -> Submitted:
    request_id = payload.get("request_id")
    if not isinstance(request_id, str) or not request_id:
        raise ProviderError("Higgsfield accepted the request without a request_id.", raw=payload)
    return Submitted(remote_id=request_id, raw_status=str(payload.get("status") or "queued"))


def parse_status(payload: dict[str, Any]) -> Progress:
    raw_status = payload.get("status")
    state = STATES.get(raw_status) if isinstance(raw_status, str) else None
    if state is None:
        raise ProviderError(f"Higgsfield sent an unknown status {raw_status!r}.", raw=payload)
    common = {"raw_status": raw_status, "raw": payload, "poll_after": POLL_AFTER.get(state, 0.0)}
    if state is State.SUCCEEDED:
        url = (payload.get("video") or {}).get("url")
        if not url:
            # Billed all the same: the studio records it as a result lost, at its cost.
            return Progress(
                state, error="Higgsfield finished the request without a video.", **common
            )
        return Progress(state, percent=100, result_url=url, cost=_cost(payload), **common)
    if state is State.FAILED:
        return Progress(state, error=_failure(payload), **common)
    if state is State.REJECTED:
        return Progress(
            state,
            error="Higgsfield's safety filter flagged this request as NSFW (credits refunded).",
            **common,
        )
    if state is State.CANCELED:
        return Progress(state, error="Canceled at Higgsfield.", **common)
    return Progress(state, **common)


def parse_motions(payload: Any) -> dict[str, str]:
    """GET /v1/motions -> {name: id}; the answer is a bare JSON array [V-SDK JS getMotions]."""
    if not isinstance(payload, list):
        raise Transient(f"Higgsfield sent an unexpected motions list: {payload!r}"[:300])
    return {
        item["name"]: item["id"]
        for item in payload
        if isinstance(item, dict) and item.get("name") and item.get("id")
    }


def _failure(payload: dict[str, Any]) -> str:
    # The failed object's message field is not documented [I]; take the SDK's error keys.
    for key in ("error", "detail", "details", "message", "reason"):
        value = payload.get(key)
        if isinstance(value, dict):
            value = value.get("message") or value.get("msg")
        if value:
            return f"Higgsfield failed the request: {value}"
    return "Higgsfield failed the request (no reason given; credits refunded)."


def _cost(payload: dict[str, Any]) -> Decimal | None:
    # No cost field is documented; read one only if the platform ever sends it.
    value = payload.get("cost")
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None
