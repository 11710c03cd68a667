"""The four image APIs the studio makes hero frames with, as the simulator speaks them (§13).

Gemini/Vertex `:generateContent` and Seedream `POST /images/generations` answer at once with
the image (inline base64, or a link); Runway `POST /v1/text_to_image` and Higgsfield Soul
`POST /higgsfield-ai/soul/standard` make a task that the providers' own status reads follow,
with an image where a video would be. Every result is a real small PNG in the requested shape,
served at /files/<token>.png. Bodies are checked strictly: a field the docs do not list is
refused in each provider's own error form, so an adapter cannot drift from the contract.
Faults: the usual create faults; "moderation" refuses the image as each API does.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import secrets
import time
import uuid
import weakref
from typing import Any

from PIL import Image

from providers.simulator import higgsfield, runway, seedance, veo
from providers.simulator.core import Job, Request, Response, Simulator

LONG_SIDE = 256  # pixels: small, but in exactly the asked ratio
# Per simulator: file token -> PNG bytes.
_FILES: weakref.WeakKeyDictionary[Simulator, dict[str, bytes]] = weakref.WeakKeyDictionary()


def handle(sim: Simulator, prefix: str, request: Request) -> Response | None:
    """The server asks here first; None lets the provider's own module answer."""
    if prefix == "files":
        return _file(sim, request)
    handler = {
        "gemini": _gemini,
        "vertex": _gemini,
        "seedance": _seedream,
        "runway": _runway,
        "higgsfield": _soul,
    }.get(prefix)
    return handler(sim, prefix, request) if handler else None


# --- results ----------------------------------------------------------------------------------
def png(width: int, height: int) -> bytes:
    """A PNG of `width`:`height`, its long side LONG_SIDE; a random flat colour per image."""
    scale = LONG_SIDE / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    colour = tuple(secrets.randbelow(200) + 30 for _ in range(3))
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _store(sim: Simulator, data: bytes, token: str = "") -> str:
    token = token or secrets.token_urlsafe(12)
    _FILES.setdefault(sim, {})[token] = data
    return f"{sim.base_url}/files/{token}.png"


def _file(sim: Simulator, request: Request) -> Response | None:
    token = request.path.strip("/")
    if not token.endswith(".png") or request.method not in ("GET", "HEAD"):
        return None
    token = token.removesuffix(".png")
    data = _FILES.get(sim, {}).get(token)
    if data is None:
        return None  # not a still: the server's own /files/ answers
    if token in sim.expired or token.removesuffix("-still") in sim.expired:
        return Response(403, {"error": "This link has expired."})
    return Response(200, data, {"Content-Type": "image/png"})


def _ratio(text: str, sep: str) -> tuple[int, int]:
    width, _, height = text.partition(sep)
    return int(width), int(height)


def _record(sim: Simulator, prefix: str, body: dict[str, Any]) -> None:
    with sim.lock:
        sim.submissions.append((prefix, body))


# --- Gemini API and Vertex AI: generateContent ------------------------------------------------
GEMINI_PATH = re.compile(r"^/(v1beta|v1)/models/([^/:]+):generateContent$")
VERTEX_PATH = re.compile(
    r"^/(v1|v1beta1)/projects/[^/]+/locations/[^/]+/publishers/google/models/([^/:]+)"
    r":generateContent$"
)
IMAGE_MODELS = {"gemini-3-pro-image"}  # the GA id (reference §9); others answer 404
GEMINI_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
IMAGE_SIZES = ("1K", "2K", "4K")
BODY_FIELDS = {
    "contents", "generationConfig", "safetySettings", "systemInstruction", "tools",
    "toolConfig", "cachedContent",
}  # fmt: skip
CONFIG_FIELDS = {
    "responseModalities", "imageConfig", "temperature", "topP", "topK", "candidateCount",
    "maxOutputTokens", "stopSequences", "seed", "thinkingConfig",
}  # fmt: skip
# [V-SDK: google-genai 3.4 ImageConfig; the last four are "not supported in Gemini API"]
IMAGE_CONFIG = {"aspectRatio", "imageSize", "personGeneration"}
VERTEX_IMAGE_CONFIG = IMAGE_CONFIG | {
    "prominentPeople", "outputMimeType", "outputCompressionQuality", "imageOutputOptions",
}  # fmt: skip
MAX_IMAGES = 14
OUTPUT_TOKENS = {"1K": 1120, "2K": 1120, "4K": 2000}  # [3P: Google's pricing page, 2026]


def _gemini(sim: Simulator, prefix: str, request: Request) -> Response | None:
    vertex = prefix == "vertex"
    match = (VERTEX_PATH if vertex else GEMINI_PATH).match(request.path)
    if not match or request.method != "POST":
        return None
    if vertex:
        if request.headers.get("authorization", "") != f"Bearer {sim.credentials['vertex']}":
            return veo.google_error(401, "UNAUTHENTICATED", "Request had invalid credentials.")
    else:
        denied = veo.gemini_auth(sim, request)
        if denied:
            return denied
    model = match.group(2)
    if model not in IMAGE_MODELS:
        return veo.google_error(
            404,
            "NOT_FOUND",
            f"models/{model} is not found for API version {match.group(1)}, or is not "
            "supported for generateContent.",
        )
    refused = veo.create_fault(sim, prefix)
    if refused:
        return refused
    body = request.json
    problem = gemini_problem(body, vertex=vertex)
    if problem:
        return veo.invalid(problem)
    _record(sim, prefix, body)
    config = body.get("generationConfig", {}).get("imageConfig", {})
    size = config.get("imageSize", "1K")
    fault = sim.next_fault(prefix, kinds=("moderation", "fail"))
    answer: dict[str, Any] = {
        "modelVersion": model,
        "responseId": secrets.token_urlsafe(16),
        "usageMetadata": {"promptTokenCount": 40, "candidatesTokenCount": 0},
    }
    if fault == "moderation":
        # [I] the shape a filtered image comes back in: no parts, the reason, Google's words.
        answer["candidates"] = [
            {
                "finishReason": "IMAGE_SAFETY",
                "finishMessage": "Unable to show the generated image: it was flagged for "
                "potentially violating the usage policies.",
                "index": 0,
            }
        ]
        return Response(200, answer)
    if fault == "fail":
        answer["candidates"] = [
            {
                "content": {"role": "model", "parts": [{"text": "I can't draw that right now."}]},
                "finishReason": "NO_IMAGE",
                "index": 0,
            }
        ]
        return Response(200, answer)
    data = png(*_ratio(config.get("aspectRatio", "1:1"), ":"))
    part = {"inlineData": {"mimeType": "image/png", "data": base64.b64encode(data).decode()}}
    answer["candidates"] = [
        {"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}
    ]
    answer["usageMetadata"]["candidatesTokenCount"] = OUTPUT_TOKENS[size]
    return Response(200, answer)


def gemini_problem(body: Any, *, vertex: bool) -> str:
    """Google's "Invalid JSON payload" wording for unknown fields [I, recalled]; "" when valid."""
    if not isinstance(body, dict):
        return "Invalid JSON payload received. Expected an object."
    for name in body:
        if name not in BODY_FIELDS and not (vertex and name == "labels"):
            return f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.'
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        return "* GenerateContentRequest.contents: contents is not specified"
    images = 0
    for content in contents:
        parts = content.get("parts") if isinstance(content, dict) else None
        if not isinstance(parts, list) or not parts:
            return "* GenerateContentRequest.contents.parts: contents.parts must not be empty."
        for part in parts:
            inline = part.get("inlineData") if isinstance(part, dict) else None
            if inline is None:
                if not isinstance(part, dict) or not isinstance(part.get("text"), str):
                    return "* GenerateContentRequest.contents.parts: unsupported part."
                continue
            images += 1
            if inline.get("mimeType") not in veo.IMAGE_TYPES:
                return f"Unsupported MIME type: {inline.get('mimeType')}"
            try:
                base64.b64decode(str(inline.get("data", "")), validate=True)
            except (binascii.Error, ValueError):
                return "Invalid value at 'contents.parts.inline_data.data' (TYPE_BYTES)."
    if images > MAX_IMAGES:
        return f"Too many images: at most {MAX_IMAGES} input images are supported."
    config = body.get("generationConfig") or {}
    for name in config:
        if name not in CONFIG_FIELDS:
            return (
                f'Invalid JSON payload received. Unknown name "{name}" at '
                "'generation_config': Cannot find field."
            )
    modalities = config.get("responseModalities") or []
    if "IMAGE" not in modalities or any(m not in ("TEXT", "IMAGE") for m in modalities):
        return "This model only supports response modalities IMAGE and TEXT, including IMAGE."
    image_config = config.get("imageConfig") or {}
    allowed = VERTEX_IMAGE_CONFIG if vertex else IMAGE_CONFIG
    for name in image_config:
        if name not in allowed:
            return (
                f'Invalid JSON payload received. Unknown name "{name}" at '
                "'generation_config.image_config': Cannot find field."
            )
    if image_config.get("aspectRatio", "1:1") not in GEMINI_RATIOS:
        return f"Unsupported aspect ratio: {image_config.get('aspectRatio')}."
    if image_config.get("imageSize", "1K") not in IMAGE_SIZES:
        return f"Unsupported image size: {image_config.get('imageSize')}. Use 1K, 2K or 4K."
    return ""


# --- Seedream on ModelArk: POST /api/v3/images/generations -----------------------------------
SEEDREAM_PATH = f"{seedance.API}/images/generations"
SEEDREAM_MODELS = {"seedream-4-5-251128"}
SEEDREAM_FIELDS = {
    "model", "prompt", "image", "size", "sequential_image_generation",
    "sequential_image_generation_options", "stream", "response_format", "watermark",
    "optimize_prompt_options",
}  # fmt: skip
PRESETS = {"2K": (2048, 2048), "4K": (4096, 4096)}
PIXELS = (2560 * 1440, 4096 * 4096)  # 4.5's total pixel range [3P]
DATA_URI = re.compile(r"^data:image/(png|jpeg|jpg|webp|bmp|tiff|gif);base64,(.+)$", re.S)


def _seedream(sim: Simulator, prefix: str, request: Request) -> Response | None:
    if request.path != SEEDREAM_PATH or request.method != "POST":
        return None
    if request.headers.get("authorization", "") != f"Bearer {sim.credentials['seedance']}":
        return seedance.error(
            401,
            "AuthenticationError",
            "The API key or AK/SK in the request is missing or invalid.",
            "Unauthorized",
        )
    kinds = ("rate_limit", "busy", "quota", "server_error", "unavailable", "timeout", "malformed")
    refused = seedance._fault_response(sim, sim.next_fault(prefix, kinds=kinds))
    if refused:
        return refused
    body = request.json
    problem = seedream_problem(body)
    if problem:
        return problem
    body = {k: v for k, v in body.items() if v is not None}
    _record(sim, prefix, body)
    fault = sim.next_fault(prefix, kinds=("moderation", "fail"))
    if fault == "moderation":
        # [V-3P] the code every moderation refusal carries (§4.5): SensitiveContentDetected.
        return seedance.error(
            400,
            "OutputImageSensitiveContentDetected",
            "The request failed because the output image may contain sensitive information.",
            "BadRequest",
        )
    size = body.get("size", "2K")
    width, height = PRESETS.get(size) or _ratio(size, "x")
    usage = {"generated_images": 1, "output_tokens": width * height // 256}
    usage["total_tokens"] = usage["output_tokens"]
    answer: dict[str, Any] = {"model": body["model"], "created": int(time.time()), "usage": usage}
    if fault == "fail":
        error = {"code": "InternalServiceError", "message": "The image could not be generated."}
        answer["data"] = [{"error": error}]
        answer["usage"] = {"generated_images": 0, "output_tokens": 0, "total_tokens": 0}
        return Response(200, answer)
    data = png(width, height)
    item: dict[str, Any] = {"size": f"{width}x{height}"}
    if body.get("response_format", "url") == "b64_json":
        item["b64_json"] = base64.b64encode(data).decode()
    else:
        item["url"] = _store(sim, data)
    answer["data"] = [item]
    return Response(200, answer)


def seedream_problem(body: Any) -> Response | None:
    if not isinstance(body, dict):
        return seedance.invalid("body", "the request body must be a JSON object")
    # The Ark SDK sends every argument it has, null when not given: null reads as absent.
    body = {k: v for k, v in body.items() if v is not None}
    for name in body:
        if name not in SEEDREAM_FIELDS:
            # seed and guidance_scale are Seedream 3.0's only; 4.x refuses them [3P].
            return seedance.invalid(name, "the parameter is not supported by this model")
    if body.get("model") not in SEEDREAM_MODELS:
        return seedance.error(
            404,
            "InvalidEndpointOrModel.NotFound",
            f"The model or endpoint {body.get('model')} does not exist or you do not have "
            "access to it.",
            "NotFound",
        )
    if not isinstance(body.get("prompt"), str) or not body["prompt"].strip():
        return seedance.invalid("prompt", "prompt is required")
    size = body.get("size", "2K")
    if size not in PRESETS:
        match = re.fullmatch(r"(\d+)x(\d+)", str(size))
        if not match:
            return seedance.invalid("size", "use 2K, 4K or WIDTHxHEIGHT")
        width, height = int(match.group(1)), int(match.group(2))
        if not PIXELS[0] <= width * height <= PIXELS[1] or not 1 / 16 <= width / height <= 16:
            return seedance.invalid("size", "total pixels must be in [3686400, 16777216]")
    images = body.get("image")
    if images is not None:
        images = [images] if isinstance(images, str) else images
        if not isinstance(images, list) or not 1 <= len(images) <= 14:
            return seedance.invalid("image", "between 1 and 14 images are supported")
        for image in images:
            if not isinstance(image, str) or not (
                image.startswith("https://") or DATA_URI.match(image)
            ):
                return seedance.invalid("image", "an image must be a URL or a base64 data URI")
    if body.get("sequential_image_generation", "disabled") not in ("auto", "disabled"):
        return seedance.invalid("sequential_image_generation", "use auto or disabled")
    if body.get("response_format", "url") not in ("url", "b64_json"):
        return seedance.invalid("response_format", "use url or b64_json")
    for name in ("watermark", "stream"):
        if name in body and not isinstance(body[name], bool):
            return seedance.invalid(name, "must be a boolean")
    return None


# --- Runway: POST /v1/text_to_image, then GET /v1/tasks/{id} ---------------------------------
RUNWAY_MODELS = ("gen4_image",)
RUNWAY_FIELDS = {"model", "promptText", "ratio", "referenceImages", "seed", "contentModeration"}
RUNWAY_RATIOS = (
    "1024:1024",
    "1080:1080",
    "1168:880",
    "1360:768",
    "1440:1080",
    "1080:1440",
    "1808:768",
    "1920:1080",
    "1080:1920",
    "2112:912",
    "1280:720",
    "720:1280",
    "720:720",
    "960:720",
    "720:960",
    "1680:720",
)  # fmt: skip  [V: runwayml SDK 5.24 Gen4Image]
TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,15}$")
# [3P: Runway's pricing page as integrators quote it, 2026] 5 credits at 720p, 8 at 1080p.
RUNWAY_CREDITS = {720: 5, 1080: 8}


def _runway(sim: Simulator, prefix: str, request: Request) -> Response | None:
    task = runway.TASK_PATH.match(request.path)
    if task and request.method == "GET":
        job = sim.find(prefix, task.group(1))
        if job is None or job.model not in RUNWAY_MODELS or job.id in runway._DELETED:
            return None  # the ordinary task read answers (or 404s)
        denied = runway._check_auth(sim, prefix, request)
        if denied:
            return denied
        answer = runway._status(sim, prefix, job)  # status faults as for a video task
        if answer.status == 200 and isinstance(answer.body, dict):
            answer.body = _runway_still(sim, job, answer.body)
        return answer
    if request.path != "/v1/text_to_image":
        return None
    denied = runway._check_auth(sim, prefix, request)
    if denied:
        return denied
    if request.method != "POST":
        return Response(405, {"error": "Method not allowed"})
    kinds = ("rate_limit", "server_error", "unavailable", "malformed", "quota")
    fault = sim.next_fault(prefix, kinds=kinds)
    if fault == "quota":
        return Response(400, {"error": runway.NO_CREDITS})
    if fault == "malformed":
        return Response(200, b"<html><body>upstream hiccup</body></html>")
    if fault:
        status = {"rate_limit": 429, "unavailable": 503}.get(fault, 500)
        return Response(status, {"error": "Service unavailable"}, {"Retry-After": "1"})
    body = request.json
    issues = runway_issues(body)
    if issues:
        return runway._invalid(issues)
    job = sim.create_job(prefix, body["model"], body)
    return Response(200, {"id": job.id})


def runway_issues(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return [{"code": "invalid_type", "path": [], "message": "Expected object"}]
    issues = [
        runway._issue("unrecognized_keys", name, f'Unrecognized key: "{name}"')
        for name in body
        if name not in RUNWAY_FIELDS
    ]
    if body.get("model") not in RUNWAY_MODELS:
        issues.append(runway._enum_issue("model", RUNWAY_MODELS))
    prompt = body.get("promptText")
    if not isinstance(prompt, str) or not prompt.strip():
        issues.append(runway._issue("too_small", "promptText", "Must be a non-empty string"))
    elif len(prompt.encode("utf-16-le")) // 2 > 1000:
        issues.append(runway._issue("too_big", "promptText", "Too big: expected <=1000"))
    if body.get("ratio") not in RUNWAY_RATIOS:
        issues.append(runway._enum_issue("ratio", RUNWAY_RATIOS))
    refs = body.get("referenceImages", [])
    if not isinstance(refs, list) or len(refs) > 3:
        issues.append(runway._issue("too_big", "referenceImages", "At most 3 reference images"))
        refs = []
    tags = [ref.get("tag") for ref in refs if isinstance(ref, dict) and "tag" in ref]
    for ref in refs:
        problem = runway._image_problem(ref.get("uri") if isinstance(ref, dict) else None)
        if problem:
            issues.append(runway._issue("custom", "referenceImages.uri", problem))
    if any(not isinstance(t, str) or not TAG.match(t) for t in tags) or len(set(tags)) < len(tags):
        issues.append(runway._issue("custom", "referenceImages.tag", "Invalid or repeated tag"))
    return issues


def _runway_still(sim: Simulator, job: Job, task: dict[str, Any]) -> dict[str, Any]:
    """The video task object with an image's price and an image for its output."""
    width, height = _ratio(job.request["ratio"], ":")
    credits = RUNWAY_CREDITS[720 if min(width, height) <= 720 else 1080]
    if "estimatedCost" in task:
        task["estimatedCost"] = {"credits": credits}
    if task["status"] == "SUCCEEDED":
        token = f"{job.file_token}-still"
        if token not in _FILES.get(sim, {}):
            _store(sim, png(width, height), token)
        url = f"{sim.base_url}/files/{token}.png?_jwt={uuid.uuid4().hex}"
        task.update(output=[url], cost={"credits": credits})
    return task


# --- Higgsfield Soul: POST /higgsfield-ai/soul/standard, then GET /requests/{id}/status ------
SOUL = "higgsfield-ai/soul/standard"
SOUL_FIELDS = {
    "prompt", "aspect_ratio", "resolution", "enhance_prompt", "batch_size", "seed", "style_id",
    "style_strength", "custom_reference_id", "custom_reference_strength",
}  # fmt: skip
SOUL_RATIOS = ("9:16", "16:9", "4:3", "3:4", "1:1", "2:3", "3:2")
SOUL_SHORT_SIDE = {"720p": 720, "1080p": 1080}


def _soul(sim: Simulator, prefix: str, request: Request) -> Response | None:
    base = f"{sim.base_url}/{prefix}"
    status = higgsfield.REQUEST_PATH.match(request.path)
    is_create = request.path.lstrip("/") == SOUL and request.method == "POST"
    if not is_create and not (status and status.group(2) == "status"):
        return None
    account = higgsfield._account(sim, request)
    if account is None:
        return Response(401, {"detail": "Invalid API credentials"})
    if status:
        job = sim.find(prefix, status.group(1))
        if job is None or job.model != SOUL or request.method != "GET":
            return None
        fault = sim.next_fault(prefix, kinds=higgsfield.POLL_FAULTS)
        if fault:
            return higgsfield._fault(fault, sim)
        return Response(200, _soul_status(sim, job, base))
    fault = sim.next_fault(prefix, kinds=higgsfield.CREATE_FAULTS)
    if fault:
        return higgsfield._fault(fault, sim)
    body = request.json
    errors = soul_errors(body)
    if errors:
        return Response(422, {"detail": errors})
    job = sim.create_job(prefix, SOUL, body)
    return higgsfield._accepted(sim, request, job, base, account, SOUL)


def soul_errors(body: Any) -> list[dict[str, Any]]:
    """FastAPI's 422 `detail` items, as the v2 API answers [V-SDK: error from `detail`]."""
    if not isinstance(body, dict):
        return [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid object"}]

    def error(kind: str, field: str, msg: str) -> dict[str, Any]:
        return {"type": kind, "loc": ["body", field], "msg": msg, "input": body.get(field)}

    errors = [
        error("extra_forbidden", name, "Extra inputs are not permitted")
        for name in body
        if name not in SOUL_FIELDS
    ]
    if not isinstance(body.get("prompt"), str) or not body["prompt"].strip():
        errors.append(error("missing", "prompt", "Field required"))
    if body.get("aspect_ratio", "1:1") not in SOUL_RATIOS:
        errors.append(error("enum", "aspect_ratio", f"Input should be one of {SOUL_RATIOS}"))
    if body.get("resolution", "720p") not in SOUL_SHORT_SIDE:
        errors.append(error("enum", "resolution", "Input should be '720p' or '1080p'"))
    if body.get("batch_size", 1) not in (1, 4):
        errors.append(error("enum", "batch_size", "Input should be 1 or 4"))
    if "enhance_prompt" in body and not isinstance(body["enhance_prompt"], bool):
        errors.append(error("bool_type", "enhance_prompt", "Input should be a valid boolean"))
    seed = body.get("seed", 1)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 1 <= seed <= 1_000_000:
        errors.append(error("int_range", "seed", "Input should be between 1 and 1000000"))
    return errors


def _soul_status(sim: Simulator, job: Job, base: str) -> dict[str, Any]:
    payload = higgsfield.status_object(sim, job, base)
    if payload.pop("video", None) is not None:
        width, height = _ratio(job.request.get("aspect_ratio", "1:1"), ":")
        token = f"{job.file_token}-still"
        url = f"{sim.base_url}/files/{token}.png"
        if token not in _FILES.get(sim, {}):
            url = _store(sim, png(width, height), token)
        payload["images"] = [{"url": url}]
    return payload
