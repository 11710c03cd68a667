"""BytePlus ModelArk content-generation tasks (docs/providers.md §4), as the simulator speaks.

POST/GET/DELETE /api/v3/contents/generations/tasks[/{id}] under the "seedance" prefix, Bearer
auth, errors as {"error": {"code", "message", "param", "type"}}, task objects as §4.4 shows them.
Draft then final (Seedance 1.5 pro only): a `"draft": true` task renders at 480p and is
remembered; a final whose only content item is `{"type": "draft_task", ...}` is accepted only
from one of its own succeeded drafts less than 7 days old, and reuses the draft's prompt, images,
audio, seed, ratio, duration and camera_fixed [V-mirror: Volcengine's create-task page,
docs/82379/1520757]. GET .../tasks lists tasks (page_num, page_size).
Where the contract is inferred [I] (the exact 401/429 codes, the answer to cancelling a running
task, the moderation code of a failed task) the comment says so.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from providers.simulator.core import Job, Request, Response, Simulator

API = "/api/v3"
TASKS = f"{API}/contents/generations/tasks"
# Only the 1.x/2.x ids of §4.1 are served; 1.5 pro durations are 4-12 s [3P].
DURATIONS = {
    "seedance-1-5-pro-251215": range(4, 13),
    "seedance-1-0-pro-250528": range(2, 13),
    "seedance-1-0-pro-fast-251015": range(2, 13),
    "dreamina-seedance-2-0-260128": range(4, 16),
}
RESOLUTIONS = ("480p", "720p", "1080p")
RATIOS = ("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive")
ROLES = ("first_frame", "last_frame", "reference_image")
BOOL_FIELDS = ("camera_fixed", "watermark", "generate_audio", "draft", "return_last_frame")
SHORT_SIDE = {"480p": 480, "720p": 720, "1080p": 1080}
FPS = 24
STATUS = {"canceled": "cancelled", "rejected": "failed"}  # engine words -> ModelArk's
DRAFT_MODELS = ("seedance-1-5-pro-251215",)  # "仅 Seedance 1.5 pro 支持"
DRAFT_TTL = 7 * 24 * 3600.0  # task ids are kept 7 days from created_at
# What a final takes from its draft; sending them again is refused here [I: the page says the
# platform reuses them, not what it does with a second copy].
FROM_DRAFT = ("generate_audio", "seed", "ratio", "duration", "camera_fixed")


def _request_id() -> str:
    return f"{time.strftime('%Y%m%d%H%M%S')}{secrets.token_hex(12)}"


def error(status: int, code: str, message: str, kind: str, param: str = "", **kw) -> Response:
    """ModelArk's error body; every message ends with the request id, as the real ones do."""
    body = {
        "error": {
            "code": code,
            "message": f"{message} Request id: {_request_id()}",
            "param": param,
            "type": kind,
        }
    }
    return Response(status, body, **kw)


def invalid(param: str, detail: str) -> Response:
    return error(
        400,
        "InvalidParameter",
        f"The parameter `{param}` specified in the request is not valid: {detail}.",
        "BadRequest",
        param,
    )


def handle(sim: Simulator, request: Request) -> Response | None:
    prefix = request.headers.get("x-sim-provider", "seedance")
    if not request.path.startswith(TASKS):
        return None
    rest = request.path[len(TASKS) :].strip("/")
    expected = f"Bearer {sim.credentials.get('seedance', '')}"
    if request.headers.get("authorization", "") != expected:
        # [V-3P: many captured replies] the gateway's answer to a missing or wrong key.
        return error(
            401,
            "AuthenticationError",
            "The API key or AK/SK in the request is missing or invalid.",
            "Unauthorized",
        )
    if request.method == "POST" and not rest:
        return create(sim, prefix, request)
    if request.method == "GET" and rest:
        return status(sim, prefix, rest)
    if request.method == "GET":
        return listing(sim, prefix, request)
    if request.method == "DELETE" and rest:
        return cancel(sim, prefix, rest)
    return None


def _fault_response(sim: Simulator, fault: str | None) -> Response | None:
    if fault == "rate_limit":
        return error(
            429,
            "ModelAccountRpmRateLimitExceeded",
            "Request rate has exceeded the RPM limit of the model for your account.",
            "TooManyRequests",
            headers={"Retry-After": "2"},
        )
    if fault == "busy":
        # §4.5: concurrency (in-flight) limits also answer 429; the code is inferred [I].
        return error(
            429,
            "InflightBatchsizeExceeded",
            "The number of in-flight tasks has reached the concurrency limit of your account.",
            "TooManyRequests",
        )
    if fault == "quota":
        # [V] Volcengine Ark's public error codes (docs/82379/1299023): an account in arrears.
        return error(
            403,
            "AccountOverdueError",
            "The request failed because your account has an overdue balance.",
            "Forbidden",
        )
    if fault == "server_error":
        return error(
            500,
            "InternalServiceError",
            "The service encountered an unexpected internal error.",
            "InternalServerError",
        )
    if fault == "unavailable":
        return error(
            503,
            "ServiceUnavailable",
            "The service is temporarily unavailable.",
            "ServiceUnavailable",
            headers={"Retry-After": "1"},
        )
    if fault == "timeout":
        return Response(200, {"id": "cgt-late"}, delay=sim.timeout_seconds + 1)
    if fault == "malformed":
        return Response(200, b"<html>502 Bad Gateway</html>", {"Content-Type": "text/html"})
    return None


def validate(body: Any) -> Response | None:
    """The checks ModelArk makes before it accepts a task, in its own error shape."""
    if not isinstance(body, dict):
        return invalid("body", "the request body is not a JSON object")
    model = body.get("model")
    if not model:
        return error(
            400,
            "MissingParameter",
            "The request failed because it is missing one or "
            "multiple required parameters: `model`.",
            "BadRequest",
            "model",
        )
    if model not in DURATIONS:
        return error(
            404,
            "InvalidEndpointOrModel.NotFound",
            f"The model or endpoint {model} does not exist or you do not have access to it.",
            "NotFound",
        )
    content = body.get("content")
    if not isinstance(content, list) or not content:
        return error(
            400,
            "MissingParameter",
            "The request failed because it is missing one or "
            "multiple required parameters: `content`.",
            "BadRequest",
            "content",
        )
    roles = []
    for item in content:
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "text":
            if not isinstance(item.get("text"), str):
                return invalid("content.text", "text must be a string")
        elif kind == "image_url":
            url = (item.get("image_url") or {}).get("url", "")
            if not (url.startswith("https://") or url.startswith("data:image/")):
                return invalid("content.image_url", "the image must be an https URL or data URI")
            if item.get("role", "first_frame") not in ROLES:
                return invalid("content.role", f"role must be one of {', '.join(ROLES)}")
            roles.append(item.get("role", "first_frame"))
        elif kind == "draft_task":
            if len(content) != 1:
                return invalid("content", "a draft_task must be the only content item")
            if not isinstance((item.get("draft_task") or {}).get("id"), str):
                return invalid("content.draft_task.id", "the draft task id must be a string")
        else:
            return invalid("content.type", f"unsupported content type {kind!r}")
    if "reference_image" in roles and {"first_frame", "last_frame"} & set(roles):
        return invalid("content.role", "reference images cannot be mixed with first/last frames")
    if roles.count("first_frame") > 1 or roles.count("last_frame") > 1:
        return invalid("content.role", "at most one first_frame and one last_frame")
    if "last_frame" in roles and "first_frame" not in roles:
        return invalid("content.role", "a last_frame needs a first_frame")
    duration = body.get("duration")
    if duration is not None and (type(duration) is not int or duration not in DURATIONS[model]):
        allowed = DURATIONS[model]
        return invalid("duration", f"{model} takes {allowed.start}-{allowed.stop - 1} seconds")
    if body.get("resolution", "720p") not in RESOLUTIONS:
        return invalid("resolution", f"resolution must be one of {', '.join(RESOLUTIONS)}")
    if body.get("ratio", "16:9") not in RATIOS:
        return invalid("ratio", f"ratio must be one of {', '.join(RATIOS)}")
    seed = body.get("seed")
    if seed is not None and (type(seed) is not int or not -1 <= seed <= 4294967295):
        return invalid("seed", "seed must be an integer in [-1, 4294967295]")
    for name in BOOL_FIELDS:
        if name in body and not isinstance(body[name], bool):
            return invalid(name, f"{name} must be a boolean")
    if body.get("draft"):
        return validate_draft(body)
    return None


def validate_draft(body: dict[str, Any]) -> Response | None:
    """The page's tip: a draft renders at 480p (any other resolution is an error), and takes no
    return_last_frame and no flex tier."""
    if body["model"] not in DRAFT_MODELS:
        return invalid("draft", f"draft mode is not supported by {body['model']}")
    if body.get("resolution", "480p") != "480p":
        return invalid("resolution", "a draft task is generated at 480p only")
    if body.get("return_last_frame"):
        return invalid("return_last_frame", "a draft task cannot return its last frame")
    if body.get("service_tier", "default") != "default":
        return invalid("service_tier", "a draft task cannot use the flex tier")
    if any(item.get("type") == "draft_task" for item in body["content"]):
        return invalid("content.draft_task", "a draft cannot be made from a draft task")
    return None


def from_draft(sim: Simulator, prefix: str, body: dict[str, Any]) -> dict[str, Any] | Response:
    """The final's request with what it reuses from its draft, or the Ark-style refusal [I]."""
    draft_id = body["content"][0]["draft_task"]["id"]
    draft = sim.find(prefix, draft_id)
    param = "content.draft_task.id"
    if draft is None or time.monotonic() - draft.created > DRAFT_TTL:
        return invalid(param, f"the draft task {draft_id} does not exist or has expired")
    if not draft.request.get("draft"):
        return invalid(param, f"the task {draft_id} is not a draft task")
    if sim.state_of(draft) != "succeeded":
        return invalid(param, f"the draft task {draft_id} has not succeeded")
    if draft.model != body["model"]:
        return invalid("model", f"the draft task {draft_id} was made with {draft.model}")
    repeated = sorted(name for name in FROM_DRAFT if name in body)
    if repeated:
        return invalid(repeated[0], "a final reuses this from its draft task; do not send it")
    reused = {name: draft.request[name] for name in FROM_DRAFT if name in draft.request}
    final = {**reused, **body, "draft_task_id": draft_id, "content": draft.request["content"]}
    final.pop("draft", None)
    final.setdefault("resolution", "720p")
    return final


def create(sim: Simulator, prefix: str, request: Request) -> Response:
    kinds = ("rate_limit", "server_error", "unavailable", "timeout", "malformed", "busy", "quota")
    fault = sim.next_fault(prefix, kinds=kinds)
    answer = _fault_response(sim, fault)
    if answer is not None:
        return answer
    body = request.json
    if isinstance(body, dict):
        # The official SDK sends every optional field, unset ones as null: null means "default".
        body = {key: value for key, value in body.items() if value is not None}
    problem = validate(body)
    if problem is not None:
        return problem
    if body["content"][0].get("type") == "draft_task":
        final = from_draft(sim, prefix, body)
        if isinstance(final, Response):
            return final
        body = final
    elif body.get("draft"):
        body = {**body, "resolution": "480p"}
    job = sim.create_job(prefix, body["model"], body, prefix="cgt-")
    if isinstance(body.get("callback_url"), str):
        # [3P] "called with the final task result": the task object a status read returns.
        sim.callbacks.watch(job, body["callback_url"], lambda: task_object(sim, job))
    return Response(200, {"id": job.id})


def _tokens(job: Job) -> int:
    """§4.6: tokens ≈ width × height × fps × seconds / 1024."""
    short = SHORT_SIDE.get(job.request.get("resolution", "720p"), 720)
    ratio = job.request.get("ratio", "16:9")
    across, down = (16, 9) if ratio == "adaptive" else (int(p) for p in ratio.split(":"))
    long_side = round(short * max(across, down) / min(across, down))
    return short * long_side * FPS * int(job.request.get("duration", 5)) // 1024


def task_object(sim: Simulator, job: Job) -> dict[str, Any]:
    """The §4.4 task object for `job` as it stands now."""
    observed = sim.observe(job)
    state = STATUS.get(observed, observed)
    asked = job.request
    created = int(time.time() - (time.monotonic() - job.created))
    task: dict[str, Any] = {
        "id": job.id,
        "model": job.model,
        "status": state,
        "error": None,
        "created_at": created,
        "updated_at": int(time.time()),
        "seed": asked.get("seed", 78674),
        "resolution": asked.get("resolution", "720p"),
        "ratio": asked.get("ratio", "16:9"),
        "duration": asked.get("duration", 5),
        "framespersecond": FPS,
        "service_tier": asked.get("service_tier", "default"),
        "execution_expires_after": asked.get("execution_expires_after", 172800),
        "generate_audio": asked.get("generate_audio", True),  # 3P: defaults to true
        "draft": asked.get("draft", False),
    }
    if asked.get("draft_task_id"):
        task["draft_task_id"] = asked["draft_task_id"]
    if state == "succeeded":
        task["content"] = {"video_url": sim.file_url(job)}
        tokens = _tokens(job)
        task["usage"] = {"completion_tokens": tokens, "total_tokens": tokens}
    elif job.outcome == "rejected" and state == "failed":
        # The output-side moderation code is inferred [I] (§4.5 saw only input-side codes).
        task["error"] = {
            "code": "OutputVideoSensitiveContentDetected",
            "message": "The generated video may contain sensitive information.",
        }
    elif state == "failed":
        task["error"] = {
            "code": "InternalServiceError",
            "message": "The video generation failed: the service hit an internal error.",
        }
    return task


def status(sim: Simulator, prefix: str, task_id: str) -> Response:
    answer = _fault_response(
        sim,
        sim.next_fault(prefix, kinds=("rate_limit", "server_error", "unavailable", "malformed")),
    )
    if answer is not None:
        return answer
    job = sim.find(prefix, task_id)
    if job is None:
        return error(
            404, "ResourceNotFound", f"The specified task {task_id} is not found.", "NotFound"
        )
    return Response(200, task_object(sim, job))


def listing(sim: Simulator, prefix: str, request: Request) -> Response:
    """GET .../tasks?page_num=&page_size=: the account's tasks, newest first ({total, items})."""
    kinds = ("rate_limit", "server_error", "unavailable", "malformed")
    answer = _fault_response(sim, sim.next_fault(prefix, kinds=kinds))
    if answer is not None:
        return answer
    try:
        page = int(request.query.get("page_num", 1))
        size = int(request.query.get("page_size", 10))
    except ValueError:
        return invalid("page_size", "page_num and page_size must be integers")
    if not (1 <= page <= 500 and 1 <= size <= 500):
        return invalid("page_size", "page_num and page_size must be in [1, 500]")
    jobs = sorted(
        (job for job in sim.jobs.values() if job.provider == prefix),
        key=lambda job: job.created,
        reverse=True,
    )
    items = [task_object(sim, job) for job in jobs[(page - 1) * size : page * size]]
    return Response(200, {"total": len(jobs), "items": items})


def cancel(sim: Simulator, prefix: str, task_id: str) -> Response:
    job = sim.find(prefix, task_id)
    if job is None:
        return error(
            404, "ResourceNotFound", f"The specified task {task_id} is not found.", "NotFound"
        )
    state = sim.state_of(job)
    if state == "queued":
        job.canceled = True
    elif state == "running":
        # §4.2: only queued tasks can be cancelled; the exact refusal is inferred [I].
        return error(
            400,
            "OperationDenied",
            f"The task {task_id} is running and cannot be cancelled; only queued tasks can be.",
            "BadRequest",
        )
    else:
        # A finished task's record is deleted (§4.2, 3P: Composio).
        with sim.lock:
            sim.jobs.pop(task_id, None)
    return Response(200, {})
