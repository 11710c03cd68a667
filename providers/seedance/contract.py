"""Seedance 1.5 Pro on BytePlus ModelArk (docs/providers.md §4): one async task per take.

POST /contents/generations/tasks with a `content` array (the prompt as a text item, images as
image_url items with a role) and the generation parameters as top-level JSON fields — the style
providers.md §4.3 shows for 1.5 pro (the older `--rs 720p --dur 5` prompt flags are not used, so
the prompt stays exactly what the filmmaker approved). GET /contents/generations/tasks/{id}
polls; DELETE cancels a task that is still queued. ModelArk takes no idempotency key or external
id, so a create is never retried: an unclear answer is UnknownOutcome ("needs check").
"""

from __future__ import annotations

import base64
import mimetypes
from decimal import Decimal
from typing import Any

import httpx

from providers.core.base import (
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    State,
    Submitted,
    UnknownOutcome,
)
from providers.core.prices import PER_MILLION_TOKENS
from providers.seedance.capabilities import MODELS as _MODELS
from providers.seedance.prices import RATE_CARDS

MODELS = {caps.slug: caps for caps in _MODELS}
TASKS_PATH = "/contents/generations/tasks"

# Draft then final (§4.3) [V-mirror: Volcengine's create-task page, docs/82379/1520757; V-SDK:
# byteplus-python-sdk-v2 3.0.63 `draft` and CreateTaskContentDraftTaskParam]. A draft renders
# at 480p ("other resolutions are an error"), with no last frame returned and no flex tier.
DRAFT_RESOLUTION = "480p"
DRAFT_REFUSES = ("return_last_frame", "service_tier")
# A final reuses these from its draft ("the platform reuses model, content.text,
# content.image_url, generate_audio, seed, ratio, duration, camera_fixed"); it may still set
# the rest (resolution, watermark, callback_url, return_last_frame, ...).
FROM_DRAFT = ("generate_audio", "seed", "ratio", "duration", "camera_fixed")

# Our InputImage roles -> ModelArk content roles (§4.3).
ROLES = {
    "first_frame": "first_frame",
    "last_frame": "last_frame",
    "reference": "reference_image",
    "reference_image": "reference_image",
}

# Every documented status (§4.4: SDK docstring + `expired` from 3P mirrors).
STATES = {
    "queued": State.QUEUED,
    "running": State.RUNNING,
    "succeeded": State.SUCCEEDED,
    "failed": State.FAILED,
    "cancelled": State.CANCELED,
    "expired": State.FAILED,
}
POLL_AFTER = {State.QUEUED: 10.0, State.RUNNING: 5.0}  # a 5 s clip takes about a minute
MODERATION_MARK = "SensitiveContentDetected"  # §4.5: every moderation code contains it
# 403 AccountOverdueError & co. are about money, not the key (§4.5 error table).
BILLING_CODES = {"AccountOverdueError", "OperationDenied.ServiceOverdue", "SetLimitExceeded"}


# --- pure functions ---------------------------------------------------------------------------
def image_data_uri(path: str) -> str:
    """ModelArk takes an https URL or a data URI (§4.3, data URIs per 3P); ours are local files."""
    mime = mimetypes.guess_type(path)[0] or "image/png"
    with open(path, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{mime};base64,{encoded}"


def build_submit(
    request: GenerationRequest, *, callback_url: str = ""
) -> tuple[str, dict[str, Any]]:
    """The create call: (path, JSON body). request.params already carry the API's field names.
    `options["draft"]` makes the cheap 480p draft; `continues` of kind "final_from_draft" makes
    the final from that draft, sending neither the prompt nor the images again."""
    params = dict(request.params)
    model = params.pop("model", "") or MODELS[request.model].api_model
    continues = request.continues
    if continues is not None and continues.kind == "final_from_draft":
        return TASKS_PATH, _final_body(model, params, continues.remote_id, callback_url)
    if request.options.get("draft"):
        if not MODELS[request.model].draft_mode:
            raise Rejected(f"{MODELS[request.model].name} has no draft mode.")
        for name in DRAFT_REFUSES:
            params.pop(name, None)
        params["resolution"] = DRAFT_RESOLUTION
        params["draft"] = True
    content: list[dict[str, Any]] = []
    if request.prompt.strip():
        content.append({"type": "text", "text": request.prompt})
    for image in request.images:
        role = ROLES.get(image.role)
        if role is None:
            raise ProviderError(f"Seedance has no image role for “{image.role}”.")
        content.append(
            {"type": "image_url", "image_url": {"url": image_data_uri(image.path)}, "role": role}
        )
    body: dict[str, Any] = {"model": model, "content": content, **params}
    # A watermark would spoil every take for editing; the API's own default is not documented.
    body.setdefault("watermark", False)
    if callback_url:
        body["callback_url"] = callback_url  # [3P] a nudge only: polling stays the backstop
    return TASKS_PATH, body


def _final_body(
    model: str, params: dict[str, Any], draft_id: str, callback_url: str
) -> dict[str, Any]:
    """The final made from draft task `draft_id`: only what the draft does not fix."""
    if not draft_id:
        raise Rejected("Seedance needs the draft task's id to make the final from it.")
    kept = {k: v for k, v in params.items() if k not in FROM_DRAFT and k != "draft"}
    body: dict[str, Any] = {
        "model": model,
        "content": [{"type": "draft_task", "draft_task": {"id": draft_id}}],
        **kept,
    }
    body.setdefault("watermark", False)
    if callback_url:
        body["callback_url"] = callback_url
    return body


def parse_submit(payload: dict[str, Any]) -> Submitted:
    task_id = payload.get("id")
    if not isinstance(task_id, str) or not task_id:
        # The POST was accepted (2xx) but we cannot tell which task it made.
        raise UnknownOutcome(
            f"Seedance accepted the request but sent no task id: {payload!r}"[:300]
        )
    return Submitted(remote_id=task_id, raw_status="queued")


def token_cost(model: str, tokens: int, generate_audio: Any) -> Decimal | None:
    """USD for `tokens` at the rate card of `model` (an API model id), or None when unpriced.

    The rates are §4.6's [3P] per-million-token prices (seedance/prices.py); 1.5 pro costs
    twice as much with audio, so without the task's `generate_audio` echo we cannot price it.
    """
    if not isinstance(generate_audio, bool):
        return None
    slugs = {caps.slug for caps in MODELS.values() if caps.api_model == model}
    for rate in RATE_CARDS:
        if (
            rate.model in slugs
            and rate.unit == PER_MILLION_TOKENS
            and rate.audio
            in (
                None,
                generate_audio,
            )
        ):
            return Decimal(tokens) * rate.price / Decimal(1_000_000)
    return None


def _error_text(payload: dict[str, Any]) -> tuple[str, str]:
    error = payload.get("error") or {}
    if not isinstance(error, dict):
        return "", str(error)
    return str(error.get("code") or ""), str(error.get("message") or "")


def parse_status(payload: dict[str, Any]) -> Progress:
    """The task object (§4.4) -> Progress. An unknown status is an error, never "queued"."""
    raw_status = payload.get("status")
    state = STATES.get(raw_status) if isinstance(raw_status, str) else None
    if state is None:
        raise ProviderError(
            f"Seedance reported an unknown task status {raw_status!r}.", raw=payload
        )
    common: dict[str, Any] = {"raw_status": raw_status, "raw": payload}
    if state in POLL_AFTER:
        return Progress(state, poll_after=POLL_AFTER[state], **common)
    code, message = _error_text(payload)
    if state is State.SUCCEEDED:
        url = (payload.get("content") or {}).get("video_url")
        usage = payload.get("usage") or {}
        tokens = usage.get("completion_tokens")
        cost = None
        if isinstance(tokens, int):  # the billed amount (§4.6); tokens also stay in raw
            cost = token_cost(str(payload.get("model", "")), tokens, payload.get("generate_audio"))
        if not url:
            # Billed all the same: the studio records it as a result lost, at its cost.
            error = "Seedance finished with no video."
            return Progress(State.SUCCEEDED, error=error, cost=cost, percent=100, **common)
        return Progress(State.SUCCEEDED, result_url=url, cost=cost, percent=100, **common)
    if state is State.CANCELED:
        return Progress(State.CANCELED, error="The task was cancelled.", **common)
    if raw_status == "expired":
        text = "The task expired before Seedance ran it (execution_expires_after passed)."
        return Progress(State.FAILED, error=text, **common)
    detail = f"{message} ({code})" if code and message else message or code or "no reason given"
    if MODERATION_MARK in code:  # §7.8: a failed task whose code is a moderation code
        return Progress(
            State.REJECTED, error=f"Seedance's safety filter refused it: {detail}", **common
        )
    return Progress(State.FAILED, error=f"Seedance failed: {detail}", **common)


def describe_error(response: httpx.Response) -> str:
    """ModelArk errors: {"error": {"code", "message", "param", "type"}} (§4.5)."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and (error.get("message") or error.get("code")):
        code = error.get("code") or error.get("type") or ""
        return f"{error.get('message') or code} ({code}, HTTP {response.status_code})"
    return f"HTTP {response.status_code}"
