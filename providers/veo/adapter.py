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
    ConnectionCheck,
    Continuation,
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    Submitted,
    Transient,
)
from providers.core.capabilities import Lifecycle
from providers.core.config import ProviderConfig
from providers.veo.capabilities import EXTEND_MAX_INPUT, GEMINI, PLATFORM_MODELS, VERTEX
from providers.veo.contract import (
    GEMINI_API_VERSION,
    INLINE_RESULT,
    MODELS,
    RETIRED_IDS,
    VERTEX_API_VERSION,
    build_gemini_submit,
    build_vertex_submit,
    describe_error,
    inline_video,
    parse_status,
    parse_submit,
    refine_error,
    retired_message,
    sample_video,
    vertex_poll_request,
)
from providers.veo.stills import SLUGS as STILL_SLUGS
from providers.veo.stills import submit_still

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

    def model_ids(self) -> dict[str, str]:
        """slug -> the id this adapter sends (None-free; retired ids included, for display)."""
        return {slug: m.api_model for slug, m in PLATFORM_MODELS[self.platform].items()}

    def model_lifecycle(self, slug: str) -> Lifecycle:
        """Where `slug` is in its life on this platform (the catalog's lifecycle is Vertex's)."""
        model = self.model_ids().get(slug, "")
        if model in RETIRED_IDS.get(self.platform, set()):
            return PLATFORM_MODELS[self.platform][slug].lifecycle
        return MODELS[slug].lifecycle if slug in MODELS else Lifecycle()

    def model_availability(self, slug: str) -> tuple[bool, str]:
        """(usable, reason) for one Veo model on this platform, before any money is held: the
        adapter as a whole stays usable (it also serves still models, stills.py)."""
        model = self.model_ids().get(slug, "")
        if model in RETIRED_IDS.get(self.platform, set()):
            return False, retired_message(slug, self.platform, model)
        return True, ""

    @property
    def extend_max_input_seconds(self) -> float:
        """The longest clip this platform extends (Vertex 30 s, Gemini API 141 s)."""
        return EXTEND_MAX_INPUT[self.platform]

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

    platform = GEMINI
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

    def setup(self) -> None:
        self.overrides = parse_model_ids(self.config.option("model_ids"))

    def model_ids(self) -> dict[str, str]:
        return {**super().model_ids(), **self.overrides}

    def submit(self, request: GenerationRequest) -> Submitted:
        if request.model in STILL_SLUGS:  # Nano Banana Pro: one synchronous call (stills.py)
            return submit_still(self, request)
        video = None
        if request.continues is not None:
            # Retired ids are refused before the operation is fetched: nothing leaves first.
            build_gemini_submit(
                dataclasses.replace(request, continues=None), overrides=self.overrides
            )
            video = self._extension_video(request.continues)
        path, body = build_gemini_submit(request, overrides=self.overrides, video=video)
        payload = self._call("POST", path, json=body, idempotent=False, after_submit=True)
        return parse_submit(payload)

    def _extension_video(self, continues: Continuation) -> dict[str, str]:
        """The earlier result as the Gemini API takes it back: its Files API uri. A result we
        stored as a `veo-operation:` marker (inline bytes), or none at all, is read again from
        the earlier operation, as Google only extends a video it made."""
        url = continues.result_url
        if url and not url.startswith(INLINE_RESULT):
            return {"uri": url}
        name, _, index = url.removeprefix(INLINE_RESULT).rpartition("#") if url else ("", "", "")
        sample = sample_video(self._fetch_operation(name or continues.remote_id), int(index or 0))
        if sample.get("uri"):
            return {"uri": str(sample["uri"])}
        if sample.get("encodedVideo"):  # the SDK's inline form for the Gemini API [V-SDK]
            return {"encodedVideo": str(sample["encodedVideo"]), "encoding": "video/mp4"}
        raise Rejected("The earlier Veo result is no longer on the Gemini API to extend.")

    def check_connection(self) -> ConnectionCheck:
        """Free: GET /v1beta/models lists what the key may call."""
        missing = self.config.missing(self.required_keys)
        if missing:
            return ConnectionCheck(False, self.missing_keys_message(missing))
        names: list[str] = []
        page = ""
        try:
            for _ in range(10):  # a few hundred models at most
                query = {"pageSize": 1000, **({"pageToken": page} if page else {})}
                payload = self._call(
                    "GET", f"/{GEMINI_API_VERSION}/models", idempotent=True, params=query
                )
                names += [str(m.get("name", "")) for m in payload.get("models") or []]
                page = str(payload.get("nextPageToken") or "")
                if not page:
                    break
        except AuthFailed as error:
            return ConnectionCheck(False, f"The Gemini API refused the key: {error.message}")
        except ProviderError as error:
            return ConnectionCheck(False, f"The Gemini API could not be asked: {error.message}")
        veo = tuple(sorted(n.removeprefix("models/") for n in names if "/veo-" in f"/{n}"))
        if not veo:
            return ConnectionCheck(
                False,
                f"The key works ({len(names)} models) but lists no Veo model: Veo needs a "
                "paid-tier key. Or use Vertex AI (STUDIO_VEO_PLATFORM=vertex).",
            )
        sent = sorted(set(self.model_ids().values()) - RETIRED_IDS[GEMINI])
        usable = [model for model in sent if model in veo]
        message = f"Connected: the key lists Veo {', '.join(veo)}."
        if not usable:
            message += (
                " None of them is an id the studio sends: set the account's model_ids "
                "(e.g. veo-3.1=<id>) or switch to Vertex AI (STUDIO_VEO_PLATFORM=vertex)."
            )
        return ConnectionCheck(bool(usable), message, veo)

    def _fetch_operation(self, remote_id: str) -> dict[str, Any]:
        return self._call("GET", f"/{GEMINI_API_VERSION}/{remote_id}", idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        if url.startswith(INLINE_RESULT):  # a sample with encodedVideo instead of a uri
            return self._download_inline(url, destination, max_bytes)
        return super().download(url, destination, max_bytes=max_bytes)


def parse_model_ids(value: Any) -> dict[str, str]:
    """The account's own Veo ids: a dict, or "veo-3.1=id,veo-3.1-fast=id" from the env."""
    if isinstance(value, dict):
        pairs = value.items()
    else:
        pairs = (part.partition("=")[::2] for part in str(value or "").split(",") if "=" in part)
    return {str(k).strip(): str(v).strip() for k, v in pairs if str(k).strip() in MODELS}


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

    platform = VERTEX
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

    def check_connection(self) -> ConnectionCheck:
        """Free: mint the token, then GET each publisher model resource [V: aiplatform v1
        publishers.models.get, name publishers/{publisher}/models/{model}]."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(False, reason)
        try:
            self._access_token()
        except ProviderError as error:
            return ConnectionCheck(False, error.message)
        seen: list[str] = []
        refused = ""
        for model in dict.fromkeys(self.model_ids().values()):
            path = f"/{VERTEX_API_VERSION}/publishers/google/models/{model}"
            try:
                self._call("GET", path, idempotent=True)
            except AuthFailed as error:  # 403: the API is off or the account has no role
                refused = error.message
            except ProviderError:
                continue  # 404: not served to this project (region, allow-list)
            else:
                seen.append(model)
        if refused and not seen:
            return ConnectionCheck(
                False,
                f"Vertex AI refused the service account: {refused} Enable the Vertex AI API on "
                f"project {self.project} and grant the account Vertex AI User.",
            )
        if not seen:
            return ConnectionCheck(False, "The service account works but sees no Veo 3.1 model.")
        return ConnectionCheck(
            True, f"Connected to {self.project} ({self.location}): {', '.join(seen)}.", tuple(seen)
        )

    def submit(self, request: GenerationRequest) -> Submitted:
        if request.model in STILL_SLUGS:
            return submit_still(self, request)
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
