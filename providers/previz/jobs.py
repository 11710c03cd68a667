"""The previz job directory: the adapter's "remote API" and the render task share only files.

jobs_dir/take-<id>/job.json      the RenderJob (images as names inside the directory)
                   status.json   {"status", "percent", "updated_at", ...}, replaced atomically
                   first_frame.* copies of the input images: the job never reads our media
                   cancel        present once cancel was asked
                   render.lock   flock held by the live render attempt
                   out.mp4       the result, renamed into place when complete
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any

from providers.previz.render import RenderJob

JOB_FILE = "job.json"
STATUS_FILE = "status.json"
CANCEL_FILE = "cancel"
LOCK_FILE = "render.lock"
OUTPUT_FILE = "out.mp4"

QUEUED, RENDERING, SUCCEEDED, FAILED, CANCELED = (
    "queued",
    "rendering",
    "succeeded",
    "failed",
    "canceled",
)
FINISHED = {SUCCEEDED, FAILED, CANCELED}


def job_id_for(take_id: int) -> str:
    return f"take-{int(take_id)}"


def job_dir(jobs_dir: str, job_id: str) -> str:
    # Ids come back from the database; never let one walk out of jobs_dir.
    if not job_id or os.sep in job_id or job_id.startswith(".") or "/" in job_id:
        raise ValueError(f"Not a previz job id: {job_id!r}")
    return os.path.join(jobs_dir, job_id)


def write_json(path: str, data: dict[str, Any]) -> None:
    """Readers see the old file or the new one, never half of one."""
    directory = os.path.dirname(path)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise


def read_json(path: str) -> dict[str, Any] | None:
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


def read_status(directory: str) -> dict[str, Any] | None:
    return read_json(os.path.join(directory, STATUS_FILE))


def write_status(directory: str, status: str, **fields: Any) -> dict[str, Any]:
    data = {"status": status, "percent": 0, **fields, "updated_at": time.time()}
    write_json(os.path.join(directory, STATUS_FILE), data)
    return data


def load_job(directory: str) -> RenderJob:
    data = read_json(os.path.join(directory, JOB_FILE))
    if data is None:
        raise FileNotFoundError(os.path.join(directory, JOB_FILE))
    for key in ("hero_path", "last_frame_path"):
        if data.get(key):
            data[key] = os.path.join(directory, data[key])
    return RenderJob.from_dict(data)


def cancel_requested(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, CANCEL_FILE))
