"""Runway Gen-4.5 / Gen-4 Turbo over the Runway API (docs/providers.md section 2).

Protocol: POST /v1/image_to_video or /v1/text_to_video returns {"id"}; GET /v1/tasks/{id} is
discriminated on `status`; DELETE /v1/tasks/{id} cancels a task that is still pending, throttled
or running, and *deletes* any other task with its output (so `cancel` checks first).
Runway has no idempotency key, external id or webhook: the take id stays on our side and
at-most-once submission rests on docs/decisions/004 alone.
"""

from __future__ import annotations

import base64
import mimetypes
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
    UnknownOutcome,
)

DATA_URI_LIMIT = 5 * 1024 * 1024  # providers.md 2.6: images as data URIs up to 5 MB
# The API asks for no more than one status check every 5 s; the SDK uses 6 +/- 1.5 s.
POLL_SECONDS = 6.0
THROTTLED_POLL_SECONDS = 10.0  # waiting for a concurrency slot: nothing will change sooner
IMAGE_ONLY_MODELS = {"gen4_turbo"}  # no text_to_video endpoint for these
# [3P] API credits cost $0.01 each (providers.md 2.8).
CREDIT_USD = Decimal("0.01")

STATES = {
    "PENDING": State.QUEUED,
    # Accepted, waiting for one of the account's concurrency slots: queued, not an error.
    "THROTTLED": State.QUEUED,
    "RUNNING": State.RUNNING,
    "SUCCEEDED": State.SUCCEEDED,
    "FAILED": State.FAILED,
    "CANCELLED": State.CANCELED,
}
# failureCode prefixes that mean the input or content was refused (docs: task failures):
# SAFETY.INPUT.* / SAFETY.OUTPUT.* are moderation; ASSET.INVALID is an unusable input.
# INTERNAL and INTERNAL.BAD_OUTPUT.* are Runway's own failures and stay FAILED (retryable).
REJECTING_FAILURES = ("SAFETY.", "ASSET.")


# --- pure build / parse ---------------------------------------------------------------------
def image_uri(path: str) -> str:
    """promptImage: an https or runway:// address as is, a local file as a data: URI."""
    if path.startswith(("https://", "runway://")):
        return path
    with open(path, "rb") as handle:
        data = handle.read()
    mime = _sniff_mime(data) or mimetypes.guess_type(path)[0] or "image/png"
    uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    if len(uri) > DATA_URI_LIMIT:
        # Refused here, before any money moves, rather than as a 400 from Runway.
        raise Rejected(
            f"Runway: the hero frame is {len(uri) // 1024} KB as a data URI; "
            f"Runway takes at most {DATA_URI_LIMIT // (1024 * 1024)} MB. Use a smaller image."
        )
    return uri


def _sniff_mime(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def build_submit(request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    """(path, JSON body) for the create call; params already carry model, ratio, duration, seed.

    Only the first frame is sent: gen4.5 and gen4_turbo take `position: "first"` only, and the
    compiler has already told the filmmaker that end frames and references are ignored.
    """
    body: dict[str, Any] = dict(request.params)
    model = body.get("model", "")
    if request.prompt:
        body["promptText"] = request.prompt
    first = next((image for image in request.images if image.role == "first_frame"), None)
    if first is not None:
        body["promptImage"] = image_uri(first.path)
        return "/v1/image_to_video", body
    if model in IMAGE_ONLY_MODELS:
        raise Rejected(f"Runway {model} makes video from an image only: add a hero frame.")
    return "/v1/text_to_video", body


def parse_submit(payload: dict[str, Any]) -> Submitted:
    task_id = payload.get("id")
    if not isinstance(task_id, str) or not task_id:
        # A 200 without an id: Runway may have taken (and charged for) the task.
        raise UnknownOutcome(f"Runway accepted the request but sent no task id: {payload!r}"[:300])
    return Submitted(remote_id=task_id)


def parse_status(payload: dict[str, Any]) -> Progress:
    status = payload.get("status")
    state = STATES.get(status) if isinstance(status, str) else None
    if state is None:
        raise ProviderError(f"Runway answered with an unknown task status {status!r}.", raw=payload)
    cost = _cost(payload)
    if status == "THROTTLED":
        return Progress(
            state, status, error="", poll_after=THROTTLED_POLL_SECONDS, cost=None, raw=payload
        )
    if status == "RUNNING":
        fraction = payload.get("progress")
        percent = None
        if isinstance(fraction, int | float):
            percent = max(0, min(100, round(fraction * 100)))
        return Progress(state, status, percent=percent, poll_after=POLL_SECONDS, raw=payload)
    if status == "SUCCEEDED":
        output = payload.get("output")
        if not output or not isinstance(output, list) or not isinstance(output[0], str):
            # Billed all the same: the studio records it as a result lost, at its cost.
            return Progress(
                State.SUCCEEDED,
                status,
                error="Runway reported success but returned no video.",
                cost=cost,
                poll_after=0,
                raw=payload,
            )
        return Progress(
            state, status, percent=100, result_url=output[0], cost=cost, poll_after=0, raw=payload
        )
    if status == "FAILED":
        code = str(payload.get("failureCode") or "")
        if code.startswith(REJECTING_FAILURES):
            state = State.REJECTED
        return Progress(
            state,
            status,
            error=_failure_message(payload, code),
            cost=cost,
            poll_after=0,
            raw=payload,
        )
    if status == "CANCELLED":
        return Progress(
            state, status, error="Canceled at Runway.", cost=cost, poll_after=0, raw=payload
        )
    return Progress(state, status, poll_after=POLL_SECONDS, raw=payload)  # PENDING


def _failure_message(payload: dict[str, Any], code: str) -> str:
    # Runway asks integrators not to show `failure` bare, so it comes with what it means for us.
    failure = str(payload.get("failure") or "no reason given")
    if code.startswith("SAFETY.INPUT"):
        lead = "Runway's safety filter refused the prompt or image"
    elif code.startswith("SAFETY.OUTPUT"):
        lead = "Runway's safety filter refused the generated video"
    elif code.startswith("ASSET."):
        lead = "Runway could not use the input image"
    elif code.startswith("INTERNAL.BAD_OUTPUT"):
        lead = "Runway discarded a low-quality result (trying again may work)"
    else:
        lead = "Runway failed to generate the video"
    return f"{lead}: {failure}" + (f" ({code})" if code else "")


def _cost(payload: dict[str, Any]) -> Decimal | None:
    """Final charge of a finished task, from `cost.credits` (runwayml SDK 5.x task shape).

    providers.md 2.4 predates this field; without it the caller prices from the rate table.
    `estimatedCost` on unfinished tasks is an estimate, so it is not reported as cost.
    """
    cost = payload.get("cost")
    credits = cost.get("credits") if isinstance(cost, dict) else None
    if isinstance(credits, int | float) and not isinstance(credits, bool):
        return Decimal(str(credits)) * CREDIT_USD
    return None


def describe_error(response: httpx.Response) -> str:
    """Runway errors are {"error": "...", "issues": [{"path": [...], "message"|"code"}]}.

    [V] the `error` member (docs errors page); [3P] the zod-style `issues` list.
    """
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}"
    message = str(body.get("error") or f"HTTP {response.status_code}")
    details = []
    for issue in body.get("issues") or []:
        if not isinstance(issue, dict):
            continue
        where = ".".join(str(part) for part in issue.get("path") or []) or "body"
        what = issue.get("message") or issue.get("code") or "invalid"
        details.append(f"{where}: {what}")
    if details:
        message += " (" + "; ".join(details) + ")"
    return f"{message} (HTTP {response.status_code})"


def is_out_of_credits(error: ProviderError) -> bool:
    # [3P] Runway answers 400 {"error": "You do not have enough credits to run this task."}.
    return "enough credits" in error.message.lower()


def task_path(remote_id: str) -> str:
    return f"/v1/tasks/{quote(remote_id, safe='')}"


def describe_organization(organization: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Words for GET /v1/organization [V-SDK: runwayml 5.24.0]: the balance in credits and
    dollars (§2.8: $0.01 a credit), the tier's monthly cap, and each of our models' limits.
    Also the model ids the tier lists."""
    balance = organization.get("creditBalance")
    tier = organization.get("tier") if isinstance(organization.get("tier"), dict) else {}
    limits = tier.get("models") if isinstance(tier.get("models"), dict) else {}
    parts = []
    if isinstance(balance, int):
        parts.append(f"{balance:,} credits left (about ${balance / 100:,.2f})")
    cap = tier.get("maxMonthlyCreditSpend")
    if isinstance(cap, int):
        parts.append(f"the tier allows buying up to {cap:,} credits a month")
    for model in ("gen4.5", "gen4_turbo"):
        limit = limits.get(model)
        if not isinstance(limit, dict):
            parts.append(f"{model} is not in this tier")
            continue
        at_once = limit.get("maxConcurrentGenerations")
        daily = limit.get("maxDailyGenerations")
        parts.append(
            f"{model}: {at_once if at_once is not None else 'unlimited'} at a time, "
            f"{daily if daily is not None else 'unlimited'} a day"
        )
    return "; ".join(parts) + ".", tuple(sorted(limits))
