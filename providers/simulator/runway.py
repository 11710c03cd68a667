"""Runway API as the simulator speaks it (docs/providers.md §2; task shape of runwayml 5.x).

POST /v1/image_to_video | /v1/text_to_video -> {"id"}; GET /v1/tasks/{id} -> the task object
discriminated on `status`; DELETE /v1/tasks/{id} -> 204 (cancels an unfinished task, deletes a
finished one). Errors are {"error": ...} ([V] docs) with zod-style `issues` on validation ([3P]).
Fault "busy" and a full account both give THROTTLED tasks, as Runway does at its concurrency cap;
fault "quota" is the 400 Runway gives an account without the credits for the task.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from providers.simulator.core import Job, Request, Response, Simulator

API_VERSIONS = ("2024-11-06",)
CREDITS_PER_SECOND = {"gen4.5": 12, "gen4_turbo": 5}  # providers.md 2.8
I2V_RATIOS = {
    "gen4.5": ("1280:720", "720:1280", "1104:832", "960:960", "832:1104", "1584:672"),
    "gen4_turbo": ("1280:720", "720:1280", "1104:832", "832:1104", "960:960", "1584:672"),
}
T2V_RATIOS = {"gen4.5": ("1280:720", "720:1280")}  # gen4_turbo has no text_to_video
DEFAULT_DURATION = {"gen4_turbo": 10}  # gen4.5 requires one
DATA_URI_LIMIT = 5 * 1024 * 1024
# [3P] the wording integrations log for a create the account cannot pay for; there is no
# dedicated status or code for it, only this 400 ([V] docs: a 400 carries a readable `error`).
NO_CREDITS = "You do not have enough credits to run this task."
# GET /v1/organization [V-SDK: runwayml 5.24.0 OrganizationRetrieveResponse]: what a new
# account might have; the balance falls by what the simulator's finished tasks cost.
START_CREDITS = 5000
TIER_MONTHLY_CREDITS = 10_000  # [I] an example tier limit, not a documented Tier 1 value
TIER_MODELS = {"gen4.5": (2, 50), "gen4_turbo": (2, 50)}  # (concurrent, daily) [I] examples
THROTTLE_STEPS = 2  # how long a throttled task waits for a slot, in simulator steps
TASK_PATH = re.compile(r"^/v1/tasks/([^/]+)$")

# Per-task facts the core Job does not keep, keyed by job id (ids are unique per process).
_CREATED_AT: dict[str, str] = {}
_DELETED: set[str] = set()


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "runway")
    if not request.path.startswith("/v1/"):
        return None
    denied = _check_auth(sim, prefix, request)
    if denied:
        return denied
    if request.path == "/v1/organization" and request.method == "GET":
        return _organization(sim, prefix)
    if request.path in ("/v1/image_to_video", "/v1/text_to_video"):
        if request.method != "POST":
            return Response(405, {"error": "Method not allowed"})
        return _create(sim, prefix, request)
    match = TASK_PATH.match(request.path)
    if match:
        job = sim.find(prefix, match.group(1))
        if job is None or job.id in _DELETED:
            return Response(404, {"error": "Task not found"})
        if request.method == "GET":
            return _status(sim, prefix, job)
        if request.method == "DELETE":
            return _delete(sim, job)
        return Response(405, {"error": "Method not allowed"})
    return Response(404, {"error": "Not found"})


def _check_auth(sim: Simulator, prefix: str, request: Request) -> Response | None:
    key = sim.credentials.get(prefix) or sim.credentials.get("runway")
    if request.headers.get("authorization", "") != f"Bearer {key}":
        # [V] 401 = "The provided API key is not valid." (docs errors page); body shape [I].
        return Response(401, {"error": "The provided API key is not valid."})
    version = request.headers.get("x-runway-version")
    if version not in API_VERSIONS:
        # [I] Runway refuses requests without a supported version header; wording is ours.
        return Response(
            400,
            {"error": f"Invalid or missing X-Runway-Version header; use one of {API_VERSIONS}."},
        )
    return None


# --- create -----------------------------------------------------------------------------
def _create(sim: Simulator, prefix: str, request: Request) -> Response:
    fault = sim.next_fault(prefix, kinds=("rate_limit", "server_error", "unavailable", "malformed"))
    if fault == "rate_limit":
        # The daily generation cap (concurrency overflow is THROTTLED, not 429).
        return Response(
            429, {"error": "You have exceeded your daily generation limit."}, {"Retry-After": "2"}
        )
    if fault == "server_error":
        return Response(500, {"error": "Internal server error"})
    if fault == "unavailable":
        return Response(503, {"error": "Service unavailable"}, {"Retry-After": "1"})
    if fault == "malformed":
        return Response(
            200, b"<html><body>upstream hiccup</body></html>", {"Content-Type": "text/html"}
        )

    body = request.json
    if not isinstance(body, dict):
        return _invalid([{"code": "invalid_type", "path": [], "message": "Expected object"}])
    text_only = request.path == "/v1/text_to_video"
    issues = validate(body, text_only=text_only)
    if issues:
        return _invalid(issues)

    # Credits are checked on a valid body: what a task costs depends on its model and duration.
    late = sim.next_fault(prefix, kinds=("busy", "timeout", "quota"))
    if late == "quota":
        return Response(400, {"error": NO_CREDITS})
    busy = late == "busy" or sim.running_count(prefix) >= sim.concurrency
    job = sim.create_job(prefix, body["model"], body)
    _CREATED_AT[job.id] = (
        datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )
    if busy:
        sim.hold(job, THROTTLE_STEPS)  # the normal PENDING -> RUNNING -> outcome comes after
    if late == "timeout":
        # Accepted, but the answer comes after the client gave up: the outcome is unknown to it.
        return Response(200, {"id": job.id}, delay=sim.timeout_seconds + 1)
    return Response(200, {"id": job.id})


def validate(body: dict[str, Any], *, text_only: bool) -> list[dict[str, Any]]:
    """Issues in Runway's zod style ({code, path, message}); empty when the body is valid."""
    model = body.get("model")
    models = tuple(T2V_RATIOS if text_only else I2V_RATIOS)
    if model not in models:
        return [_enum_issue("model", models)]
    issues: list[dict[str, Any]] = []
    prompt = body.get("promptText")
    if prompt is None:
        if model == "gen4.5":
            issues.append(_issue("invalid_type", "promptText", "Required"))
    elif not isinstance(prompt, str) or not prompt.strip():
        issues.append(_issue("too_small", "promptText", "Must be a non-empty string"))
    elif len(prompt.encode("utf-16-le")) // 2 > 1000:
        issues.append(
            _issue("too_big", "promptText", "Too big: expected string to have <=1000 characters")
        )
    ratios = (T2V_RATIOS if text_only else I2V_RATIOS)[model]
    if body.get("ratio") not in ratios:
        issues.append(_enum_issue("ratio", ratios))
    duration = body.get("duration", DEFAULT_DURATION.get(model))
    if duration is None:
        issues.append(_issue("invalid_type", "duration", "Required"))
    elif not isinstance(duration, int) or isinstance(duration, bool):
        issues.append(_issue("invalid_type", "duration", "Expected integer"))
    elif duration < 2:
        issues.append(_issue("too_small", "duration", "Too small: expected number to be >=2"))
    elif duration > 10:
        issues.append(_issue("too_big", "duration", "Too big: expected number to be <=10"))
    seed = body.get("seed")
    if seed is not None and (
        not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= 4294967295
    ):
        issues.append(_issue("invalid_type", "seed", "Expected integer between 0 and 4294967295"))
    moderation = body.get("contentModeration")
    if moderation is not None and (
        not isinstance(moderation, dict)
        or moderation.get("publicFigureThreshold", "auto") not in ("auto", "low")
    ):
        issues.append(_enum_issue("contentModeration.publicFigureThreshold", ("auto", "low")))
    if not text_only:
        problem = _image_problem(body.get("promptImage"))
        if problem:
            issues.append(_issue("custom", "promptImage", problem))
    return issues


def _image_problem(value: Any) -> str:
    if isinstance(value, list):
        if len(value) != 1 or not isinstance(value[0], dict) or value[0].get("position") != "first":
            return 'This model takes exactly one image with position "first".'
        value = value[0].get("uri")
    if not isinstance(value, str) or not value:
        return "Required"
    if value.startswith("data:"):
        match = re.match(r"^data:(image/(?:jpeg|png|webp));base64,(.+)$", value, re.S)
        if not match:
            return "Invalid data URI. Unsupported asset type."
        if len(value) > DATA_URI_LIMIT:
            return "Data URI is too large (5MB maximum)."
        try:
            base64.b64decode(match.group(2), validate=True)
        except (binascii.Error, ValueError):
            return "Invalid data URI."
        return ""
    if value.startswith("runway://"):
        return ""
    parts = urlsplit(value)
    if parts.scheme != "https":
        return "Only HTTPS URLs are allowed."
    try:
        ipaddress.ip_address(parts.hostname or "")
    except ValueError:
        return ""  # a domain name: the simulator does not fetch it
    return "URLs must be hosted on a domain."


def _issue(code: str, path: str, message: str) -> dict[str, Any]:
    return {"code": code, "path": path.split("."), "message": message}


def _enum_issue(path: str, values: tuple[str, ...]) -> dict[str, Any]:
    expected = "|".join(f'"{value}"' for value in values)
    issue = _issue("invalid_value", path, f"Invalid option: expected one of {expected}")
    issue["values"] = list(values)
    return issue


def _invalid(issues: list[dict[str, Any]]) -> Response:
    return Response(400, {"error": "Validation of body failed", "issues": issues})


# --- tasks ------------------------------------------------------------------------------
def _status(sim: Simulator, prefix: str, job: Job) -> Response:
    fault = sim.next_fault(prefix, kinds=("rate_limit", "server_error", "malformed"))
    if fault == "rate_limit":
        return Response(429, {"error": "Too many requests"}, {"Retry-After": "0"})
    if fault == "server_error":
        return Response(500, {"error": "Internal server error"})
    if fault == "malformed":
        return Response(200, b'{"id": "', {"Content-Type": "application/json"})
    return Response(200, task_object(sim, job))


def task_object(sim: Simulator, job: Job) -> dict[str, Any]:
    base = {"id": job.id, "createdAt": _CREATED_AT.get(job.id, "2026-01-01T00:00:00.000Z")}
    credits = CREDITS_PER_SECOND.get(job.model, 0) * int(
        job.request.get("duration") or DEFAULT_DURATION.get(job.model, 0)
    )
    estimate = {"estimatedCost": {"credits": credits}}
    throttled = sim.held(job)
    progress = sim.progress_of(job)
    state = sim.observe(job)
    if state == "canceled":
        return {**base, "status": "CANCELLED", "cost": {"credits": 0}}
    if throttled:
        return {**base, "status": "THROTTLED", **estimate}
    if state == "queued":
        return {**base, "status": "PENDING", **estimate}
    if state == "running":
        return {
            **base,
            "status": "RUNNING",
            "progress": round(progress / 100, 2),
            **estimate,
        }
    if state == "rejected":
        return {
            **base,
            "status": "FAILED",
            "failure": "The prompt was flagged by our content moderation system.",
            "failureCode": "SAFETY.INPUT.TEXT",
            "cost": {"credits": 0},  # failed tasks are refunded
        }
    if state == "failed":
        return {
            **base,
            "status": "FAILED",
            "failure": "An unexpected error occurred while generating the video.",
            "failureCode": "INTERNAL",
            "cost": {"credits": 0},
        }
    # Signed URLs change on every fetch in the real API; the token query mimics that.
    url = f"{sim.file_url(job)}?_jwt={uuid.uuid4().hex}"
    return {**base, "status": "SUCCEEDED", "output": [url], "cost": {"credits": credits}}


def _organization(sim: Simulator, prefix: str) -> Response:
    """The account's credits, tier limits and today's use, in the SDK's camelCase shape."""
    fault = sim.next_fault(prefix, kinds=("server_error", "unavailable"))
    if fault == "server_error":
        return Response(500, {"error": "Internal server error"})
    if fault == "unavailable":
        return Response(503, {"error": "Service unavailable"}, {"Retry-After": "1"})
    jobs = [job for job in sim.jobs.values() if job.provider == prefix]
    spent = sum(
        CREDITS_PER_SECOND.get(job.model, 0)
        * int(job.request.get("duration") or DEFAULT_DURATION.get(job.model, 0))
        for job in jobs
        if sim.state_of(job) == "succeeded"
    )
    tier_models = {
        model: {"maxConcurrentGenerations": concurrent, "maxDailyGenerations": daily}
        for model, (concurrent, daily) in TIER_MODELS.items()
    }
    usage = {
        model: {"dailyGenerations": sum(1 for job in jobs if job.model == model)}
        for model in TIER_MODELS
    }
    return Response(
        200,
        {
            "creditBalance": max(0, START_CREDITS - spent),
            "tier": {"maxMonthlyCreditSpend": TIER_MONTHLY_CREDITS, "models": tier_models},
            "usage": {"models": usage},
        },
    )


def _delete(sim: Simulator, job: Job) -> Response:
    if sim.state_of(job) in ("queued", "running"):
        job.canceled = True  # PENDING / THROTTLED / RUNNING -> CANCELLED
    else:
        _DELETED.add(job.id)  # a finished task is deleted with its output
        sim.expired.add(job.file_token)
    return Response(204, None)
