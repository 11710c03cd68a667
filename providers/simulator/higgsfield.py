"""Higgsfield platform API, simulated (docs/providers.md 5): v2 queue API, DoP application.

Routes (after the /<prefix> the server strips):
  GET  /v1/motions                      motion presets, a bare JSON array
  POST /files/generate-upload-url       {content_type} -> {upload_url, public_url, upload_headers}
  PUT  /uploads/<token>                 the signed upload (no Key header, like S3)
  GET  /uploads/<token>                 the uploaded image, as its public URL
  POST /v1/image2video/dop[?hf_webhook] create; flat arguments (v2) or {"params": ...} (v1 shape)
  GET  /requests/<id>/status            status object, `video.url` when completed
  POST /requests/<id>/cancel            queued only; 400 otherwise
  GET  /models                          the account's catalogue, {"items": [...]} [3P shape]
  GET  /models/usage                    estimated spend in USD per model [I shape]
  POST /<catalogue slug>                a hosted video application (HOSTED_VIDEO); 404
                                        model_not_found when the account lacks it, 423 when
                                        it is locked ([V] statuses, [3P] body)

Accounts: each key pair has its own catalogue (`add_account`); the default credentials get
DEFAULT_CATALOGUE. `state(sim)["locked"]` holds slugs answering 423, and
`state(sim)["motions_gone"]` makes GET /v1/motions answer 404, for tests.

Where providers.md gives no exact wording (the 401/403/429 bodies, the failed object, the
concurrency answer) the answers follow FastAPI's `{"detail": ...}` shape the SDKs read [I].
"""

from __future__ import annotations

import re
import secrets
import uuid
from decimal import Decimal
from typing import Any

from providers.core.motions import MOTIONS
from providers.simulator.core import Job, Request, Response, Simulator

MODELS = ("dop-lite", "dop-turbo", "dop-standard")
# Hosted image-to-video applications the simulator serves, and the durations each takes [I].
# The Veo and Seedance slugs are [I]; Kling's is [3P] (providers/higgsfield/capabilities.py).
HOSTED_VIDEO: dict[str, tuple[int, ...]] = {
    "google/veo-3.1/image-to-video": (8,),
    "kling-video/v3.0/std/image-to-video": (5, 10),
    "bytedance/seedance/v1.5/pro/image-to-video": (5, 10),
}
HOSTED_RATIOS = ("16:9", "9:16", "1:1")
# (slug, title, operation, output, base credits): DoP's rows as two live probes saw them [3P,
# 2026-08-01]; the hosted rows are [I]. Credits are the catalogue's own unit, not prices.
CATALOGUE_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("higgsfield-ai/dop/lite", "DoP Lite", "image2video", "video", "2.00"),
    ("higgsfield-ai/dop/lite/first-last-frame", "DoP Lite FLF", "image2video", "video", "2.00"),
    ("higgsfield-ai/dop/turbo", "DoP Turbo", "image2video", "video", "6.50"),
    ("higgsfield-ai/dop/standard", "DoP Standard", "image2video", "video", "9.00"),
    ("higgsfield-ai/soul/standard", "Soul", "text2image", "image", "1.00"),
    ("google/veo-3.1/image-to-video", "Veo 3.1", "image2video", "video", "40.00"),
    ("kling-video/v3.0/std/image-to-video", "Kling 3.0", "image2video", "video", "12.00"),
    ("bytedance/seedance/v1.5/pro/image-to-video", "Seedance 1.5", "image2video", "video", "8.00"),
)
DEFAULT_CATALOGUE = tuple(row[0] for row in CATALOGUE_ROWS)
USD_PER_CREDIT = "0.0625"  # [3P] one project's conversion; the simulator's usage uses it [I]
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


def _state(sim: Simulator) -> dict[str, Any]:
    """Per-simulator storage this module needs beyond core's jobs."""
    state = sim.state.setdefault("higgsfield", {"uploads": {}, "webhooks": {}})
    if "accounts" not in state:
        key_id, secret = sim.credentials["higgsfield"]
        state.update(
            accounts={key_id: (secret, DEFAULT_CATALOGUE)},
            locked=set(),
            motions_gone=False,
            spent={},  # key id -> [slug, ...] of every accepted create
        )
    return state


state = _state  # what tests use


def add_account(sim: Simulator, key_id: str, secret: str, catalogue: tuple[str, ...]) -> None:
    """Another key pair, whose catalogue lists only `catalogue` (slugs)."""
    _state(sim)["accounts"][key_id] = (secret, tuple(catalogue))


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "higgsfield")
    base = f"{sim.base_url}/{prefix}"
    if request.path.startswith("/uploads/"):
        return _upload(sim, request)
    account = _account(sim, request)
    if account is None:
        if not request.headers.get("authorization") and "hf-api-key" not in request.headers:
            return Response(401, {"detail": "Not authenticated"})
        return Response(401, {"detail": "Invalid API credentials"})
    catalogue = _state(sim)["accounts"][account][1]
    if request.method == "GET" and request.path == "/v1/motions":
        if _state(sim)["motions_gone"]:
            return Response(404, {"detail": "Not Found"})
        return Response(200, motions_list())
    if request.method == "GET" and request.path == "/models":
        return Response(200, {"items": [_row(r) for r in CATALOGUE_ROWS if r[0] in catalogue]})
    if request.method == "GET" and request.path == "/models/usage":
        return Response(200, _usage(_state(sim)["spent"].get(account, [])))
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
        model = (request.json or {}).get("model") if isinstance(request.json, dict) else None
        slug = f"higgsfield-ai/dop/{str(model).removeprefix('dop-')}"
        refused = _access(sim, slug, catalogue) if model in MODELS else None
        return refused or _create(sim, request, prefix, base, account)
    slug = request.path.lstrip("/")
    if request.method == "POST" and slug in HOSTED_VIDEO:
        return _access(sim, slug, catalogue) or _create_hosted(sim, request, prefix, base, account)
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


def _account(sim: Simulator, request: Request) -> str | None:
    """The key id the request authenticates as, or None."""
    for key_id, (secret, _) in _state(sim)["accounts"].items():
        if request.headers.get("authorization", "") == f"Key {key_id}:{secret}":
            return key_id
        # v1's deprecated headers still authenticate (providers.md 5.1).
        if (request.headers.get("hf-api-key"), request.headers.get("hf-secret")) == (
            key_id,
            secret,
        ):
            return key_id
    return None


def _row(row: tuple[str, str, str, str, str]) -> dict[str, Any]:
    slug, title, operation, output, credits = row
    return {
        "slug": slug,
        "title": title,
        "description": f"{title} on the simulated platform",
        "operation_type": [operation],
        "output_type": output,
        "base_credits": credits,
    }


def _usage(spent: list[str]) -> dict[str, Any]:
    credits = {row[0]: Decimal(row[4]) for row in CATALOGUE_ROWS}
    items: dict[str, dict[str, Any]] = {}
    for slug in spent:
        item = items.setdefault(slug, {"slug": slug, "requests": 0, "usd": Decimal(0)})
        item["requests"] += 1
        item["usd"] += credits.get(slug, Decimal(0)) * Decimal(USD_PER_CREDIT)
    rows = [
        {"slug": i["slug"], "requests": i["requests"], "estimated_cost_usd": str(i["usd"])}
        for i in items.values()
    ]
    total = sum((i["usd"] for i in items.values()), Decimal(0))
    return {"currency": "USD", "total_usd": str(total), "items": rows}


def _access(sim: Simulator, slug: str, catalogue: tuple[str, ...]) -> Response | None:
    """404/423 for a model the account cannot use ([V] statuses, [3P] 404 body)."""
    if slug not in catalogue:
        return Response(404, {"detail": "model_not_found"})
    if slug in _state(sim)["locked"]:
        return Response(423, {"detail": "Model is locked for this account"})
    return None


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


def _create(sim: Simulator, request: Request, prefix: str, base: str, account: str) -> Response:
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
    slug = f"higgsfield-ai/dop/{arguments['model'].removeprefix('dop-')}"
    return _accepted(sim, request, job, base, account, slug)


def _accepted(
    sim: Simulator, request: Request, job: Job, base: str, account: str, slug: str
) -> Response:
    if request.query.get("hf_webhook"):
        _state(sim)["webhooks"][job.id] = request.query["hf_webhook"]
        # The final status object, as GET .../status answers it [I: the payload is not
        # documented beyond "retried for 2 hours, deduplicate by request_id"].
        sim.callbacks.watch(job, request.query["hf_webhook"], lambda: status_object(sim, job, base))
    _state(sim)["spent"].setdefault(account, []).append(slug)
    return Response(200, _links(job, base, "queued"))


def _create_hosted(
    sim: Simulator, request: Request, prefix: str, base: str, account: str
) -> Response:
    fault = sim.next_fault(prefix, kinds=CREATE_FAULTS)
    if fault:
        return _fault(fault, sim)
    slug = request.path.lstrip("/")
    body = request.json
    if not isinstance(body, dict):
        return Response(400, {"detail": "Request body must be a JSON object"})
    errors = validate_hosted(slug, body)
    if errors:
        return Response(422, {"detail": errors})
    uploads = _state(sim)["uploads"]
    token = body["image_url"].rpartition("/uploads/")[2]
    if "/uploads/" in body["image_url"] and uploads.get(token) is None:
        return Response(400, {"detail": "Could not download input image: it was never uploaded"})
    job = sim.create_job(prefix, slug, body)
    return _accepted(sim, request, job, base, account, slug)


def validate_hosted(slug: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The minimal image-to-video body [I]: prompt, image_url, duration, aspect_ratio."""
    errors: list[dict[str, Any]] = []

    def error(kind: str, field: str, msg: str, value: Any = None) -> None:
        errors.append({"type": kind, "loc": ["body", field], "msg": msg, "input": value})

    for field in sorted(set(body) - {"prompt", "image_url", "duration", "aspect_ratio"}):
        error("extra_forbidden", field, "Extra inputs are not permitted", body[field])
    if not isinstance(body.get("prompt"), str) or not body["prompt"].strip():
        error("missing", "prompt", "Field required", body.get("prompt"))
    url = body.get("image_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        error("url_scheme", "image_url", "URL scheme should be 'http' or 'https'", url)
    durations = HOSTED_VIDEO[slug]
    if body.get("duration", durations[0]) not in durations:
        allowed = " or ".join(str(d) for d in durations)
        error("literal_error", "duration", f"Input should be {allowed}", body.get("duration"))
    if body.get("aspect_ratio", HOSTED_RATIOS[0]) not in HOSTED_RATIOS:
        allowed = ", ".join(f"'{r}'" for r in HOSTED_RATIOS)
        error("literal_error", "aspect_ratio", f"Input should be {allowed}", body["aspect_ratio"])
    return errors


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
