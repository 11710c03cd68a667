"""Veo 3.1 as the Gemini API (/gemini/...) and as Vertex AI (/vertex/...) answer it.

Gemini: `x-goog-api-key` (or `?key=`), POST /{v1beta|v1}/models/{model}:predictLongRunning,
GET /{version}/{operation name}, videos from the Files API (/{version}/files/{id}:download).
Vertex: a service account's JWT-bearer grant at /vertex/token gives the bearer token;
POST .../publishers/google/models/{model}:predictLongRunning and :fetchPredictOperation;
videos inline as base64, or at gs:// (served by a small GCS JSON API stand-in) with storageUri.
Both google-genai 2.x (Gemini, /v1beta) and 3.x (Vertex, /v1beta1) are served.
Free reads for a connection check: GET /{version}/models (Gemini ListModels) and
GET /v1/publishers/google/models/{model} (Vertex). Extension (instances[0].video) is taken
only for a video this simulator made, as Google extends only Veo's own. Retired ids answer
404 (`retire_model`); the Gemini API's -preview ids are retired from the start (§9, [3P]).

Error texts marked [I] are Google's usual wording recalled, not copied from a live answer.
"""

from __future__ import annotations

import base64
import binascii
import re
import weakref
from typing import Any
from urllib.parse import parse_qsl, unquote

import jwt

from providers.simulator.core import Job, Request, Response, Simulator

GEMINI_PREVIEW = {
    "veo-3.1-generate-preview",
    "veo-3.1-fast-generate-preview",
    "veo-3.1-lite-generate-preview",
}
VEO_GA = {"veo-3.1-generate-001", "veo-3.1-fast-generate-001", "veo-3.1-lite-generate-001"}
# [I] No official page names the Veo 3.1 id a Gemini key lists since the -preview shutdown
# (providers.md §9): the GA ids stand in for "the id the key lists" so the contract can run.
GEMINI_MODELS = GEMINI_PREVIEW | VEO_GA
VERTEX_MODELS = GEMINI_PREVIEW | VEO_GA
LAUNCH_STAGE = {"veo-3.1-lite-generate-001": "PUBLIC_PREVIEW"}
# Other models a Gemini key lists, so a check sees a realistic catalogue [I].
GEMINI_OTHER = ("gemini-3.5-flash", "gemini-3-pro-image", "gemini-3.1-flash-image")
PARAMETERS = {
    "sampleCount", "durationSeconds", "aspectRatio", "resolution", "personGeneration",
    "negativePrompt", "enhancePrompt", "seed", "generateAudio", "fps", "storageUri",
    "pubsubTopic", "compressionQuality", "resizeMode",
}  # fmt: skip
GEMINI_REFUSED = ("seed", "generateAudio", "fps", "storageUri", "pubsubTopic")
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp"}
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_TTL = 3599
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
GEMINI_RESPONSE_TYPE = (
    "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse"
)

GEMINI_OP = re.compile(r"^/(v1beta|v1)/models/([^/:]+)(:predictLongRunning|/operations/([\w-]+))$")
GEMINI_FILE = re.compile(r"^/(v1beta|v1)/files/([a-z0-9]+):download$")
GEMINI_LIST = re.compile(r"^/(v1beta|v1)/models$")
VERTEX_PUBLISHER = re.compile(r"^/(v1|v1beta1)/publishers/google/models/([^/:]+)$")
VERTEX_MODEL = re.compile(
    r"^/(v1|v1beta1)/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+)"
    r":(predictLongRunning|fetchPredictOperation)$"
)
GCS_OBJECT = re.compile(r"^/storage/v1/b/([^/]+)/o/(.+)$")

# service-account email -> public key PEM, per simulator (see register_service_account)
_ACCOUNTS: weakref.WeakKeyDictionary[Simulator, dict[str, bytes]] = weakref.WeakKeyDictionary()
# per simulator: prefix -> model ids that answer 404 as shut down
_RETIRED: weakref.WeakKeyDictionary[Simulator, dict[str, set[str]]] = weakref.WeakKeyDictionary()
# simulators whose Vertex project refuses the service account (403 PERMISSION_DENIED)
_DENIED: weakref.WeakSet[Simulator] = weakref.WeakSet()


def retired(sim: Simulator, prefix: str) -> set[str]:
    return _RETIRED.setdefault(sim, {"gemini": set(GEMINI_PREVIEW), "vertex": set()})[prefix]


def retire_model(sim: Simulator, prefix: str, model: str, *, back: bool = False) -> None:
    """Make `model` answer as shut down on `prefix` ("gemini" | "vertex"), or serve it again."""
    (retired(sim, prefix).discard if back else retired(sim, prefix).add)(model)


def deny_vertex(sim: Simulator, denied: bool = True) -> None:
    """The Vertex project refuses the account: the API is off or it has no role [I]."""
    (_DENIED.add if denied else _DENIED.discard)(sim)


def model_gone(model: str) -> Response:
    # [3P] the shutdown notice quotes "is no longer available"; the rest is Google's usual [I].
    return google_error(
        404,
        "NOT_FOUND",
        f"models/{model} is no longer available. Please migrate to a supported model: see "
        "https://ai.google.dev/gemini-api/docs/deprecations.",
    )


def google_error(code: int, status: str, message: str, **extra: Any) -> Response:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    error.update(extra)
    return Response(code, {"error": error})


def invalid(message: str) -> Response:
    return google_error(400, "INVALID_ARGUMENT", message)


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "gemini")
    if prefix == "vertex":
        return handle_vertex(sim, request)
    return handle_gemini(sim, request)


# --- faults ---------------------------------------------------------------------------------
def create_fault(sim: Simulator, prefix: str, project: str = "") -> Response | None:
    kinds = ("rate_limit", "server_error", "unavailable", "timeout", "malformed", "busy", "quota")
    fault = sim.next_fault(prefix, kinds=kinds)
    if fault == "quota":
        return out_of_credit(prefix, project)
    if fault in ("rate_limit", "server_error", "malformed"):
        return status_fault(fault)
    if fault == "unavailable":
        return google_error(503, "UNAVAILABLE", "The service is currently unavailable.")
    if fault == "timeout":
        return Response(200, {}, delay=sim.timeout_seconds + 1)
    if fault == "busy":
        # Google has no "throttled" state: an account over its concurrent-request quota gets
        # 429 RESOURCE_EXHAUSTED with a RetryInfo detail and no Retry-After header [I].
        return google_error(
            429,
            "RESOURCE_EXHAUSTED",
            "Resource has been exhausted (e.g. check quota).",
            details=[{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"}],
        )
    return None


def out_of_credit(prefix: str, project: str) -> Response:
    if prefix == "vertex":
        # A Cloud project without (or with a closed) billing account: Google's usual 403 with
        # ErrorInfo BILLING_DISABLED [I, recalled]; Vertex has no prepaid credit to run out of.
        return google_error(
            403,
            "PERMISSION_DENIED",
            "This API method requires billing to be enabled. Please enable billing on project "
            f"{project} by visiting https://console.developers.google.com/billing/enable?"
            f"project={project} then retry.",
            details=[
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "BILLING_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {"service": "aiplatform.googleapis.com"},
                }
            ],
        )
    # The Gemini API's prepaid billing run dry: a 429 like a rate limit, but no RetryInfo and no
    # Retry-After, since waiting does not help [3P: the body many integrations log and test].
    return google_error(
        429,
        "RESOURCE_EXHAUSTED",
        "Your prepayment credits are depleted. Please go to AI Studio at "
        "https://ai.studio/projects to manage your project and billing.",
    )


def status_fault(fault: str | None) -> Response | None:
    if fault == "rate_limit":
        response = google_error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
        )
        response.headers["Retry-After"] = "2"
        return response
    if fault == "server_error":
        return google_error(500, "INTERNAL", "Internal error encountered.")
    if fault == "malformed":
        return Response(200, b"<html><body>upstream connect error</body></html>")
    return None


# --- validation (both platforms) ------------------------------------------------------------
def check_image(part: Any, where: str, *, gcs_allowed: bool) -> str | None:
    if not isinstance(part, dict):
        return f"Invalid value at '{where}': expected an image object."
    if "gcsUri" in part:
        if not gcs_allowed:
            return f"gcsUri isn't supported by this API: send '{where}.bytesBase64Encoded'."
        return None
    data = part.get("bytesBase64Encoded")
    if not isinstance(data, str) or not data:
        return f"'{where}.bytesBase64Encoded' is required."
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return (
            f"Invalid value at '{where}.bytes_base64_encoded' (TYPE_BYTES), Base64 decoding failed."
        )
    if part.get("mimeType") not in IMAGE_TYPES:
        return f"Unsupported MIME type for '{where}': {part.get('mimeType')!r}."
    return None


def check_video(sim: Simulator | None, part: Any, *, vertex: bool) -> str | None:
    """An extension's input: only a video this simulator made counts as Veo's own [I]."""
    if not isinstance(part, dict):
        return "Invalid value at 'instances[0].video': expected a video object."
    not_veo = "The input video must be a video generated by Veo."  # [I]
    if sim is None:
        return None
    if "uri" in part and not vertex:
        match = GEMINI_FILE.match(
            str(part["uri"]).split("?")[0].removeprefix(f"{sim.base_url}/gemini")
        )
        job = match and next(
            (
                j
                for j in list(sim.jobs.values())
                if j.provider == "gemini" and gemini_file_id(j) == match.group(2)
            ),
            None,
        )
        return None if job and sim.state_of(job) == "succeeded" else not_veo
    if "gcsUri" in part and vertex:
        jobs = [j for j in list(sim.jobs.values()) if j.provider == "vertex"]
        owned = any(
            storage_uri(j) == part["gcsUri"] and sim.state_of(j) == "succeeded" for j in jobs
        )
        return None if owned else not_veo
    field = "bytesBase64Encoded" if vertex else "encodedVideo"
    try:
        data = base64.b64decode(str(part.get(field) or ""), validate=True)
    except (binascii.Error, ValueError):
        return f"Invalid value at 'instances[0].video.{field}': Base64 decoding failed."
    with open(sim.video_path, "rb") as handle:
        return None if data and data == handle.read() else not_veo


def validate(body: Any, *, vertex: bool, sim: Simulator | None = None) -> str | None:
    """Google's checks that matter to us; the wording is [I] unless noted."""
    if not isinstance(body, dict):
        return "Invalid JSON payload received."
    instances = body.get("instances")
    if not isinstance(instances, list) or len(instances) != 1 or not isinstance(instances[0], dict):
        return "Exactly one instance is required in 'instances'."
    instance, parameters = instances[0], body.get("parameters") or {}
    if not isinstance(parameters, dict):
        return "Invalid value at 'parameters': expected an object."
    for name in parameters:
        if name not in PARAMETERS:  # the proto parser's real wording for an unknown field
            return (
                f"Invalid JSON payload received. Unknown name \"{name}\" at 'parameters': "
                "Cannot find field."
            )
    if not vertex:
        for name in GEMINI_REFUSED:
            if name in parameters:
                return f"`{name}` isn't supported by this model."
    if not (instance.get("prompt") or instance.get("image") or instance.get("video")):
        return "A prompt, an image or a video is required."
    for field in ("image", "lastFrame"):
        if field in instance:
            problem = check_image(instance[field], f"instances[0].{field}", gcs_allowed=vertex)
            if problem:
                return problem
    references = instance.get("referenceImages") or []
    if len(references) > 3:
        return "At most 3 reference images are supported."
    for index, reference in enumerate(references):
        where = f"instances[0].referenceImages[{index}].image"
        problem = check_image((reference or {}).get("image"), where, gcs_allowed=vertex)
        if problem:
            return problem
        kind = (reference or {}).get("referenceType", "ASSET")
        if kind != "ASSET" and not (vertex and kind == "STYLE"):
            return f"referenceType {kind!r} isn't supported by this model."
    if references and ("image" in instance or "lastFrame" in instance):
        return "referenceImages can't be combined with image or lastFrame."
    if "lastFrame" in instance and "image" not in instance:
        return "lastFrame requires image (the first frame)."
    duration = parameters.get("durationSeconds", 8)
    if duration not in (4, 6, 8) or isinstance(duration, bool):
        return f"The duration {duration!r} isn't supported. Supported durations: 4, 6, 8 seconds."
    if parameters.get("aspectRatio", "16:9") not in ("16:9", "9:16"):
        return f"Aspect ratio {parameters.get('aspectRatio')!r} isn't supported: use 16:9 or 9:16."
    resolution = parameters.get("resolution", "720p")
    if resolution not in ("720p", "1080p", "4k"):
        return f"Resolution {resolution!r} isn't supported: use 720p, 1080p or 4k."
    if duration != 8 and (resolution != "720p" or references):
        return "1080p, 4k and reference images need durationSeconds 8."
    if "video" in instance:
        if any(field in instance for field in ("image", "lastFrame", "referenceImages")):
            return "video can't be combined with image, lastFrame or referenceImages."
        if resolution != "720p" or duration != 8:
            return "Video extension supports 720p and durationSeconds 8 only."  # [3P] values
        return check_video(sim, instance["video"], vertex=vertex)
    storage = parameters.get("storageUri")
    if storage is not None and not str(storage).startswith("gs://"):
        return "storageUri must be a gs:// URI."
    return None


# --- Gemini API -----------------------------------------------------------------------------
def gemini_auth(sim: Simulator, request: Request) -> Response | None:
    key = request.headers.get("x-goog-api-key") or request.query.get("key")
    if not key:
        return google_error(
            403,
            "PERMISSION_DENIED",
            "Method doesn't allow unregistered callers (callers without established identity)."
            " Please use API Key or other form of API consumer identity to call this API.",
        )
    if key != sim.credentials["gemini"]:
        # The real answer to a wrong key is a 400, not a 401.
        return google_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            details=[
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            ],
        )
    return None


def handle_gemini(sim: Simulator, request: Request) -> Response | None:
    file_match = GEMINI_FILE.match(request.path)
    op_match = GEMINI_OP.match(request.path)
    list_match = GEMINI_LIST.match(request.path)
    if not (file_match or op_match or list_match):
        return None
    refused = gemini_auth(sim, request)
    if refused:
        return refused
    if list_match:
        return gemini_models(sim, request) if request.method == "GET" else None
    if file_match:
        return gemini_file(sim, file_match.group(2)) if request.method == "GET" else None
    version, model, action, job_id = op_match.groups()  # type: ignore[union-attr]
    if model in retired(sim, "gemini"):
        return model_gone(model)
    if action == ":predictLongRunning" and request.method == "POST":
        if model not in GEMINI_MODELS:
            return google_error(
                404,
                "NOT_FOUND",
                f"models/{model} is not found for API version {version}, or is not supported "
                "for predictLongRunning. Call ListModels to see the list of available models "
                "and their supported methods.",
            )
        fault = create_fault(sim, "gemini")
        if fault:
            return fault
        problem = validate(request.json, vertex=False, sim=sim)
        if problem:
            return invalid(problem)
        job = sim.create_job("gemini", model, request.json)
        hooks = (request.json.get("webhookConfig") or {}).get("uris") or []
        if hooks:
            # The finished operation, as a status read returns it [I: the 2026 webhook body is
            # not in the sources read].
            sim.callbacks.watch(job, hooks, lambda: gemini_operation(sim, job, version))
        return Response(200, {"name": f"models/{model}/operations/{job.id}"})
    if job_id and request.method == "GET":
        fault = status_fault(
            sim.next_fault("gemini", kinds=("rate_limit", "server_error", "malformed"))
        )
        if fault:
            return fault
        job = sim.find("gemini", job_id)
        if job is None or job.model != model:
            return google_error(
                404, "NOT_FOUND", f"Operation models/{model}/operations/{job_id} not found."
            )
        return Response(200, gemini_operation(sim, job, version))
    return None


def gemini_models(sim: Simulator, request: Request) -> Response:
    """ListModels: what the key may call, `pageSize` at a time [V-SDK field names]."""
    served = sorted(GEMINI_MODELS - retired(sim, "gemini")) + list(GEMINI_OTHER)
    entries = [
        {
            "name": f"models/{model}",
            "displayName": model,
            "supportedGenerationMethods": (
                ["predictLongRunning"] if model.startswith("veo-") else ["generateContent"]
            ),
        }
        for model in served
    ]
    try:
        size = max(1, min(int(request.query.get("pageSize") or 50), 1000))
        start = int(request.query.get("pageToken") or 0)
    except ValueError:
        return invalid("Invalid pageSize or pageToken.")
    page: dict[str, Any] = {"models": entries[start : start + size]}
    if start + size < len(entries):
        page["nextPageToken"] = str(start + size)
    return Response(200, page)


def gemini_file_id(job: Job) -> str:
    return job.id.replace("-", "")  # Files API ids are [a-z0-9]+ (the SDK parses them so)


def gemini_operation(sim: Simulator, job: Job, version: str) -> dict[str, Any]:
    name = f"models/{job.model}/operations/{job.id}"
    state = sim.observe(job)
    if state in ("queued", "running"):
        return {"name": name}  # no `done` until it is: the real operation leaves it out
    if state == "failed":
        message = "Video generation failed due to an internal error. Please try again."
        return {"name": name, "done": True, "error": {"code": 13, "message": message}}
    verdict: dict[str, Any]
    if state == "rejected":
        verdict = {
            "raiMediaFilteredCount": 1,
            "raiMediaFilteredReasons": [
                "We encountered an issue with the audio or video for your prompt. You have not "
                "been charged for this request. Try rephrasing your prompt."  # [I]
            ],
        }
    else:
        uri = f"{sim.base_url}/gemini/{version}/files/{gemini_file_id(job)}:download?alt=media"
        verdict = {"generatedSamples": [{"video": {"uri": uri}}]}
    return {
        "name": name,
        "done": True,
        "response": {
            "@type": GEMINI_RESPONSE_TYPE,
            "generateVideoResponse": verdict,
        },
    }


def gemini_file(sim: Simulator, file_id: str) -> Response:
    for job in list(sim.jobs.values()):
        if job.provider == "gemini" and gemini_file_id(job) == file_id:
            path = sim.file_for(job.file_token)
            if path and sim.state_of(job) == "succeeded":
                return Response(200, file=path, headers={"Content-Type": "video/mp4"})
            break
    # Files are deleted after about two days; what is gone answers as never there.
    return google_error(404, "NOT_FOUND", f"File files/{file_id} not found.")


# --- Vertex AI ------------------------------------------------------------------------------
def handle_vertex(sim: Simulator, request: Request) -> Response | None:
    if request.path == "/token" and request.method == "POST":
        return token(sim, request)
    model_match = VERTEX_MODEL.match(request.path)
    gcs_match = GCS_OBJECT.match(request.path)
    publisher_match = VERTEX_PUBLISHER.match(request.path)
    if not (model_match or gcs_match or publisher_match) or request.method not in ("GET", "POST"):
        return None
    if request.headers.get("authorization", "") != f"Bearer {sim.credentials['vertex']}":
        return google_error(
            401,
            "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, "
            "login cookie or other valid authentication credential. See "
            "https://developers.google.com/identity/sign-in/web/devconsole-project.",
        )
    if gcs_match:
        return gcs_object(sim, unquote(gcs_match.group(1)), unquote(gcs_match.group(2)))
    if sim in _DENIED:
        return google_error(
            403,
            "PERMISSION_DENIED",
            "Permission 'aiplatform.endpoints.predict' denied on resource (or it may not exist).",
        )
    if publisher_match:
        return publisher_model(sim, publisher_match.group(2)) if request.method == "GET" else None
    _, project, location, model, action = model_match.groups()  # type: ignore[union-attr]
    if model not in VERTEX_MODELS or model in retired(sim, "vertex"):
        return google_error(
            404,
            "NOT_FOUND",
            f"Publisher Model `projects/{project}/locations/{location}/publishers/google/"
            f"models/{model}` not found.",
        )
    if action == "predictLongRunning":
        fault = create_fault(sim, "vertex", project)
        if fault:
            return fault
        problem = validate(request.json, vertex=True, sim=sim)
        if problem:
            return invalid(problem)
        job = sim.create_job("vertex", model, request.json)
        job.external_id = str((request.json.get("labels") or {}).get("shot_studio_take", ""))
        resource = f"projects/{project}/locations/{location}/publishers/google/models/{model}"
        return Response(200, {"name": f"{resource}/operations/{job.id}"})
    fault = status_fault(
        sim.next_fault("vertex", kinds=("rate_limit", "server_error", "malformed"))
    )
    if fault:
        return fault
    name = str((request.json or {}).get("operationName") or "")
    job = sim.find("vertex", name.rpartition("/operations/")[2])
    if job is None or not name.startswith(request.path.split(":")[0].split("/", 2)[2]):
        return google_error(404, "NOT_FOUND", f"Operation {name} not found.")
    return Response(200, vertex_operation(sim, job, name))


def publisher_model(sim: Simulator, model: str) -> Response:
    """GET publishers/google/models/{model}: a free read of the model card [V: field names]."""
    if model not in VERTEX_MODELS or model in retired(sim, "vertex"):
        return google_error(
            404, "NOT_FOUND", f"Publisher Model `publishers/google/models/{model}` not found."
        )
    return Response(
        200,
        {
            "name": f"publishers/google/models/{model}",
            "versionId": "001",
            "openSourceCategory": "PROPRIETARY",
            "launchStage": LAUNCH_STAGE.get(model, "GA"),
        },
    )


def storage_uri(job: Job) -> str:
    storage = str((job.request.get("parameters") or {}).get("storageUri") or "")
    return f"{storage.rstrip('/')}/{job.id}/sample_0.mp4" if storage else ""


def vertex_operation(sim: Simulator, job: Job, name: str) -> dict[str, Any]:
    state = sim.observe(job)
    if state in ("queued", "running"):
        return {"name": name}
    if state == "failed":
        message = "Video generation failed due to an internal error. Please try again."
        return {"name": name, "done": True, "error": {"code": 13, "message": message}}
    response: dict[str, Any] = {
        "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"
    }
    if state == "rejected":
        response["raiMediaFilteredCount"] = 1
        response["raiMediaFilteredReasons"] = [
            "Unable to show generated videos. All videos were filtered out because they "
            "violated Vertex AI's usage guidelines."  # [I]
        ]
        return {"name": name, "done": True, "response": response}
    storage = (job.request.get("parameters") or {}).get("storageUri")
    if storage:
        uri = f"{storage.rstrip('/')}/{job.id}/sample_0.mp4"
        response["videos"] = [{"gcsUri": uri, "mimeType": "video/mp4"}]
    else:
        with open(sim.video_path, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
        response["videos"] = [{"bytesBase64Encoded": data, "mimeType": "video/mp4"}]
    return {"name": name, "done": True, "response": response}


def gcs_object(sim: Simulator, bucket: str, obj: str) -> Response:
    """GET storage/v1/b/{bucket}/o/{object}?alt=media for what a job wrote under storageUri."""
    for job in list(sim.jobs.values()):
        storage = str((job.request.get("parameters") or {}).get("storageUri") or "")
        expected = f"{storage.rstrip('/')}/{job.id}/sample_0.mp4"
        if job.provider == "vertex" and storage and expected == f"gs://{bucket}/{obj}":
            path = sim.file_for(job.file_token)
            if path and sim.state_of(job) == "succeeded":
                return Response(200, file=path, headers={"Content-Type": "video/mp4"})
            break
    return google_error(404, "NOT_FOUND", f"No such object: {bucket}/{obj}")


# --- the OAuth token endpoint ---------------------------------------------------------------
def register_service_account(sim: Simulator, info: dict[str, Any]) -> None:
    """Let this simulator verify grants signed by `info`'s key (as Google checks the SA's key)."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _ACCOUNTS.setdefault(sim, {})[info["client_email"]] = public


def service_account_info(sim: Simulator, *, project: str = "sim-project") -> dict[str, Any]:
    """A fresh service-account JSON whose token_uri is this simulator, already registered."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": "sim-key-1",
        "private_key": pem,
        "client_email": f"studio@{project}.iam.gserviceaccount.com",
        "client_id": "100000000000000000001",
        "token_uri": f"{sim.base_url}/vertex/token",
    }
    register_service_account(sim, info)
    return info


def oauth_error(error: str, description: str) -> Response:
    return Response(400, {"error": error, "error_description": description})


def token(sim: Simulator, request: Request) -> Response:
    form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
    if form.get("grant_type") != JWT_BEARER:
        return oauth_error(
            "unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type", "")
        )
    assertion = form.get("assertion", "")
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return oauth_error("invalid_grant", "Invalid JWT: could not be parsed.")
    public = _ACCOUNTS.get(sim, {}).get(str(claims.get("iss")))
    if public is None:
        return oauth_error("invalid_grant", "Invalid grant: account not found")
    try:
        jwt.decode(
            assertion,
            public,
            algorithms=["RS256"],
            # google-auth always signs for Google's endpoint, whatever token_uri says.
            audience=[GOOGLE_TOKEN_AUDIENCE, f"{sim.base_url}/vertex/token"],
            options={"require": ["iss", "aud", "iat", "exp"]},
            leeway=30,
        )
    except jwt.InvalidSignatureError:
        return oauth_error("invalid_grant", "Invalid JWT Signature.")
    except jwt.PyJWTError as error:
        return oauth_error("invalid_grant", f"Invalid JWT: {error}")
    if claims["exp"] - claims["iat"] > 3600:
        return oauth_error("invalid_grant", "Invalid JWT: Token must be a short-lived token.")
    if "https://www.googleapis.com/auth/cloud-platform" not in str(claims.get("scope", "")).split():
        return oauth_error("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
    return Response(
        200,
        {
            "access_token": sim.credentials["vertex"],
            "expires_in": TOKEN_TTL,
            "token_type": "Bearer",
        },
        headers={"Cache-Control": "no-store"},
    )
