"""Kling 2.6 and 3.0 on the Kling AI developer API (docs/providers.md section 3).

Contract in brief: Kling 3.0 requests carry the account's static API key as a bearer token;
older models carry a freshly minted HS256 JWT (iss = access key) [3P, §3.1]; create
is POST /v1/videos/text2video or /v1/videos/image2video; the task is read back at the same
resource, /v1/videos/<kind>/<task_id>. Every answer is a `{code, message, request_id, data}`
envelope, and `code != 0` is an error even on HTTP 200. Statuses are submitted, processing,
succeed (sic), failed. There is no cancel endpoint and nothing to re-sign: result URLs live 30
days. Most of section 3 is tagged [V-mirror] (a verbatim copy of Kling's docs, not Kling's own
host); the places that rest on [I]/[3P] say so below.

`remote_id` is "<kind>/<task_id>" (e.g. "image2video/8604...") because the status URL depends on
which endpoint accepted the task, and the pipeline stores only the id.
"""

from __future__ import annotations

import base64
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jwt

from providers.core.base import (
    AuthFailed,
    GenerationRequest,
    ModelRetired,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Submitted,
    Transient,
    UnknownOutcome,
)

TOKEN_TTL = 1800  # seconds, as the docs' example
TOKEN_SKEW = 5  # nbf = now - 5 absorbs clock skew (401/1003 otherwise)

TEXT2VIDEO = "text2video"
IMAGE2VIDEO = "image2video"
MOTION_CONTROL = "motion-control"  # motion.py; read back at the same resource
KINDS = (TEXT2VIDEO, IMAGE2VIDEO, MOTION_CONTROL)

# camera_control per the capability map (3.5): text2video kling-v1 std 5 s, image2video
# kling-v1-5 pro 5 s ("simple" only). No v2.x model lists it, so Kling 2.6 never sends it.
CAMERA_CONTROL_SUPPORT = {
    (TEXT2VIDEO, "kling-v1", "std"),
    (IMAGE2VIDEO, "kling-v1-5", "pro"),
}

STATES = {
    "submitted": State.QUEUED,
    "processing": State.RUNNING,
    "succeed": State.SUCCEEDED,
    "failed": State.FAILED,
}
# Kling reports moderation as `failed` with the reason in task_status_msg ("such as triggering
# the content risk control of the platform"). The exact wording is not documented: [I].
MODERATION_WORDS = ("risk control", "content security", "sensitive", "moderation", "violat")

AUTH_CODES = {1000, 1001, 1002, 1003, 1004, 1100, 1103, 1304}
# 1203 "the requested resource does not exist (e.g. model)"; 1103 "no permission to access the
# requested resource (e.g. API/model)" when its message names a model [V-mirror code table].
MODEL_GONE_CODES = {1203}
QUOTA_CODES = {1101, 1102}  # in arrears (postpaid); resource pack depleted or expired (prepaid)
BUSY_CODES = {1302, 1303}  # rate too high; concurrency over the resource-pack limit
REJECT_CODES = {1200, 1201, 1202, 1300, 1301}
MIN_BUSY_WAIT = 1.0  # the docs: exponential backoff, initial delay >= 1 s


# --- auth -----------------------------------------------------------------------------------
API_KEY, JWT = "api_key", "jwt"
# Kling 3.0 models take the static API key; the AK/SK JWT stays for older ones [3P: the
# reference's §9 citing kling.ai/document-api commonInfo; vercel/ai @ai-sdk/klingai 4.0.16,
# 2026-07-28, "Kling AI now issues a single API key ... the legacy accessKey / secretKey pair
# keeps working"]. Which models each key serves is not stated by Kling itself: [I].
API_KEY_MODEL_PREFIXES = ("kling-v3", "kling-3")


def auth_kind(model_name: str) -> str:
    """Which key `model_name` (Kling's id, e.g. "kling-v3") is sent with."""
    return API_KEY if model_name.startswith(API_KEY_MODEL_PREFIXES) else JWT


def mint_token(access_key: str, secret_key: str, *, now: float | None = None) -> str:
    """The per-request API token of the docs' "API Authentication" example."""
    issued = int(time.time() if now is None else now)
    payload = {"iss": access_key, "exp": issued + TOKEN_TTL, "nbf": issued - TOKEN_SKEW}
    return jwt.encode(
        payload, secret_key, algorithm="HS256", headers={"alg": "HS256", "typ": "JWT"}
    )


# --- errors ---------------------------------------------------------------------------------
def describe(payload: Any, status: int | None = None) -> str:
    """Kling's own words: `message` plus the service code, which the docs key everything on."""
    if not isinstance(payload, dict):
        return f"HTTP {status}" if status else "no details"
    message = str(payload.get("message") or "no message")
    where = f"code {payload.get('code')}"
    if status:
        where += f", HTTP {status}"
    return f"{message} ({where})"


def error_for_code(
    payload: dict[str, Any],
    *,
    status: int = 200,
    after_submit: bool,
    retry_after: float | None = None,
) -> ProviderError | None:
    """The typed error for a Kling service code; None when the code is 0 (success)."""
    code = payload.get("code")
    if code == 0:
        return None
    message = f"Kling: {describe(payload, status if status != 200 else None)}"
    if code in MODEL_GONE_CODES or (code == 1103 and "model" in message.lower()):
        return ModelRetired(
            f"{message}. Kling says this model does not exist or this account may not use it: "
            "nothing was made or charged; choose another model.",
            raw=payload,
        )
    if code in AUTH_CODES:
        return AuthFailed(message, raw=payload)
    if code in QUOTA_CODES:
        return QuotaExceeded(message, raw=payload)
    if code in BUSY_CODES:
        # Refused before any task existed, so even the paid POST may be sent again later.
        return Transient(message, raw=payload, retry_after=max(retry_after or 0, MIN_BUSY_WAIT))
    if code in REJECT_CODES:
        return Rejected(message, raw=payload)
    if code == 5001:  # maintenance (503): the request was not taken
        return Transient(message, raw=payload, retry_after=retry_after)
    if (isinstance(code, int) and code >= 5000) or status >= 500:
        # 5000 internal error / 5002 backlog timeout: a create may or may not have gone through.
        if after_submit:
            return UnknownOutcome(message, raw=payload)
        return Transient(message, raw=payload, retry_after=retry_after)
    if after_submit:
        # An envelope we cannot classify on a create: we cannot say whether a task exists.
        return UnknownOutcome(message, raw=payload)
    return ProviderError(message, raw=payload)


# --- request --------------------------------------------------------------------------------
def image_value(path: str) -> str:
    """A URL as is, else the file as raw base64 (Kling refuses a `data:` prefix)."""
    if path.startswith(("https://", "http://")):
        return path
    return base64.b64encode(Path(path).read_bytes()).decode("ascii")


def build_submit(request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    """(path, JSON body) for the create call. Pure apart from reading the image files."""
    body: dict[str, Any] = {"prompt": request.prompt, **request.params}
    for image in request.images:
        if image.role == "first_frame":
            body["image"] = image_value(image.path)
        elif image.role == "last_frame":
            body["image_tail"] = image_value(image.path)
        else:
            # element_list/reference images are another feature Kling 2.6 i2v does not have;
            # refusing beats sending a shot without the reference the filmmaker chose.
            raise Rejected(f"Kling takes no {image.role} image on {body.get('model_name')}.")
    kind = IMAGE2VIDEO if ("image" in body or "image_tail" in body) else TEXT2VIDEO
    if kind == IMAGE2VIDEO:
        # image2video has no aspect_ratio field: the clip follows the image (compile notes it).
        body.pop("aspect_ratio", None)
    if "duration" in body:
        body["duration"] = str(body["duration"])  # Kling's duration is a string enum
    camera = body.get("camera_control")
    if camera is not None:
        mode = body.get("mode", "std")
        if (kind, body.get("model_name", "kling-v1"), mode) not in CAMERA_CONTROL_SUPPORT:
            raise Rejected(
                f"Kling {body.get('model_name')} {mode} {kind} takes no camera_control; "
                "describe the move in the prompt instead."
            )
    callback = request.options.get("callback_url")
    if callback:
        body["callback_url"] = callback
    # Our request key (a random UUID per take): unique per account on Kling's side, so a repeat
    # create is refused, and the task can be found by it if the create's answer was lost.
    if request.request_key:
        body["external_task_id"] = request.request_key
    return f"/v1/videos/{kind}", body


def parse_submit(payload: dict[str, Any], kind: str) -> Submitted:
    error = error_for_code(payload, after_submit=True)
    if error is not None:
        raise error
    data = payload.get("data")
    task_id = data.get("task_id") if isinstance(data, dict) else None
    if not task_id:
        raise UnknownOutcome(f"Kling accepted the request but sent no task id: {payload!r}"[:300])
    return Submitted(remote_id=f"{kind}/{task_id}", raw_status=str(data.get("task_status", "")))


# --- status ---------------------------------------------------------------------------------
def units_charged(data: dict[str, Any]) -> Decimal | None:
    """`final_unit_deduction`: resource-pack units actually charged (a string)."""
    value = data.get("final_unit_deduction")
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def parse_status(payload: dict[str, Any], *, usd_per_unit: Decimal | None = None) -> Progress:
    """Progress from a query answer (or a callback body, which is the bare task object)."""
    error = error_for_code(payload, after_submit=False) if "code" in payload else None
    if error is not None:
        raise error
    data = payload.get("data", payload)
    if not isinstance(data, dict):
        raise ProviderError("Kling answered a status query without a task.", raw=payload)
    raw_status = str(data.get("task_status", ""))
    state = STATES.get(raw_status)
    if state is None:
        raise ProviderError(f"Kling reported an unknown task status {raw_status!r}.", raw=payload)
    units = units_charged(data)
    cost = units * usd_per_unit if units is not None and usd_per_unit is not None else None
    common: dict[str, Any] = {"raw_status": raw_status, "cost": cost, "raw": payload}
    if state == State.QUEUED:
        return Progress(state, poll_after=15.0, **common)
    if state == State.RUNNING:
        return Progress(state, poll_after=10.0, **common)  # Kling reports no percentage
    message = str(data.get("task_status_msg") or "")
    if state == State.FAILED:
        if any(word in message.lower() for word in MODERATION_WORDS):
            return Progress(State.REJECTED, error=f"Kling refused it: {message}", **common)
        return Progress(state, error=f"Kling: {message or 'the task failed'}", **common)
    videos = (data.get("task_result") or {}).get("videos") or []
    url = videos[0].get("url") if videos and isinstance(videos[0], dict) else None
    if not url:
        # Not a documented outcome. Kling charged for it all the same, so it is a success the
        # studio records as a result lost (at its cost), not a free failure.
        return Progress(state, error="Kling reported success but sent no video.", **common)
    return Progress(state, percent=100, result_url=url, poll_after=0.0, **common)


def is_task_not_found(error: ProviderError) -> bool:
    """Kling's answer to a query for a task it does not have: HTTP 400, code 1201, "Task not
    found" (seen in a live probe of the query [3P]; the docs list 1201 as a bad parameter)."""
    raw = error.raw if isinstance(error.raw, dict) else {}
    return raw.get("code") == 1201 and "not found" in str(raw.get("message", "")).lower()


def parse_lookup(payload: dict[str, Any], kind: str) -> Submitted:
    """The task a query by external_task_id returned, as if its create had answered."""
    error = error_for_code(payload, after_submit=False)
    if error is not None:
        raise error
    data = payload.get("data")
    task_id = data.get("task_id") if isinstance(data, dict) else None
    if not task_id:
        raise ProviderError(f"Kling answered a lookup without a task id: {payload!r}"[:300])
    return Submitted(remote_id=f"{kind}/{task_id}", raw_status=str(data.get("task_status", "")))


def remote_ids_from_callback(payload: dict[str, Any]) -> set[str]:
    """The remote ids a callback body may refer to. The body names no endpoint, so both."""
    task_id = payload.get("task_id") if isinstance(payload, dict) else None
    return {f"{kind}/{task_id}" for kind in KINDS} if task_id else set()


def split_remote_id(remote_id: str) -> tuple[str, str]:
    kind, _, task_id = remote_id.partition("/")
    if kind not in KINDS or not task_id:
        raise ProviderError(f"Not a Kling task id: {remote_id!r}")
    return kind, task_id
