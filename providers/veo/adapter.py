"""Veo's HTTP adapters, one per platform of the same Google account (slug "google-veo"):
the Gemini API with an API key, and Vertex AI with a service account's OAuth token. contract.py
builds and parses the bodies both share (providers.md section 1).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from typing import Any
from urllib.parse import quote

import httpx

from providers.core.adapter import HTTPProvider
from providers.core.base import (
    AuthFailed,
    CancelPolicy,
    GenerationRequest,
    Progress,
    ProviderError,
    Submitted,
    Transient,
)
from providers.core.config import ProviderConfig
from providers.veo.contract import (
    GEMINI_API_VERSION,
    INLINE_RESULT,
    build_gemini_submit,
    build_vertex_submit,
    describe_error,
    inline_video,
    parse_status,
    parse_submit,
    refine_error,
    vertex_poll_request,
)

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
# Generated videos are served by the Files API on the API host itself.
GEMINI_DOWNLOAD_HOSTS = ("generativelanguage.googleapis.com",)
GCS_BASE_URL = "https://storage.googleapis.com"
VERTEX_DOWNLOAD_HOSTS = ("storage.googleapis.com",)
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
# [3P] "at most 10 concurrent requests per project" (providers.md 1.6).
DEFAULT_MAX_CONCURRENT = 10


# --- shared adapter behaviour ---------------------------------------------------------------
class _VeoBase(HTTPProvider):
    slug = "google-veo"
    platform = ""
    default_max_concurrent = DEFAULT_MAX_CONCURRENT

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        return describe_error(response)

    def _call(
        self, method: str, path: str, *, idempotent: bool, after_submit: bool = False, **kw: Any
    ) -> dict[str, Any]:
        try:
            response = self.http.request(method, path, idempotent=idempotent, **kw)
        except ProviderError as error:
            raise refine_error(error) from error
        return self.http.json(response, after_submit=after_submit)

    def _fetch_operation(self, remote_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def poll(self, remote_id: str) -> Progress:
        return parse_status(self._fetch_operation(remote_id))

    def cancel(self, remote_id: str) -> None:
        raise ProviderError(
            "Veo has no way to cancel a generation once submitted; it will finish and be billed."
        )

    def download_headers(self) -> dict[str, str]:
        # The Files API and our own bucket want the same auth as every other call.
        return self.auth_headers()

    def _download_inline(self, url: str, destination: str, max_bytes: int) -> int:
        name, _, index = url.removeprefix(INLINE_RESULT).rpartition("#")
        data = inline_video(self._fetch_operation(name), int(index or 0))
        if len(data) > max_bytes:
            raise ProviderError(f"The result is {len(data)} bytes, over the {max_bytes} cap.")
        with open(destination, "wb") as handle:
            handle.write(data)
        return len(data)


class GeminiVeoProvider(_VeoBase):
    """Veo on the Gemini API: `x-goog-api-key`, GET the operation, Files API downloads.
    Credential: api_key."""

    platform = "gemini"
    label = "Veo (Gemini API)"
    # providers.md §0 and §1: no cancel call is documented [I], so a sent job always finishes
    # and is billed; generated files stay on the server about 2 days (§1.2, [I]).
    cancel_policy = CancelPolicy.NEVER
    result_ttl_seconds = 2 * 24 * 3600.0
    default_base_url = GEMINI_BASE_URL
    default_download_hosts = GEMINI_DOWNLOAD_HOSTS
    required_keys = ("api_key",)
    # What this platform will not send although the formula asks for it, and why: the studio
    # lists these under "ignored" so nothing is dropped without the filmmaker knowing.
    params_not_sent = {
        "seed": "the Gemini API takes no seed (Vertex AI does)",
        "generateAudio": "the Gemini API always makes audio with Veo 3.x (Vertex AI can turn "
        "it off)",
    }

    def auth_headers(self) -> dict[str, str]:
        # The header, never ?key=: URLs end up in logs and error messages.
        return {"x-goog-api-key": self.config.credential("api_key")}

    def missing_keys_message(self, missing: list[str]) -> str:
        return "No Gemini API key: set GEMINI_API_KEY or enter a key in the studio."

    def submit(self, request: GenerationRequest) -> Submitted:
        path, body = build_gemini_submit(request)
        payload = self._call("POST", path, json=body, idempotent=False, after_submit=True)
        return parse_submit(payload)

    def _fetch_operation(self, remote_id: str) -> dict[str, Any]:
        return self._call("GET", f"/{GEMINI_API_VERSION}/{remote_id}", idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        if url.startswith(INLINE_RESULT):  # a sample with encodedVideo instead of a uri
            return self._download_inline(url, destination, max_bytes)
        return super().download(url, destination, max_bytes=max_bytes)


def load_service_account(value: dict[str, Any] | str | None) -> tuple[dict[str, Any], str]:
    """(info, problem). The studio may hand us the parsed JSON, the JSON text an admin pasted,
    or the path GOOGLE_APPLICATION_CREDENTIALS names."""
    if not value:
        return {}, ""
    if isinstance(value, dict):
        return value, ""
    text = value.strip()
    try:
        if not text.startswith("{"):
            with open(text, encoding="utf-8") as handle:
                text = handle.read()
        info = json.loads(text)
    except (OSError, ValueError) as error:
        return {}, f"Vertex AI: the service-account JSON could not be read ({error})."
    if not isinstance(info, dict) or info.get("type") != "service_account":
        return {}, "Vertex AI: the credentials are not a service-account JSON key."
    return info, ""


class _HttpxAuthRequest:
    """google-auth's transport interface over httpx, so token refreshes need no `requests`
    session of their own and tests can pass the same transport."""

    def __init__(self, client: httpx.Client):
        self.client = client

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        from google.auth import exceptions

        try:
            response = self.client.request(method, url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise exceptions.TransportError(str(error)) from error
        return _AuthResponse(response)


class _AuthResponse:
    """google.auth.transport.Response: status, headers, data."""

    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        self.headers = dict(response.headers)
        self.data = response.content


class VertexVeoProvider(_VeoBase):
    """Veo on Vertex AI: a service account's OAuth token, POST :fetchPredictOperation.

    Credential: service_account_info (parsed JSON, its text, or the path of the file).
    Options: project, location (us-central1), output_gcs_uri, storage_url."""

    platform = "vertex"
    label = "Veo (Vertex AI)"
    # providers.md §0: no cancel documented on Vertex either [I]. The result is inline in the
    # operation or in our own bucket; the operation's retention is not stated, so we assume no
    # longer than the Gemini API's two days (§1.2).
    cancel_policy = CancelPolicy.NEVER
    result_ttl_seconds = 2 * 24 * 3600.0
    default_download_hosts = VERTEX_DOWNLOAD_HOSTS

    @classmethod
    def prepare(cls, config: ProviderConfig) -> ProviderConfig:
        # The endpoint follows the region unless a base URL (the simulator's) is given.
        if config.base_url:
            return config
        location = str(config.option("location", "us-central1"))
        host = (
            "aiplatform.googleapis.com"
            if location == "global"
            else f"{location}-aiplatform.googleapis.com"
        )
        return dataclasses.replace(config, base_url=f"https://{host}")

    def setup(self) -> None:
        config = self.config
        self.location = str(config.option("location", "us-central1"))
        self.service_account_info, self.account_problem = load_service_account(
            config.credential("service_account_info")
        )
        self.project = str(config.option("project", ""))
        self.output_gcs_uri = config.option("output_gcs_uri")
        self.storage_url = str(config.option("storage_url", GCS_BASE_URL)).rstrip("/")
        self._credentials: Any = None
        self._token_lock = threading.Lock()
        self._token_client = httpx.Client(
            timeout=config.timeout, transport=self.transport, follow_redirects=False
        )

    def availability(self) -> tuple[bool, str]:
        if self.account_problem:
            return False, self.account_problem
        missing = []
        if not self.service_account_info.get("private_key"):
            missing.append("GOOGLE_APPLICATION_CREDENTIALS (a service-account JSON file)")
        if not self.project:
            missing.append("VERTEX_PROJECT")
        if missing:
            return False, f"Vertex AI is not configured: set {' and '.join(missing)}."
        return True, ""

    def _access_token(self) -> str:
        from google.auth import exceptions
        from google.oauth2 import service_account

        with self._token_lock:
            try:
                if self._credentials is None:
                    self._credentials = service_account.Credentials.from_service_account_info(
                        self.service_account_info, scopes=[CLOUD_PLATFORM_SCOPE]
                    )
                if not self._credentials.valid:  # google-auth refreshes a little before expiry
                    self._credentials.refresh(_HttpxAuthRequest(self._token_client))
            except exceptions.RefreshError as error:
                self._credentials = None
                raise AuthFailed(
                    f"Veo (Vertex AI): the service account was refused: {error}"
                ) from error
            except exceptions.TransportError as error:
                raise Transient(
                    f"Veo (Vertex AI): the token service was unreachable: {error}"
                ) from error
            except (ValueError, KeyError) as error:
                raise AuthFailed(
                    f"Veo (Vertex AI): the service-account JSON is unusable: {error}"
                ) from error
            return str(self._credentials.token)

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access_token()}"}

    def submit(self, request: GenerationRequest) -> Submitted:
        path, body = build_vertex_submit(
            request,
            project=self.project,
            location=self.location,
            output_gcs_uri=self.output_gcs_uri,
        )
        payload = self._call("POST", path, json=body, idempotent=False, after_submit=True)
        return parse_submit(payload)

    def _fetch_operation(self, remote_id: str) -> dict[str, Any]:
        path, body = vertex_poll_request(remote_id)
        # A read despite the POST: safe to retry.
        return self._call("POST", path, json=body, idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        if url.startswith(INLINE_RESULT):
            return self._download_inline(url, destination, max_bytes)
        if url.startswith("gs://"):
            # Our own bucket (storageUri): read it with the same token through the JSON API.
            bucket, _, obj = url.removeprefix("gs://").partition("/")
            url = f"{self.storage_url}/storage/v1/b/{bucket}/o/{quote(obj, safe='')}?alt=media"
        return super().download(url, destination, max_bytes=max_bytes)
