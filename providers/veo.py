"""Google Veo 3.1 on the Gemini API (API key) and on Vertex AI (service-account OAuth).

Both platforms take the same `instances[0]` / `parameters` body and answer with a
google.longrunning.Operation whose `name` is our remote id. They differ in auth, in how the
operation is polled (Gemini: GET the name; Vertex: POST `:fetchPredictOperation`), in which
parameters they take (`seed` and `generateAudio` are Vertex only) and in where the video comes
back (Gemini: a Files API URI that needs the key; Vertex: base64 bytes, or a gs:// object when
`storageUri` was sent). Contract: docs/providers.md section 1.

Neither platform has an idempotency key or a cancel call. Vertex takes top-level `labels`, so
the take id travels there for the billing export. Neither reports a cost: `Submitted.cost` stays
None and the studio's price table prices the clip (per second, by resolution and audio).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import mimetypes
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from providers.base import (
    AuthFailed,
    CancelPolicy,
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    State,
    Submitted,
    Transient,
    UnknownOutcome,
)
from providers.capabilities import get_capabilities
from providers.http import ProviderHTTP, download

log = logging.getLogger(__name__)

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com"
GEMINI_API_VERSION = "v1beta"
# Generated videos are served by the Files API on the API host itself.
GEMINI_DOWNLOAD_HOSTS = ("generativelanguage.googleapis.com",)
GCS_BASE_URL = "https://storage.googleapis.com"
VERTEX_DOWNLOAD_HOSTS = ("storage.googleapis.com",)
VERTEX_API_VERSION = "v1"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"

# [3P] "at most 10 concurrent requests per project" (providers.md 1.6).
DEFAULT_MAX_CONCURRENT = 10
# A Veo clip takes one to several minutes; the SDK's own examples poll every 10 s.
POLL_AFTER = 10.0
# Vertex-only parameters: the Gemini API (and its SDK) refuse them. On the Gemini API Veo 3.x
# always generates audio, and there is no seed [I].
VERTEX_ONLY_PARAMS = ("seed", "generateAudio")
# A result delivered inside the operation (base64) rather than at a URL. We do not put megabytes
# of base64 into Progress (it is stored); download() fetches the finished operation again.
INLINE_RESULT = "veo-operation:"
# google.rpc.Code values of a failed operation that mean "we refused your input".
_REJECTING_CODES = {3, 7, 9}  # INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION
_CANCELLED_CODE = 1


# --- pure request building ------------------------------------------------------------------
def api_model(slug: str) -> str:
    caps = get_capabilities(slug)
    if caps.provider != "google-veo":
        raise Rejected(f"{caps.name} is not a Veo model.")
    return caps.api_model


def image_part(path: str) -> dict[str, str]:
    """An image as the API wants it: raw base64 (no data: prefix) plus its MIME type."""
    mime = mimetypes.guess_type(path)[0] or "image/png"
    with open(path, "rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    return {"bytesBase64Encoded": data, "mimeType": mime}


def build_instance(request: GenerationRequest) -> dict[str, Any]:
    instance: dict[str, Any] = {"prompt": request.prompt}
    references = []
    for image in request.images:
        if image.role == "first_frame":
            instance["image"] = image_part(image.path)
        elif image.role == "last_frame":
            instance["lastFrame"] = image_part(image.path)
        elif image.role == "reference":
            # Veo 3.1 takes ASSET references only on the Gemini API; STYLE is Vertex/Veo 2.
            references.append({"image": image_part(image.path), "referenceType": "ASSET"})
        else:
            raise Rejected(f"Veo has no place for an input image with role {image.role!r}.")
    if references:
        instance["referenceImages"] = references
    return instance


def gemini_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The formula writes Vertex's full parameter set; the Gemini API takes all but two."""
    kept = {key: value for key, value in params.items() if key not in VERTEX_ONLY_PARAMS}
    dropped = sorted(set(params) - set(kept))
    if dropped:
        # Preflight tells the filmmaker (capabilities notes); this is the adapter's record.
        log.info("Gemini API: not sending Vertex-only parameters %s", ", ".join(dropped))
    return kept


def build_gemini_submit(request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    model = api_model(request.model)
    body = {
        "instances": [build_instance(request)],
        "parameters": gemini_parameters(request.params),
    }
    return f"/{GEMINI_API_VERSION}/models/{model}:predictLongRunning", body


build_submit = build_gemini_submit  # the default platform, for the shared naming


def vertex_model_path(project: str, location: str, model: str) -> str:
    return (
        f"/{VERTEX_API_VERSION}/projects/{project}/locations/{location}"
        f"/publishers/google/models/{model}"
    )


def build_vertex_submit(
    request: GenerationRequest,
    *,
    project: str,
    location: str,
    output_gcs_uri: str | None = None,
) -> tuple[str, dict[str, Any]]:
    model = api_model(request.model)
    parameters = dict(request.params)
    if output_gcs_uri:
        parameters["storageUri"] = output_gcs_uri
    body = {
        "instances": [build_instance(request)],
        "parameters": parameters,
        # Label values: lowercase letters, digits, '-' and '_' only; a take id fits.
        "labels": {"shot_studio_take": str(request.take_id)},
    }
    return f"{vertex_model_path(project, location, model)}:predictLongRunning", body


def vertex_poll_request(operation_name: str) -> tuple[str, dict[str, Any]]:
    """As the SDK does: the model resource is the operation name cut at /operations/."""
    resource, sep, _ = operation_name.partition("/operations/")
    if not sep:
        raise ProviderError(f"Not a Vertex operation name: {operation_name!r}")
    return f"/{VERTEX_API_VERSION}/{resource}:fetchPredictOperation", {
        "operationName": operation_name
    }


# --- pure response parsing ------------------------------------------------------------------
def parse_submit(payload: dict[str, Any]) -> Submitted:
    name = payload.get("name")
    if not isinstance(name, str) or not name:
        raise UnknownOutcome(f"Veo accepted the request but returned no operation name: {payload}")
    return Submitted(remote_id=name, raw_status="done" if payload.get("done") else "running")


def _samples(response: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(samples, the object holding the raiMediaFiltered* fields), for either platform."""
    gemini = response.get("generateVideoResponse")
    if isinstance(gemini, dict):
        samples = [s.get("video") or {} for s in gemini.get("generatedSamples") or []]
        return samples, gemini
    return list(response.get("videos") or []), response  # Vertex


def _sample_location(name: str, index: int, sample: dict[str, Any]) -> str | None:
    if sample.get("uri"):  # Gemini Files API
        return str(sample["uri"])
    if sample.get("gcsUri"):  # Vertex with storageUri
        return str(sample["gcsUri"])
    if sample.get("bytesBase64Encoded") or sample.get("encodedVideo"):
        return f"{INLINE_RESULT}{name}#{index}"
    return None


def redact_inline_video(payload: dict[str, Any]) -> dict[str, Any]:
    """A copy of the operation without base64 video, fit to keep as the raw record."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: (
                    f"<{len(item)} base64 chars>"
                    if key in ("bytesBase64Encoded", "encodedVideo") and isinstance(item, str)
                    else walk(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(payload)


def parse_status(payload: dict[str, Any]) -> Progress:
    """One Operation -> Progress. Veo reports only done/not done: no queue position, no %."""
    raw = redact_inline_video(payload)
    name = str(payload.get("name") or "")
    done = payload.get("done", False)
    if not isinstance(done, bool):
        raise ProviderError(f"Veo returned an operation with done={done!r}.", raw=raw)
    if not done:
        return Progress(State.RUNNING, "running", poll_after=POLL_AFTER, raw=raw)

    error = payload.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        message = str(error.get("message") or f"Veo failed with code {code}.")
        if code == _CANCELLED_CODE:
            state = State.CANCELED
        elif code in _REJECTING_CODES:
            state = State.REJECTED
        else:
            state = State.FAILED
        return Progress(state, f"error:{code}", error=message, raw=raw)

    response = payload.get("response")
    if not isinstance(response, dict):
        raise ProviderError(
            "Veo finished an operation with neither a response nor an error.", raw=raw
        )
    samples, verdict = _samples(response)
    for index, sample in enumerate(samples):
        location = _sample_location(name, index, sample)
        if location:
            return Progress(State.SUCCEEDED, "done", percent=100, result_url=location, raw=raw)

    # Safety filtering does not fail the operation: it finishes with no samples.
    filtered = verdict.get("raiMediaFilteredCount") or 0
    reasons = [str(r) for r in verdict.get("raiMediaFilteredReasons") or []]
    if filtered or reasons:
        why = " ".join(reasons) or "Veo's safety filter removed the video."
        return Progress(State.REJECTED, "done:filtered", error=why, raw=raw)
    return Progress(State.FAILED, "done:empty", error="Veo finished without a video.", raw=raw)


def inline_video(payload: dict[str, Any], index: int) -> bytes:
    response = payload.get("response") or {}
    samples, _ = _samples(response)
    if index >= len(samples):
        raise ProviderError("The finished Veo operation no longer holds that video.")
    sample = samples[index]
    data = sample.get("bytesBase64Encoded") or sample.get("encodedVideo") or ""
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProviderError("Veo returned video bytes that are not valid base64.") from error


# --- errors ---------------------------------------------------------------------------------
def describe_error(response: httpx.Response) -> str:
    """Google's envelope: {"error": {"code", "message", "status", "details"}}."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        status = error.get("status") or f"HTTP {response.status_code}"
        return f"{error.get('message') or 'no message'} ({status})"
    if isinstance(error, str):  # OAuth token endpoint: {"error", "error_description"}
        return f"{body.get('error_description') or error} ({error})"
    return f"HTTP {response.status_code}"


def _details(raw: Any) -> list[dict[str, Any]]:
    error = raw.get("error") if isinstance(raw, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    return [d for d in details or [] if isinstance(d, dict)]


def retry_delay(raw: Any) -> float | None:
    """google.rpc.RetryInfo `retryDelay: "30s"`, which Google sends instead of Retry-After."""
    for detail in _details(raw):
        delay = detail.get("retryDelay")
        if isinstance(delay, str) and delay.endswith("s"):
            try:
                return float(delay[:-1])
            except ValueError:
                return None
    return None


def refine_error(error: ProviderError) -> ProviderError:
    """Google answers a bad API key with 400 INVALID_ARGUMENT + reason API_KEY_INVALID."""
    if isinstance(error, Rejected) and any(
        d.get("reason") in ("API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED")
        for d in _details(error.raw)
    ):
        return AuthFailed(error.message, raw=error.raw)
    if isinstance(error, Transient) and error.retry_after is None:
        delay = retry_delay(error.raw)
        if delay is not None:
            return Transient(error.message, raw=error.raw, retry_after=delay)
    return error


# --- shared adapter behaviour ---------------------------------------------------------------
class _VeoBase:
    slug = "google-veo"
    platform = ""
    supports_cancel = False
    http: ProviderHTTP
    download_hosts: tuple[str, ...]
    simulator_origin: str
    transport: httpx.BaseTransport | None

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

    def _auth_headers(self) -> dict[str, str]:
        raise NotImplementedError

    def poll(self, remote_id: str) -> Progress:
        return parse_status(self._fetch_operation(remote_id))

    def cancel(self, remote_id: str) -> None:
        raise ProviderError(
            "Veo has no way to cancel a generation once submitted; it will finish and be billed."
        )

    def _download_inline(self, url: str, destination: str, max_bytes: int) -> int:
        name, _, index = url.removeprefix(INLINE_RESULT).rpartition("#")
        data = inline_video(self._fetch_operation(name), int(index or 0))
        if len(data) > max_bytes:
            raise ProviderError(f"The result is {len(data)} bytes, over the {max_bytes} cap.")
        with open(destination, "wb") as handle:
            handle.write(data)
        return len(data)

    def _download_authorised(self, url: str, destination: str, max_bytes: int) -> int:
        return download(
            url,
            destination,
            allowed_hosts=self.download_hosts,
            max_bytes=max_bytes,
            simulator_origin=self.simulator_origin,
            headers=self._auth_headers(),
            transport=self.transport,
        )

    def close(self) -> None:
        self.http.close()


class GeminiVeoProvider(_VeoBase):
    """Veo on the Gemini API: `x-goog-api-key`, GET the operation, Files API downloads."""

    platform = "gemini"
    # providers.md §0 and §1: no cancel call is documented [I], so a sent job always finishes
    # and is billed; generated files stay on the server about 2 days (§1.2, [I]).
    cancel_policy = CancelPolicy.NEVER
    result_ttl_seconds = 2 * 24 * 3600.0
    # What this platform will not send although the formula asks for it, and why: the studio
    # lists these under "ignored" so nothing is dropped without the filmmaker knowing.
    params_not_sent = {
        "seed": "the Gemini API takes no seed (Vertex AI does)",
        "generateAudio": "the Gemini API always makes audio with Veo 3.x (Vertex AI can turn "
        "it off)",
    }

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str = GEMINI_BASE_URL,
        download_hosts: tuple[str, ...] = GEMINI_DOWNLOAD_HOSTS,
        simulator_origin: str = "",
        timeout: float = 30.0,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        self.api_key = api_key or ""
        self.download_hosts = download_hosts
        self.simulator_origin = simulator_origin
        self.max_concurrent = max_concurrent
        self.transport = transport
        extra = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHTTP(
            provider="Veo (Gemini API)",
            base_url=base_url,
            headers=self._auth_headers,
            timeout=timeout,
            describe_error=describe_error,
            transport=transport,
            **extra,
        )

    def _auth_headers(self) -> dict[str, str]:
        # The header, never ?key=: URLs end up in logs and error messages.
        return {"x-goog-api-key": self.api_key}

    def availability(self) -> tuple[bool, str]:
        if not self.api_key:
            return False, "No Gemini API key: set GEMINI_API_KEY or enter a key in the studio."
        return True, ""

    def submit(self, request: GenerationRequest) -> Submitted:
        path, body = build_gemini_submit(request)
        payload = self._call("POST", path, json=body, idempotent=False, after_submit=True)
        return parse_submit(payload)

    def _fetch_operation(self, remote_id: str) -> dict[str, Any]:
        return self._call("GET", f"/{GEMINI_API_VERSION}/{remote_id}", idempotent=True)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        if url.startswith(INLINE_RESULT):  # a sample with encodedVideo instead of a uri
            return self._download_inline(url, destination, max_bytes)
        # The Files API wants the same API key as every other call.
        return self._download_authorised(url, destination, max_bytes)


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
    """Veo on Vertex AI: a service account's OAuth token, POST :fetchPredictOperation."""

    slug = "google-veo-vertex"
    platform = "vertex"
    # providers.md §0: no cancel documented on Vertex either [I]. The result is inline in the
    # operation or in our own bucket; the operation's retention is not stated, so we assume no
    # longer than the Gemini API's two days (§1.2).
    cancel_policy = CancelPolicy.NEVER
    result_ttl_seconds = 2 * 24 * 3600.0

    def __init__(
        self,
        service_account_info: dict[str, Any] | str | None = None,
        project: str | None = None,
        location: str | None = "us-central1",
        *,
        base_url: str | None = None,
        output_gcs_uri: str | None = None,
        storage_url: str = GCS_BASE_URL,
        download_hosts: tuple[str, ...] = VERTEX_DOWNLOAD_HOSTS,
        simulator_origin: str = "",
        timeout: float = 30.0,
        max_concurrent: int = DEFAULT_MAX_CONCURRENT,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        self.service_account_info, self.account_problem = load_service_account(service_account_info)
        self.project = project or ""
        self.location = location or "us-central1"
        self.output_gcs_uri = output_gcs_uri
        self.storage_url = storage_url.rstrip("/")
        self.download_hosts = download_hosts
        self.simulator_origin = simulator_origin
        self.max_concurrent = max_concurrent
        self.transport = transport
        self._credentials: Any = None
        self._token_lock = threading.Lock()
        self._token_client = httpx.Client(
            timeout=timeout, transport=transport, follow_redirects=False
        )
        if base_url is None:
            host = (
                "aiplatform.googleapis.com"
                if self.location == "global"
                else f"{self.location}-aiplatform.googleapis.com"
            )
            base_url = f"https://{host}"
        extra = {"sleep": sleep} if sleep is not None else {}
        self.http = ProviderHTTP(
            provider="Veo (Vertex AI)",
            base_url=base_url,
            headers=self._auth_headers,
            timeout=timeout,
            describe_error=describe_error,
            transport=transport,
            **extra,
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

    def _auth_headers(self) -> dict[str, str]:
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
        return self._download_authorised(url, destination, max_bytes)

    def close(self) -> None:
        super().close()
        self._token_client.close()


__all__ = [
    "DEFAULT_MAX_CONCURRENT",
    "GeminiVeoProvider",
    "VertexVeoProvider",
    "build_gemini_submit",
    "build_submit",
    "build_vertex_submit",
    "parse_status",
    "parse_submit",
]
