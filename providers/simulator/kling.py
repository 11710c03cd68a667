"""Kling's developer API as the simulator speaks it (docs/providers.md section 3).

Same paths, the `{code, message, request_id, data}` envelope on every answer, the documented
HTTP status + service code pairs (401/100x auth, 400/1201 parameters, 429/1303 concurrency,
429/1102 out of credit, 5xx/500x), task objects that go submitted -> processing -> succeed |
failed, and moderation the way Kling does it after acceptance: `failed` with the reason in
task_status_msg. There is no cancel endpoint, as in the docs. Where Kling's exact wording is
not documented the messages below are the docs' own explanations of the code ([I]).

Auth follows §3.1: Kling 3.0 creates take the account's static API key as the bearer token,
older models the AK/SK JWT; a create with the other kind is refused 401/1002 with words saying
which key the model takes ([I]: Kling documents no code for it). Reads (query, list) take
either kind: a key identifies the account [I].

The simulator is deliberately stricter than Kling may be (unknown fields, a `duration` that is
not a string): anything it accepts the real API documents as valid.
"""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from typing import Any

import jwt

from providers.simulator.core import Job, Request, Response, Simulator

T2V_MODELS = (
    "kling-v1",
    "kling-v1-6",
    "kling-v2-master",
    "kling-v2-1-master",
    "kling-v2-5-turbo",
    "kling-v2-6",
    "kling-v3",
)
I2V_MODELS = (*T2V_MODELS, "kling-v1-5", "kling-v2-1")
COMMON_FIELDS = {
    "model_name",
    "model",  # legacy, means kling-v1
    "prompt",
    "negative_prompt",
    "cfg_scale",
    "mode",
    "sound",
    "camera_control",
    "duration",
    "multi_shot",
    "shot_type",
    "multi_prompt",
    "watermark_info",
    "callback_url",
    "external_task_id",
    "voice_list",
}
FIELDS = {
    "text2video": COMMON_FIELDS | {"aspect_ratio"},
    "image2video": COMMON_FIELDS
    | {"image", "image_tail", "static_mask", "dynamic_masks", "element_list"},
    # [3P: a copy of Kling's motion-control page; docs.comfy.org node] (kling/motion.py)
    "motion-control": {
        "model_name",
        "prompt",
        "image_url",
        "video_url",
        "keep_original_sound",
        "character_orientation",
        "mode",
        "callback_url",
        "external_task_id",
    },
}
MOTION_MODELS = ("kling-v2-6", "kling-v3")
CAMERA_CONTROL = {("text2video", "kling-v1", "std"), ("image2video", "kling-v1-5", "pro")}
CAMERA_TYPES = ("simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward")
CAMERA_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")
# The static API key it accepts unless the Simulator's credentials name one as "<prefix>-api-key".
API_KEY = "sim-kling-api-key"
# Models created with the static API key; older ones with the JWT (providers.md §3.1) [3P].
API_KEY_MODELS = ("kling-v3",)
# Illustrative units per 5 s for the simulator's final_unit_deduction; not Kling's price list.
UNITS_PER_5S = {"std": 1.5, "pro": 2.5, "pro+sound": 5.0}

MESSAGES = {
    1000: "Authentication failed",
    1001: "Authorization is empty",
    1002: "Authorization is invalid",
    1003: "Authorization is not yet valid",
    1004: "Authorization has expired",
    # 429/1102 is the docs' "resource pack depleted or expired (prepaid)" [V-mirror]; the
    # message is the one integrations log for it [3P].
    1102: "Account balance not enough",
    1202: "The requested method is invalid",
    1302: "The API request is too fast, exceeding the platform's rate limit",
    1303: "parallel task over resource pack limit",  # verbatim in the docs
    5000: "Server internal error",
    5001: "Server temporarily unavailable, usually due to maintenance",
    5002: "Server internal timeout, usually due to a backlog",
}
MODERATION_MESSAGE = "Failure to pass the risk control system"  # [I] wording
FAILURE_MESSAGE = "Video generation failed, please try again later"  # [I] wording


class Invalid(Exception):
    def __init__(self, message: str, code: int = 1201, status: int = 400):
        super().__init__(message)
        self.code, self.status = code, status


def envelope(code: int, message: str, data: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": str(uuid.uuid4())}
    if data is not None:
        body["data"] = data
    return body


def error(status: int, code: int, message: str | None = None, **headers: str) -> Response:
    return Response(status, envelope(code, message or MESSAGES[code]), headers=dict(headers))


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "kling")
    parts = request.path.strip("/").split("/")
    if parts[:2] != ["v1", "videos"] or len(parts) not in (3, 4) or parts[2] not in FIELDS:
        return None
    auth = request.headers.get("authorization", "")
    denied = check_auth(sim, prefix, auth)
    if denied:
        return denied
    kind = parts[2]
    if len(parts) == 3 and request.method == "POST":
        return create(sim, prefix, kind, request, static=is_api_key(sim, prefix, auth))
    if len(parts) == 3 and request.method == "GET":
        return listing(sim, prefix, kind, request)
    if len(parts) == 4 and request.method == "GET":
        return query(sim, prefix, kind, parts[3])
    return error(404, 1202)  # e.g. DELETE: Kling has no cancel


# --- auth -----------------------------------------------------------------------------------
def api_key(sim: Simulator, prefix: str) -> str:
    return str(sim.credentials.get(f"{prefix}-api-key") or API_KEY)


def is_api_key(sim: Simulator, prefix: str, header: str) -> bool:
    return header.partition(" ")[2] == api_key(sim, prefix)


def check_auth(sim: Simulator, prefix: str, header: str) -> Response | None:
    """Accept the static API key, or verify the per-request HS256 JWT the way the docs
    describe it (iss = AK, exp, nbf)."""
    access_key, secret_key = sim.credentials.get(prefix) or sim.credentials["kling"]
    if not header.strip():
        return error(401, 1001)
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return error(401, 1002)
    if token == api_key(sim, prefix):
        return None
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return error(401, 1002)
    if unverified.get("iss") != access_key:
        return error(401, 1000)
    try:
        jwt.decode(
            token,
            secret_key,
            algorithms=["HS256"],
            options={"require": ["iss", "exp", "nbf"]},
        )
    except jwt.ExpiredSignatureError:
        return error(401, 1004)
    except jwt.ImmatureSignatureError:
        return error(401, 1003)
    except jwt.PyJWTError:
        return error(401, 1002)
    return None


# --- create ---------------------------------------------------------------------------------
def create(sim: Simulator, prefix: str, kind: str, request: Request, *, static: bool) -> Response:
    fault = sim.next_fault(
        prefix,
        kinds=(
            "rate_limit",
            "server_error",
            "unavailable",
            "timeout",
            "malformed",
            "busy",
            "lost_answer",
            "quota",
        ),
    )
    if fault == "rate_limit":
        return error(429, 1302, **{"Retry-After": "1"})
    if fault == "server_error":
        return error(500, 5000)
    if fault == "unavailable":
        return error(503, 5001, **{"Retry-After": "2"})
    if fault == "timeout":
        return Response(504, envelope(5002, MESSAGES[5002]), delay=sim.timeout_seconds + 1)
    if fault == "malformed":
        return Response(
            200, b"<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"}
        )
    if fault == "quota":
        return error(429, 1102)
    if fault == "busy" or sim.running_count(prefix) >= sim.concurrency:
        return error(429, 1303)
    body = request.json
    if not isinstance(body, dict):
        return error(400, 1200, "Invalid request parameters: the body is not a JSON object")
    try:
        model = validate_motion(body) if kind == "motion-control" else validate(kind, body)
    except Invalid as problem:
        return error(problem.status, problem.code, str(problem))
    if static != model.startswith(API_KEY_MODELS):
        wanted = "the API key" if model.startswith(API_KEY_MODELS) else "an AK/SK JWT"
        return error(401, 1002, f"Authorization is invalid: {model} takes {wanted}")
    external = str(body.get("external_task_id") or "")
    if external and any(
        job.provider == prefix and job.external_id == external for job in sim.jobs.values()
    ):
        return error(400, 1201, f"external_task_id {external} already exists")
    job = sim.create_job(prefix, model, body)
    job.external_id = external
    if body.get("callback_url"):
        # §3.8: a POST on every status change, the query's task object without the envelope.
        sim.callbacks.watch(
            job, body["callback_url"], lambda: task_object(sim, job), every_change=True
        )
    if fault == "lost_answer":
        # The task exists, but the client hears only an internal error: only a query by
        # external_task_id can tell it was taken.
        return error(500, 5000)
    return Response(200, envelope(0, "SUCCEED", task_object(sim, job, created=True)))


def validate(kind: str, body: dict[str, Any]) -> str:
    """The model name, or Invalid with a message in Kling's style (code 1201 unless noted)."""
    unknown = sorted(set(body) - FIELDS[kind])
    if unknown:
        raise Invalid(f"Invalid parameters: {', '.join(unknown)} is not a {kind} parameter")
    model = body.get("model_name") or body.get("model") or "kling-v1"
    if model not in (T2V_MODELS if kind == "text2video" else I2V_MODELS):
        raise Invalid(f"model_name {model} does not exist for {kind}", code=1203, status=404)
    mode = body.get("mode", "std")
    if mode not in ("std", "pro"):
        raise Invalid(f"mode must be one of std, pro, got {mode!r}")
    prompt = body.get("prompt", "")
    if not isinstance(prompt, str) or len(prompt) > 2500:
        raise Invalid("prompt must be a string of at most 2500 characters")
    if kind == "text2video" and not prompt.strip() and not body.get("multi_shot"):
        raise Invalid("prompt is required")
    negative = body.get("negative_prompt", "")
    if not isinstance(negative, str) or len(negative) > 2500:
        raise Invalid("negative_prompt must be a string of at most 2500 characters")
    duration = body.get("duration", "5")
    allowed = [str(n) for n in range(3, 16)] if model.startswith("kling-v3") else ["5", "10"]
    if not isinstance(duration, str):
        raise Invalid(f"duration must be a string, got {duration!r}")
    if duration not in allowed:
        raise Invalid(f"duration {duration} is not supported by {model}; use {', '.join(allowed)}")
    if kind == "text2video" and body.get("aspect_ratio", "16:9") not in ("16:9", "9:16", "1:1"):
        raise Invalid("aspect_ratio must be one of 16:9, 9:16, 1:1")
    sound = body.get("sound", "off")
    if sound not in ("on", "off"):
        raise Invalid("sound must be on or off")
    if sound == "on" and not (model == "kling-v3" or (model == "kling-v2-6" and mode == "pro")):
        raise Invalid(f"sound on is not supported by {model} {mode}")
    if "cfg_scale" in body and not model.startswith("kling-v1"):
        raise Invalid(f"cfg_scale is not supported by {model}")
    if kind == "image2video":
        validate_images(body, model, mode, sound)
    if "camera_control" in body:
        validate_camera(kind, model, mode, duration, body)
    callback = body.get("callback_url")
    if callback is not None and not isinstance(callback, str):
        raise Invalid("callback_url must be a string")
    return model


def validate_motion(body: dict[str, Any]) -> str:
    """Motion control's checks, in the same style; the model name."""
    unknown = sorted(set(body) - FIELDS["motion-control"])
    if unknown:
        raise Invalid(f"Invalid parameters: {', '.join(unknown)} is not a motion-control parameter")
    model = body.get("model_name") or "kling-v2-6"
    if model not in MOTION_MODELS:
        raise Invalid(f"model_name {model} does not exist for motion-control", 1203, 404)
    for name in ("image_url", "video_url", "character_orientation", "mode"):
        if not body.get(name):
            raise Invalid(f"{name} is required")
    check_image("image_url", body["image_url"])
    if not str(body["video_url"]).startswith(("http://", "https://")):
        raise Invalid("video_url must be a URL")
    if body["character_orientation"] not in ("image", "video"):
        raise Invalid("character_orientation must be one of image, video")
    if body["mode"] not in ("std", "pro"):
        raise Invalid(f"mode must be one of std, pro, got {body['mode']!r}")
    if body.get("keep_original_sound", "yes") not in ("yes", "no"):
        raise Invalid("keep_original_sound must be yes or no")
    prompt = body.get("prompt", "")
    if not isinstance(prompt, str) or len(prompt) > 2500:
        raise Invalid("prompt must be a string of at most 2500 characters")
    return model


def validate_images(body: dict[str, Any], model: str, mode: str, sound: str) -> None:
    if not body.get("image") and not body.get("image_tail"):
        raise Invalid("image and image_tail cannot both be empty")
    for name in ("image", "image_tail"):
        if body.get(name):
            check_image(name, body[name])
    if body.get("image_tail"):
        if model == "kling-v2-6" and (mode != "pro" or sound == "on"):
            raise Invalid("image_tail on kling-v2-6 needs mode pro and sound off")
        if "camera_control" in body or body.get("static_mask") or body.get("dynamic_masks"):
            raise Invalid("image_tail, masks and camera_control cannot be used together")


def check_image(name: str, value: Any) -> None:
    """A URL, or raw base64 of a jpg/png; a `data:` prefix is refused, as the docs warn."""
    if not isinstance(value, str):
        raise Invalid(f"{name} must be a string")
    if value.startswith(("http://", "https://")):
        return
    if value.startswith("data:"):
        raise Invalid(f"{name}: base64 must not carry a data: prefix")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"{name} is neither a URL nor valid base64") from None
    if not (raw.startswith(b"\x89PNG") or raw.startswith(b"\xff\xd8")):
        raise Invalid(f"{name}: only jpg, jpeg and png images are supported")
    if len(raw) > 10 * 1024 * 1024:
        raise Invalid(f"{name} is larger than 10MB")


def validate_camera(kind: str, model: str, mode: str, duration: str, body: dict) -> None:
    camera = body["camera_control"]
    if (kind, model, mode) not in CAMERA_CONTROL or duration != "5":
        raise Invalid(f"camera_control is not supported by {model} {mode} {duration}s {kind}")
    if not isinstance(camera, dict) or camera.get("type") not in CAMERA_TYPES:
        raise Invalid(f"camera_control.type must be one of {', '.join(CAMERA_TYPES)}")
    config = camera.get("config")
    if camera["type"] != "simple":
        if config:
            raise Invalid("camera_control.config must be empty unless type is simple")
        return
    if not isinstance(config, dict):
        raise Invalid("camera_control.config is required when type is simple")
    values = [config.get(axis, 0) for axis in CAMERA_AXES]
    if any(not isinstance(v, int | float) or not -10 <= v <= 10 for v in values):
        raise Invalid("camera_control.config values must be numbers in [-10, 10]")
    if sum(1 for v in values if v) != 1:
        raise Invalid("camera_control.config: exactly one field may be non-zero")


# --- query ----------------------------------------------------------------------------------
def kind_of(job: Job) -> str:
    if job.request.get("video_url"):
        return "motion-control"
    return (
        "image2video"
        if job.request.get("image") or job.request.get("image_tail")
        else ("text2video")
    )


def query(sim: Simulator, prefix: str, kind: str, task_id: str) -> Response:
    fault = sim.next_fault(prefix, kinds=("rate_limit", "server_error", "malformed"))
    if fault == "rate_limit":
        return error(429, 1302, **{"Retry-After": "1"})
    if fault == "server_error":
        return error(500, 5000)
    if fault == "malformed":
        return Response(200, b'{"code": 0, "data": {"task_', {"Content-Type": "application/json"})
    job = sim.find(prefix, task_id) or next(
        (j for j in sim.jobs.values() if j.provider == prefix and j.external_id == task_id), None
    )
    if job is None or kind_of(job) != kind:
        # A live probe of Kling's legacy query answered HTTP 400, code 1201 "Task not found" [3P].
        return error(400, 1201, "Task not found")
    return Response(200, envelope(0, "SUCCEED", task_object(sim, job)))


def listing(sim: Simulator, prefix: str, kind: str, request: Request) -> Response:
    try:
        page = int(request.query.get("pageNum", 1))
        size = int(request.query.get("pageSize", 30))
    except ValueError:
        return error(400, 1201, "pageNum and pageSize must be integers")
    if not (1 <= page <= 1000 and 1 <= size <= 500):
        return error(400, 1201, "pageNum must be in [1, 1000] and pageSize in [1, 500]")
    jobs = [j for j in sim.jobs.values() if j.provider == prefix and kind_of(j) == kind]
    jobs.sort(key=lambda j: j.created, reverse=True)
    chosen = jobs[(page - 1) * size : page * size]
    return Response(200, envelope(0, "SUCCEED", [task_object(sim, j) for j in chosen]))


def task_object(sim: Simulator, job: Job, *, created: bool = False) -> dict[str, Any]:
    """The documented task object; a create answer carries only the first fields."""
    state = sim.state_of(job) if created else sim.observe(job)
    status = {"queued": "submitted", "running": "processing", "succeeded": "succeed"}.get(
        state, "failed"
    )
    created_ms = int((time.time() - (time.monotonic() - job.created)) * 1000)
    data: dict[str, Any] = {
        "task_id": job.id,
        "task_status": "submitted" if created else status,
        "task_info": {"external_task_id": job.external_id} if job.external_id else {},
        "created_at": created_ms,
        "updated_at": created_ms if created else int(time.time() * 1000),
    }
    if created:
        return data
    data["task_status_msg"] = ""
    data["watermark_info"] = {
        "enabled": bool((job.request.get("watermark_info") or {}).get("enabled"))
    }
    data["task_result"] = {}
    if status == "succeed":
        duration = job.request.get("duration", "5")
        url = sim.file_url(job)
        video = {"id": f"video-{job.id}", "url": url, "duration": f"{duration}.0"}
        if data["watermark_info"]["enabled"]:
            video["watermark_url"] = url
        data["task_result"] = {"videos": [video]}
        data["final_unit_deduction"] = units(job)
    elif status == "failed":
        data["task_status_msg"] = MODERATION_MESSAGE if state == "rejected" else FAILURE_MESSAGE
        data["final_unit_deduction"] = "0"
    return data


def units(job: Job) -> str:
    mode = job.request.get("mode", "std")
    if mode == "pro" and job.request.get("sound") == "on":
        mode = "pro+sound"
    seconds = int(job.request.get("duration", "5"))
    return f"{UNITS_PER_5S[mode] * seconds / 5:g}"
