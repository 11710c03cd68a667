"""Higgsfield's HTTP adapter: the v2 `Key` header, the hero-frame upload, motion names resolved
to ids, the account's catalogue (`GET /models`, cached), and contract.py's calls
(providers.md 5.2-5.4, 9)."""

from __future__ import annotations

import dataclasses
import mimetypes
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

from providers.core.adapter import HTTPProvider
from providers.core.base import (
    CancelPolicy,
    GenerationRequest,
    InputImage,
    ModelRetired,
    Progress,
    ProviderError,
    QuotaExceeded,
    Rejected,
    Submitted,
    Transient,
)
from providers.core.capabilities import Capabilities
from providers.core.config import ProviderConfig
from providers.core.http import ProviderHTTP, upload
from providers.higgsfield.account import CatalogueAccount
from providers.higgsfield.capabilities import MODELS
from providers.higgsfield.catalogue import (
    build_catalogue_submit,
)
from providers.higgsfield.contract import (
    build_submit,
    describe_error,
    parse_motions,
    parse_submit,
)
from providers.higgsfield.stills import SLUGS as STILL_SLUGS
from providers.higgsfield.stills import parse_result, submit_still

BASE_URL = "https://platform.higgsfield.ai"
# Results seen in the wild come from Higgsfield's CloudFront distribution ([3P]: public pages
# embedding `hf_*.mp4` results); providers.md names no result host.
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
# 404 and 423 at submit: the model is not on this account, or locked [V docs, §9];
# the body says `model_not_found` [3P]. 503 stays a busy platform (Transient).
MODEL_ACCESS_STATUSES = (404, 423)
HOSTED = {caps.slug: caps for caps in MODELS if caps.api_model == caps.catalogue_id}
ENV_HINT = "set HIGGSFIELD_API_KEY and HIGGSFIELD_API_SECRET (the SDK's HF_API_KEY/HF_API_SECRET)"


class _HiggsfieldHTTP(ProviderHTTP):
    def error_for(self, response: httpx.Response, *, idempotent: bool) -> ProviderError:
        status = response.status_code
        if status in (404, 410) and response.request.url.path.endswith("/v1/motions"):
            # The free preset list is gone, not the shot refused: nothing was sent or billed.
            return ModelRetired(
                "Higgsfield no longer serves its motion presets list (GET /v1/motions answered "
                f"HTTP {status}), so a named camera preset cannot be sent: choose no preset, "
                "or another model."
            )
        paid = response.request.method == "POST" and not idempotent
        if status in MODEL_ACCESS_STATUSES and paid:
            # The take's message already names the model (registry.model_gone_take_message).
            return ModelRetired(
                "Higgsfield: this account cannot use the model, which is not in its catalogue "
                f"or is locked ({self.describe_error(response)}).",
                raw=_raw(response),
            )
        if status == 403:  # Higgsfield's "not enough credits", not bad keys
            message = f"{self.provider}: {self.describe_error(response)}"
            try:
                raw: Any = response.json()
            except ValueError:
                raw = response.text[:2000]
            return QuotaExceeded(message, raw=raw)
        return super().error_for(response, idempotent=idempotent)


def upload_hosts(value: tuple[str, ...] | str | None) -> tuple[str, ...]:
    """HIGGSFIELD_UPLOAD_HOSTS arrives comma-separated; the default list otherwise."""
    if not value:
        return UPLOAD_HOSTS
    if isinstance(value, str):
        return tuple(h.strip().lower() for h in value.split(",") if h.strip())
    return tuple(value)


class HiggsfieldProvider(CatalogueAccount, HTTPProvider):
    """Credentials: api_key and api_secret (or api_key alone in the SDK's "id:secret" form).
    Option: upload_hosts. `config.webhook_url` goes out as ?hf_webhook=."""

    slug = "higgsfield"
    label = "Higgsfield"
    # providers.md §5.2 [V-SDK] and the 2026 notes [V docs]: POST /requests/{id}/cancel works
    # only on queued requests; in_progress cannot be cancelled.
    cancel_policy = CancelPolicy.WHILE_QUEUED
    # Higgsfield keeps generated files "a minimum of 7 days" [V: docs.higgsfield.ai FAQ, read
    # 2026-12-06]; we still download as soon as a job completes.
    result_ttl_seconds = 7 * 24 * 3600.0
    default_base_url = BASE_URL
    default_download_hosts = DOWNLOAD_HOSTS
    default_max_concurrent = DEFAULT_MAX_CONCURRENT
    required_keys = ("api_key", "api_secret")
    http_class = _HiggsfieldHTTP

    @classmethod
    def prepare(cls, config: ProviderConfig) -> ProviderConfig:
        # `api_key` may also be the SDK's single "id:secret" form (HF_KEY).
        key, secret = config.credential("api_key"), config.credential("api_secret")
        if key and not secret and ":" in key:
            key, secret = key.split(":", 1)
            config = dataclasses.replace(
                config, credentials={**config.credentials, "api_key": key, "api_secret": secret}
            )
        return config

    def setup(self) -> None:
        self.upload_hosts = upload_hosts(self.config.option("upload_hosts"))
        self._motions: dict[str, str] = {}
        self._motions_at = 0.0
        self._motions_lock = threading.Lock()
        self.setup_catalogue()

    def auth_headers(self) -> dict[str, str]:
        key, secret = self.config.credential("api_key"), self.config.credential("api_secret")
        return {"Authorization": f"Key {key}:{secret}"}

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        return describe_error(response)

    def missing_keys_message(self, missing: list[str]) -> str:
        return f"No Higgsfield API key: {ENV_HINT}."

    # submit -------------------------------------------------------------------------------
    def submit(self, request: GenerationRequest) -> Submitted:
        if request.model in STILL_SLUGS:  # Soul: a v2 queue request like any other (stills.py)
            return submit_still(self, request)
        if request.model in HOSTED:
            return self.submit_hosted(request, HOSTED[request.model])
        hero = self._hero_frame(request, "Higgsfield DoP")
        wanted = {m.get("name") for m in request.params.get("motions") or [] if not m.get("id")}
        motion_ids = self.motion_ids() if wanted else {}
        # Everything above and the upload are free and safe to repeat; only the POST is paid.
        image_url = self.upload_image(hero.path)
        path, body = build_submit(
            request, image_url=image_url, motion_ids=motion_ids, webhook_url=self._webhook(request)
        )
        return self._submit_paid(path, body)

    @staticmethod
    def _hero_frame(request: GenerationRequest, name: str) -> InputImage:
        hero = next((i for i in request.images if i.role == "first_frame"), None)
        if hero is None:
            raise Rejected(f"{name} makes video from a hero frame: add one to the shot.")
        return hero

    def _webhook(self, request: GenerationRequest) -> str:
        return str(request.options.get("webhook_url") or self.config.webhook_url)

    def _submit_paid(self, path: str, body: dict[str, Any]) -> Submitted:
        response = self._post_paid(path, body)
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
        return parse_result(self.http.json(response))  # a video, or a still's images[0]

    def cancel(self, remote_id: str) -> None:
        # Cancelling twice is harmless, so this POST may be retried. Only queued requests can
        # be cancelled; a running one answers 400 and surfaces as Rejected with the reason.
        self.http.request("POST", f"/requests/{quote(remote_id, safe='')}/cancel", idempotent=True)

    # the account's catalogue ----------------------------------------------------------------
    def submit_hosted(self, request: GenerationRequest, caps: Capabilities) -> Submitted:
        """A model Higgsfield hosts: POSTed to the application path its catalogue entry gives
        (the slug, unless the entry names a path), since request schemas are being redesigned."""
        hero = self._hero_frame(request, caps.name)
        entry = self._entry_or_none(caps.catalogue_id)
        application = entry.application if entry else "/" + caps.catalogue_id
        image_url = self.upload_image(hero.path)
        path, body = build_catalogue_submit(
            request,
            application=application,
            image_url=image_url,
            webhook_url=self._webhook(request),
        )
        return self._submit_paid(path, body)

    def _post_paid(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return self.http.request("POST", path, idempotent=False, json=body)
        except ModelRetired:
            self._forget_catalogue()  # the account changed: the next offer must ask again
            raise


def _raw(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]
