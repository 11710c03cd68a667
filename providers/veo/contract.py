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
import logging
import mimetypes
from typing import Any

import httpx

from providers.core.base import (
    AuthFailed,
    Continuation,
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
from providers.core.catalog import VIDEO_MODELS, label_for
from providers.veo.capabilities import (
    EXTEND_MAX_INPUT,
    GEMINI,
    PLATFORM_MODELS,
    RETIRED_IDS,
    VERTEX,
)
from providers.veo.capabilities import MODELS as _MODELS

log = logging.getLogger(__name__)

MODELS = {caps.slug: caps for caps in _MODELS}
GEMINI_API_VERSION = "v1beta"
VERTEX_API_VERSION = "v1"

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


# Extension: the input must be a Veo-made video, the output is 720p [3P, reference §1.4];
# durationSeconds 8 is the only value documented for it (Gemini API table [3P]; [I] Vertex).
EXTEND_RESOLUTION = "720p"
EXTEND_DURATION = 8


# --- pure request building ------------------------------------------------------------------
def api_model(slug: str, platform: str = VERTEX, overrides: dict[str, str] | None = None) -> str:
    """The id `platform` serves `slug` under; an account's own `overrides` win (model_ids)."""
    if slug not in MODELS:
        raise Rejected(f"{label_for(VIDEO_MODELS, slug)} is not a Veo model.")
    model = (overrides or {}).get(slug) or PLATFORM_MODELS[platform][slug].api_model
    if model in RETIRED_IDS.get(platform, set()):
        raise ModelRetired(retired_message(slug, platform, model))
    return model


def retired_message(slug: str, platform: str, model: str) -> str:
    when = PLATFORM_MODELS[platform][slug].lifecycle.retires_on
    since = f" since {when:%Y-%m-%d}" if when else ""
    return (
        f"{label_for(VIDEO_MODELS, slug)}: the Gemini API no longer serves `{model}`{since} "
        "(reported by a third party). Nothing was sent or billed. Switch the studio's Veo "
        "platform to Vertex AI (STUDIO_VEO_PLATFORM=vertex, with a service account), or enter "
        "the Veo id your Gemini key lists (Check connection) as the account's model_ids."
    )


def image_part(path: str) -> dict[str, str]:
    """An image as the API wants it: raw base64 (no data: prefix) plus its MIME type."""
    mime = mimetypes.guess_type(path)[0] or "image/png"
    with open(path, "rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    return {"bytesBase64Encoded": data, "mimeType": mime}


def build_instance(request: GenerationRequest) -> dict[str, Any]:
    instance: dict[str, Any] = {"prompt": request.prompt}
    if request.continues is not None:
        # An extension carries on from the clip itself: no frames, no references.
        if request.images:
            log.info("Veo extension: not sending %d input images", len(request.images))
        return instance
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


def check_extension(continues: Continuation, platform: str) -> None:
    """Refuse, before anything is sent, an extension the platform would refuse."""
    if continues.kind != "extend":
        raise Rejected(f"Veo cannot continue a clip as {continues.kind!r}; it only extends.")
    seconds = continues.duration_seconds
    longest = EXTEND_MAX_INPUT[platform]
    where = "Vertex AI" if platform == VERTEX else "The Gemini API"
    if seconds is not None and not 1 <= seconds <= longest:
        raise Rejected(
            f"{where} extends clips of 1 to {longest:g} s by 7 s; this clip is {seconds:g} s."
        )


def extension_parameters(params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "resolution": EXTEND_RESOLUTION, "durationSeconds": EXTEND_DURATION}


def video_part(path: str) -> dict[str, str]:
    """Vertex's inline video form: raw base64 plus its MIME type [V-SDK]."""
    try:
        with open(path, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
    except OSError as error:
        raise Rejected(f"The clip to extend could not be read ({error}).") from error
    return {"bytesBase64Encoded": data, "mimeType": "video/mp4"}


def build_gemini_submit(
    request: GenerationRequest,
    *,
    overrides: dict[str, str] | None = None,
    video: dict[str, str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """`video` is the earlier result as the Gemini API wants it ({"uri"}), for an extension."""
    model = api_model(request.model, GEMINI, overrides)
    instance = build_instance(request)
    params = gemini_parameters(request.params)
    if request.continues is not None:
        check_extension(request.continues, GEMINI)
        if not video:
            raise Rejected("The Gemini API extends only a Veo result it still holds; none given.")
        instance["video"] = video
        params = extension_parameters(params)
    body = {"instances": [instance], "parameters": params}
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
    model = api_model(request.model, VERTEX)
    parameters = dict(request.params)
    instance = build_instance(request)
    if request.continues is not None:
        check_extension(request.continues, VERTEX)
        if not request.continues.video_path:
            raise Rejected("Vertex AI extends a clip sent as bytes; the earlier result is missing.")
        instance["video"] = video_part(request.continues.video_path)
        parameters = extension_parameters(parameters)
    if output_gcs_uri:
        parameters["storageUri"] = output_gcs_uri
    body = {
        "instances": [instance],
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
    if isinstance(error, dict) and is_model_gone({"error": error}):
        raise ModelRetired(f"Veo: {error.get('message')}", raw=raw)
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


def sample_video(payload: dict[str, Any], index: int) -> dict[str, Any]:
    """The finished operation's sample `index` as the API gave it ({uri} or inline bytes)."""
    samples, _ = _samples(payload.get("response") or {})
    if index >= len(samples):
        raise Rejected("The finished Veo operation no longer holds that video.")
    return samples[index]


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


def is_out_of_credit(raw: Any) -> bool:
    """Money, not a limit that passes: the Gemini API's prepaid credits used up (a 429 worded
    "Your prepayment credits are depleted" [3P], no RetryInfo), or a Cloud project whose billing
    is off (ErrorInfo BILLING_DISABLED, Google's usual 403 [I]). A 429 that names a per-minute
    or per-day quota stays a wait: its message also says "billing details", so the words
    matched here are the prepaid ones only."""
    if any(d.get("reason") == "BILLING_DISABLED" for d in _details(raw)):
        return True
    error = raw.get("error") if isinstance(raw, dict) else None
    message = str(error.get("message") or "") if isinstance(error, dict) else ""
    return "prepayment credits" in message.lower()


# How Google words a model that is gone or not open to this account: the Gemini API's 404
# "models/X is not found for API version v1beta" [V-SDK tests] and, for a shut-down id, "is no
# longer available" [3P: the retirement notice]; Vertex's "Publisher Model `...` not found" [I].
_GONE_WORDS = ("no longer available", "not found for api version", "publisher model")


def is_model_gone(raw: Any) -> bool:
    error = raw.get("error") if isinstance(raw, dict) else None
    if not isinstance(error, dict):
        return False
    message = str(error.get("message") or "").lower()
    not_found = error.get("status") == "NOT_FOUND" or error.get("code") in (404, 5)
    return not_found and any(words in message for words in _GONE_WORDS)


def refine_error(error: ProviderError) -> ProviderError:
    """Google answers a bad API key with 400 INVALID_ARGUMENT + reason API_KEY_INVALID, and an
    account out of credit with a 429 or 403 that only its body tells apart."""
    if isinstance(error, Rejected) and is_model_gone(error.raw):
        return ModelRetired(
            f"{error.message} The model is gone or not open to this account: nothing was "
            "made or billed. Choose another Veo model or platform.",
            raw=error.raw,
        )
    if isinstance(error, Rejected) and any(
        d.get("reason") in ("API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED")
        for d in _details(error.raw)
    ):
        return AuthFailed(error.message, raw=error.raw)
    if isinstance(error, Transient | AuthFailed) and is_out_of_credit(error.raw):
        return QuotaExceeded(error.message, raw=error.raw)
    if isinstance(error, Transient) and error.retry_after is None:
        delay = retry_delay(error.raw)
        if delay is not None:
            return Transient(error.message, raw=error.raw, retry_after=delay)
    return error
