"""Higgsfield DoP image-to-video through the v2 queue API (docs/providers.md 5.2, 5.3).

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

import mimetypes
import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import httpx

from providers.base import (
    CancelPolicy,
    GenerationRequest,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Submitted,
    Transient,
)
from providers.http import ProviderHTTP, download, upload

BASE_URL = "https://platform.higgsfield.ai"
DOP_APPLICATION = "/v1/image2video/dop"
# Results seen in the wild come from Higgsfield's CloudFront distribution ([3P]: public pages
# embedding `hf_*.mp4` results); no source names a result host (providers.md 5.2).
DOWNLOAD_HOSTS = ("d8j0ntlcm91z4.cloudfront.net", "higgsfield.ai")
# Where the hero frame may be PUT. Neither providers.md (5.3, 7.3) nor the official SDKs name the
# host of the signed `upload_url` (the SDKs PUT to whatever comes back), so this is Higgsfield's
# own domain and the CloudFront distribution its media is served from, no wider: an upload to
# anywhere else is refused with a message naming HIGGSFIELD_UPLOAD_HOSTS, where an operator who
# sees Higgsfield sign uploads elsewhere adds that host.
UPLOAD_HOSTS = ("higgsfield.ai", "d8j0ntlcm91z4.cloudfront.net")
# No documented account concurrency; DoP queues server-side. A modest default keeps the studio
# from flooding one account; admins raise it per account.
DEFAULT_MAX_CONCURRENT = 4
MOTIONS_TTL = 3600.0  # the preset list changes rarely; refetch hourly so new ids show up
ENV_HINT = "set HIGGSFIELD_API_KEY and HIGGSFIELD_API_SECRET (the SDK's HF_API_KEY/HF_API_SECRET)"

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


# --- the adapter ---------------------------------------------------------------------------
class _HiggsfieldHTTP(ProviderHTTP):
    def error_for(self, response: httpx.Response, *, idempotent: bool) -> ProviderError:
        if response.status_code == 403:  # Higgsfield's "not enough credits", not bad keys
            message = f"{self.provider}: {self.describe_error(response)}"
            try:
                raw: Any = response.json()
            except ValueError:
                raw = response.text[:2000]
            return QuotaExceeded(message, raw=raw)
        return super().error_for(response, idempotent=idempotent)


class HiggsfieldProvider:
    slug = "higgsfield"
    # providers.md §5.2 [V-SDK] and the 2026 notes [V docs]: POST /requests/{id}/cancel works
    # only on queued requests; in_progress cannot be cancelled.
    cancel_policy = CancelPolicy.WHILE_QUEUED
    # No URL lifetime is stated (§0 "not stated"). We assume the shortest any video API in the
    # reference documents (Replicate's 1 h, §7.2), so "fetch again" is never offered for a link
    # that is likely gone; Retry stays available after that.
    result_ttl_seconds = 3600.0

    def __init__(
        self,
        *,
        api_key: str = "",
        api_secret: str = "",
        base_url: str = BASE_URL,
        download_hosts: tuple[str, ...] = DOWNLOAD_HOSTS,
        upload_hosts: tuple[str, ...] | str = UPLOAD_HOSTS,
        simulator_origin: str = "",
        timeout: float = 30.0,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        webhook_url: str = "",
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        # `api_key` may also be the SDK's single "id:secret" form (HF_KEY).
        if api_key and not api_secret and ":" in api_key:
            api_key, api_secret = api_key.split(":", 1)
        self.api_key = api_key
        self.api_secret = api_secret
        self.base_url = base_url.rstrip("/")
        self.download_hosts = tuple(download_hosts)
        if isinstance(upload_hosts, str):  # HIGGSFIELD_UPLOAD_HOSTS: comma-separated
            upload_hosts = tuple(h.strip().lower() for h in upload_hosts.split(",") if h.strip())
        self.upload_hosts = tuple(upload_hosts)
        self.simulator_origin = simulator_origin
        self.timeout = timeout
        self.max_concurrent = max_concurrent
        self.webhook_url = webhook_url
        self.transport = transport
        self.http = _HiggsfieldHTTP(
            provider="Higgsfield",
            base_url=self.base_url,
            headers=self._headers,
            timeout=timeout,
            describe_error=describe_error,
            transport=transport,
            sleep=sleep,
        )
        self._motions: dict[str, str] = {}
        self._motions_at = 0.0
        self._motions_lock = threading.Lock()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Key {self.api_key}:{self.api_secret}"}

    def availability(self) -> tuple[bool, str]:
        if not self.api_key or not self.api_secret:
            return False, f"No Higgsfield API key: {ENV_HINT}."
        return True, ""

    # submit -------------------------------------------------------------------------------
    def submit(self, request: GenerationRequest) -> Submitted:
        hero = next((i for i in request.images if i.role == "first_frame"), None)
        if hero is None:
            raise Rejected("Higgsfield DoP makes video from a hero frame: add one to the shot.")
        wanted = {m.get("name") for m in request.params.get("motions") or [] if not m.get("id")}
        motion_ids = self.motion_ids() if wanted else {}
        # Everything above and the upload are free and safe to repeat; only the POST is paid.
        image_url = self.upload_image(hero.path)
        webhook = str(request.options.get("webhook_url") or self.webhook_url)
        path, body = build_submit(
            request, image_url=image_url, motion_ids=motion_ids, webhook_url=webhook
        )
        response = self.http.request("POST", path, idempotent=False, json=body)
        return parse_submit(self.http.json(response, after_submit=True))

    def motion_ids(self) -> dict[str, str]:
        """Preset name -> id from GET /v1/motions, cached for MOTIONS_TTL."""
        with self._motions_lock:
            if self._motions and time.monotonic() - self._motions_at < MOTIONS_TTL:
                return self._motions
            response = self.http.request("GET", "/v1/motions", idempotent=True)
            try:
                payload = response.json()
            except ValueError as error:
                raise Transient("Higgsfield sent a motions list that is not JSON.") from error
            self._motions = parse_motions(payload)
            self._motions_at = time.monotonic()
            return self._motions

    def upload_image(self, path: str) -> str:
        """The signed-URL upload flow (providers.md 5.3): returns the image's public URL."""
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        # Creating an upload URL costs nothing; a duplicate is an unused URL, so retrying is safe.
        response = self.http.request(
            "POST",
            "/files/generate-upload-url",
            idempotent=True,
            json={"content_type": content_type},
        )
        data = self.http.json(response)
        upload_url, public_url = data.get("upload_url"), data.get("public_url")
        if not upload_url or not public_url:
            raise Transient(f"Higgsfield sent no upload URL: {data!r}"[:300])
        # The signed URL carries its own authority: our Key header must not go to storage.
        headers = data.get("upload_headers") or {"Content-Type": content_type}
        if not isinstance(headers, dict):
            raise Transient(f"Higgsfield sent unusable upload headers: {headers!r}"[:300])
        with open(path, "rb") as handle:
            content = handle.read()
        try:
            put = upload(
                str(upload_url),
                content,
                allowed_hosts=self.upload_hosts,
                headers={str(k): str(v) for k, v in headers.items()},
                simulator_origin=self.simulator_origin,
                timeout=self.timeout,
                transport=self.transport,
            )
        except Transient as error:
            raise Transient(f"Uploading the hero frame to Higgsfield failed: {error}") from error
        except ProviderError as error:
            raise ProviderError(
                f"Higgsfield asked for the hero frame to be uploaded somewhere we do not send it. "
                f"{error} (HIGGSFIELD_UPLOAD_HOSTS lists the hosts allowed.)"
            ) from error
        if put.status_code >= 400:
            raise Transient(
                f"Uploading the hero frame to Higgsfield failed: HTTP {put.status_code}"
            )
        return public_url

    # poll / cancel / download -------------------------------------------------------------
    def poll(self, remote_id: str) -> Progress:
        response = self.http.request(
            "GET", f"/requests/{quote(remote_id, safe='')}/status", idempotent=True
        )
        return parse_status(self.http.json(response))

    def cancel(self, remote_id: str) -> None:
        # Cancelling twice is harmless, so this POST may be retried. Only queued requests can
        # be cancelled; a running one answers 400 and surfaces as Rejected with the reason.
        self.http.request("POST", f"/requests/{quote(remote_id, safe='')}/cancel", idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        # providers.md gives no URL lifetime for Higgsfield: download as soon as it completes.
        return download(
            url,
            destination,
            allowed_hosts=self.download_hosts,
            max_bytes=max_bytes,
            simulator_origin=self.simulator_origin,
            transport=self.transport,
        )
