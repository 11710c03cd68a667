"""Higgsfield platform API, simulated (docs/providers.md 5): v2 queue API, DoP application.

Routes (after the /<prefix> the server strips):
  GET  /v1/motions                      motion presets, a bare JSON array
  POST /files/generate-upload-url       {content_type} -> {upload_url, public_url, upload_headers}
  PUT  /uploads/<token>                 the signed upload (no Key header, like S3)
  GET  /uploads/<token>                 the uploaded image, as its public URL
  POST /v1/image2video/dop[?hf_webhook] create; flat arguments (v2) or {"params": ...} (v1 shape)
  GET  /requests/<id>/status            status object, `video.url` when completed
  POST /requests/<id>/cancel            queued only; 400 otherwise

Where providers.md gives no exact wording (the 401/403/429 bodies, the failed object, the
concurrency answer) the answers follow FastAPI's `{"detail": ...}` shape the SDKs read [I].
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from providers.core.motions import MOTIONS
from providers.simulator.core import Job, Request, Response, Simulator

MODELS = ("dop-lite", "dop-turbo", "dop-standard")
MAX_MOTIONS = 2  # [V-SDK JS README] "Can have up to 2 motions"
SEED_RANGE = (0, 1_000_000)  # [V-SDK JS helpers.ts `seed()`]
STATUS = {
    "queued": "queued",
    "running": "in_progress",
    "succeeded": "completed",
    "failed": "failed",
    "rejected": "nsfw",
    "canceled": "canceled",
}
CREATE_FAULTS = (
    "rate_limit",
    "server_error",
    "unavailable",
    "timeout",
    "malformed",
    "busy",
    "quota",
)
POLL_FAULTS = ("rate_limit", "server_error", "malformed")
REQUEST_PATH = re.compile(r"^/requests/([^/]+)/(status|cancel)$")


def motion_id(name: str) -> str:
    """Stable UUIDs, so ids survive a simulator restart like the real catalogue's do."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"higgsfield-sim/motion/{name}"))


def motions_list() -> list[dict[str, Any]]:
    return [
        {
            "id": motion_id(m.name),
            "name": m.name,
            "description": f"The camera is a {m.shot}.",
            "preview_url": f"https://example.invalid/motions/{m.slug}.mp4",
            "start_end_frame": False,
        }
        for m in MOTIONS.values()
    ]


def _state(sim: Simulator) -> dict[str, dict]:
    """Per-simulator storage this module needs beyond core's jobs."""
    return sim.__dict__.setdefault("higgsfield", {"uploads": {}, "webhooks": {}})


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "higgsfield")
    base = f"{sim.base_url}/{prefix}"
    if request.path.startswith("/uploads/"):
        return _upload(sim, request)
    if not _authorized(sim, request):
        if not request.headers.get("authorization") and "hf-api-key" not in request.headers:
            return Response(401, {"detail": "Not authenticated"})
        return Response(401, {"detail": "Invalid API credentials"})
    if request.method == "GET" and request.path == "/v1/motions":
        return Response(200, motions_list())
    if request.method == "POST" and request.path == "/files/generate-upload-url":
        content_type = (request.json or {}).get("content_type") or "application/octet-stream"
        token = secrets.token_urlsafe(12)
        url = f"{base}/uploads/{token}"
        _state(sim)["uploads"][token] = None  # reserved, not uploaded yet
        return Response(
            200,
            {
                "upload_url": url,
                "public_url": url,
                "upload_headers": {"Content-Type": content_type},
            },
        )
    if request.method == "POST" and request.path == "/v1/image2video/dop":
        return _create(sim, request, prefix, base)
    match = REQUEST_PATH.match(request.path)
    if match:
        job = sim.find(prefix, match.group(1))
        if job is None:
            return Response(404, {"detail": "Request not found"})
        if match.group(2) == "status" and request.method == "GET":
            fault = sim.next_fault(prefix, kinds=POLL_FAULTS)
            if fault:
                return _fault(fault, sim)
            return Response(200, status_object(sim, job, base))
        if match.group(2) == "cancel" and request.method == "POST":
            state = sim.state_of(job)
            if state not in ("queued", "canceled"):
                return Response(
                    400, {"detail": f"Request cannot be cancelled: it is {STATUS[state]}."}
                )
            job.canceled = True
            return Response(202, status_object(sim, job, base))
    return None


def _authorized(sim: Simulator, request: Request) -> bool:
    key_id, secret = sim.credentials["higgsfield"]
    if request.headers.get("authorization", "") == f"Key {key_id}:{secret}":
        return True
    # v1's deprecated headers still authenticate (providers.md 5.1).
    return (request.headers.get("hf-api-key"), request.headers.get("hf-secret")) == (
        key_id,
        secret,
    )


def _upload(sim: Simulator, request: Request) -> Response:
    token = request.path.removeprefix("/uploads/")
    uploads = _state(sim)["uploads"]
    if token not in uploads:
        return Response(403, b"<Error><Code>AccessDenied</Code></Error>")
    if request.method == "PUT":
        uploads[token] = (request.headers.get("content-type", ""), request.body)
        return Response(200, b"")
    if request.method == "GET" and uploads[token] is not None:
        content_type, body = uploads[token]
        return Response(200, body, headers={"Content-Type": content_type})
    return Response(404, b"<Error><Code>NoSuchKey</Code></Error>")


def _fault(fault: str, sim: Simulator) -> Response:
    if fault == "rate_limit":
        return Response(429, {"detail": "Too many requests"}, headers={"Retry-After": "1"})
    if fault == "busy":  # [I] no documented concurrency answer; a 429 like the rate limit
        return Response(
            429,
            {"detail": "Too many concurrent requests for this account"},
            headers={"Retry-After": "2"},
        )
    if fault == "quota":
        # [V-SDK] higgsfield-js NotEnoughCreditsError: HTTP 403, "Not enough credits"; the body
        # shape is the FastAPI `detail` the SDKs read [I].
        return Response(403, {"detail": "Not enough credits"})
    if fault == "server_error":
        return Response(500, {"detail": "Internal Server Error"})
    if fault == "unavailable":
        return Response(503, {"detail": "Service Unavailable"}, headers={"Retry-After": "1"})
    if fault == "timeout":
        return Response(504, {"detail": "Gateway Timeout"}, delay=sim.timeout_seconds + 1)
    return Response(200, b"<html><body>502 Bad Gateway</body></html>")  # malformed


def _create(sim: Simulator, request: Request, prefix: str, base: str) -> Response:
    fault = sim.next_fault(prefix, kinds=CREATE_FAULTS)
    if fault:
        return _fault(fault, sim)
    body = request.json
    if not isinstance(body, dict):
        return Response(400, {"detail": "Request body must be a JSON object"})
    arguments = body["params"] if isinstance(body.get("params"), dict) else body
    errors = validate(arguments)
    if errors:
        return Response(422, {"detail": errors})
    problem = _check_references(sim, arguments)
    if problem:
        return Response(400, {"detail": problem})
    job = sim.create_job(prefix, arguments["model"], arguments)
    if request.query.get("hf_webhook"):
        _state(sim)["webhooks"][job.id] = request.query["hf_webhook"]
    return Response(200, _links(job, base, "queued"))


def validate(arguments: dict[str, Any]) -> list[dict[str, Any]]:
    """FastAPI/pydantic-style errors for the DoP arguments."""
    errors: list[dict[str, Any]] = []

    def error(kind: str, loc: tuple, msg: str, value: Any = None) -> None:
        errors.append({"type": kind, "loc": ["body", *loc], "msg": msg, "input": value})

    model = arguments.get("model")
    if model is None:
        error("missing", ("model",), "Field required")
    elif model not in MODELS:
        allowed = ", ".join(f"'{m}'" for m in MODELS[:-1]) + f" or '{MODELS[-1]}'"
        error("enum", ("model",), f"Input should be {allowed}", model)
    prompt = arguments.get("prompt")
    if prompt is not None and not isinstance(prompt, str):
        error("string_type", ("prompt",), "Input should be a valid string", prompt)
    images = arguments.get("input_images")
    if not images:
        error("missing", ("input_images",), "Field required", images)
    elif not isinstance(images, list):
        error("list_type", ("input_images",), "Input should be a valid list", images)
    else:
        for index, image in enumerate(images):
            url = image.get("image_url") if isinstance(image, dict) else None
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                error(
                    "url_scheme",
                    ("input_images", index, "image_url"),
                    "URL scheme should be 'http' or 'https'",
                    str(url)[:60],
                )
    motions = arguments.get("motions") or []
    if len(motions) > MAX_MOTIONS:
        error("too_long", ("motions",), f"List should have at most {MAX_MOTIONS} items")
    for index, motion in enumerate(motions):
        strength = motion.get("strength", 1.0) if isinstance(motion, dict) else None
        if not isinstance(strength, int | float) or not 0 <= strength <= 1:
            error("less_than_equal", ("motions", index, "strength"), "Input should be <= 1")
        if not isinstance(motion, dict) or not motion.get("id"):
            error("missing", ("motions", index, "id"), "Field required")
    seed = arguments.get("seed")
    if seed is not None and (
        not isinstance(seed, int) or not SEED_RANGE[0] <= seed <= SEED_RANGE[1]
    ):
        error("less_than_equal", ("seed",), f"Input should be <= {SEED_RANGE[1]}", seed)
    return errors


def _check_references(sim: Simulator, arguments: dict[str, Any]) -> str:
    known = {motion_id(m.name) for m in MOTIONS.values()}
    for motion in arguments.get("motions") or []:
        if motion["id"] not in known:
            return f"Motion {motion['id']} not found"
    uploads = _state(sim)["uploads"]
    for image in arguments["input_images"]:
        token = image["image_url"].rpartition("/uploads/")[2]
        if "/uploads/" in image["image_url"] and uploads.get(token) is None:
            return "Could not download input image: it was never uploaded"
    return ""


def _links(job: Job, base: str, status: str) -> dict[str, Any]:
    return {
        "status": status,
        "request_id": job.id,
        "status_url": f"{base}/requests/{job.id}/status",
        "cancel_url": f"{base}/requests/{job.id}/cancel",
    }


def status_object(sim: Simulator, job: Job, base: str) -> dict[str, Any]:
    status = STATUS[sim.observe(job)]
    payload = _links(job, base, status)
    if status == "completed":
        payload["video"] = {"url": sim.file_url(job)}
    elif status == "failed":
        payload["error"] = "Generation failed"  # [I] the failed object's fields are undocumented
    return payload
