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
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from providers import http
from providers.base import (
    CancelPolicy,
    GenerationRequest,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Submitted,
    UnknownOutcome,
)

DEFAULT_BASE_URL = "https://api.dev.runwayml.com"
# Required on every request; still the official SDK's default in 2026 (providers.md 2.1).
API_VERSION = "2024-11-06"
ENV_VAR = "RUNWAY_API_KEY"
# [3P, no source names it; providers.md 2.4] Task outputs are signed CloudFront URLs (bucket
# runway-task-artifacts), as seen in many public integrations; the S3 name is the bucket itself.
DOWNLOAD_HOSTS = ("dnznrvs05pmza.cloudfront.net", "runway-task-artifacts.s3.amazonaws.com")
# Tier 1 allows 1-2 concurrent tasks per model; more only queue as THROTTLED (providers.md 2.7).
DEFAULT_MAX_CONCURRENT = 1
# [3P] API credits cost $0.01 each (providers.md 2.8).
CREDIT_USD = Decimal("0.01")
DATA_URI_LIMIT = 5 * 1024 * 1024  # providers.md 2.6: images as data URIs up to 5 MB
# The API asks for no more than one status check every 5 s; the SDK uses 6 +/- 1.5 s.
POLL_SECONDS = 6.0
THROTTLED_POLL_SECONDS = 10.0  # waiting for a concurrency slot: nothing will change sooner
IMAGE_ONLY_MODELS = {"gen4_turbo"}  # no text_to_video endpoint for these

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


# --- the adapter ----------------------------------------------------------------------------
class RunwayProvider:
    slug = "runway"
    # providers.md §2.2 [V-SDK]: DELETE /v1/tasks/{id} cancels PENDING, THROTTLED and RUNNING
    # tasks. §2.4 [V]: output URLs expire within 24-48 h; we count the low end.
    cancel_policy = CancelPolicy.ALWAYS
    result_ttl_seconds = 24 * 3600.0

    def __init__(
        self,
        api_key: str | None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        download_hosts: tuple[str, ...] = DOWNLOAD_HOSTS,
        simulator_origin: str = "",
        timeout: float = 30.0,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        api_version: str = API_VERSION,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.api_key = (api_key or "").strip()
        self.base_url = base_url
        self.download_hosts = download_hosts
        self.simulator_origin = simulator_origin
        self.max_concurrent = max_concurrent
        self.api_version = api_version
        self.transport = transport
        self.http = http.ProviderHTTP(
            provider="Runway",
            base_url=base_url,
            headers=self._headers,
            timeout=timeout,
            describe_error=describe_error,
            transport=transport,
            sleep=sleep,
        )

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.api_key}",
            "X-Runway-Version": self.api_version,
        }

    def availability(self) -> tuple[bool, str]:
        if not self.api_key:
            return False, f"No Runway API key: set {ENV_VAR} or enter a key in the studio."
        return True, ""

    def submit(self, request: GenerationRequest) -> Submitted:
        path, body = build_submit(request)
        try:
            response = self.http.request("POST", path, idempotent=False, json=body)
        except Rejected as error:
            if is_out_of_credits(error):
                raise QuotaExceeded(error.message, raw=error.raw) from error
            raise
        return parse_submit(self.http.json(response, after_submit=True))

    def poll(self, remote_id: str) -> Progress:
        response = self.http.request("GET", _task_path(remote_id), idempotent=True)
        return parse_status(self.http.json(response))

    def cancel(self, remote_id: str) -> None:
        # DELETE on a finished task deletes its output, which may not be downloaded yet.
        if self.poll(remote_id).state in (State.QUEUED, State.RUNNING):
            self.http.request("DELETE", _task_path(remote_id), idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        return http.download(
            url,
            destination,
            allowed_hosts=self.download_hosts,
            max_bytes=max_bytes,
            simulator_origin=self.simulator_origin,
            transport=self.transport,
        )

    def close(self) -> None:
        self.http.close()


def _task_path(remote_id: str) -> str:
    return f"/v1/tasks/{quote(remote_id, safe='')}"
