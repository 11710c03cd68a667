"""The render worker's one task. Celery only: it reads and writes the job directory, nothing else.

Safe to run twice: a finished job is left alone, a second copy running beside a live attempt
steps aside (flock, released by the kernel when a worker dies), and an attempt that died half
way is simply started again from frame one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
import uuid

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from providers.previz import jobs
from providers.previz.render import RenderCanceled, RenderError, render_previz

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0  # far below the adapter's stale limit, so a slow render never looks dead


@shared_task(name="providers.previz.render", acks_late=True, ignore_result=True)
def render_job(job_id: str, jobs_dir: str) -> None:
    directory = jobs.job_dir(jobs_dir, job_id)
    if not os.path.isdir(directory):
        logger.warning("previz job %s: no directory in %s, nothing to render", job_id, jobs_dir)
        return
    with open(os.path.join(directory, jobs.LOCK_FILE), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("previz job %s: another attempt is rendering it", job_id)
            return
        _render_locked(job_id, directory)


def _render_locked(job_id: str, directory: str) -> None:
    status = jobs.read_status(directory) or {}
    if status.get("status") in jobs.FINISHED:
        return
    if jobs.cancel_requested(directory):
        jobs.write_status(directory, jobs.CANCELED)
        return
    jobs.write_status(directory, jobs.RENDERING, percent=0)
    last_write = time.monotonic()
    current = 0

    def on_progress(percent: int) -> None:
        nonlocal last_write, current
        current = percent
        if percent < 100:
            jobs.write_status(directory, jobs.RENDERING, percent=percent)
            last_write = time.monotonic()

    def should_stop() -> bool:
        nonlocal last_write
        if time.monotonic() - last_write > HEARTBEAT_SECONDS:
            jobs.write_status(directory, jobs.RENDERING, percent=current)
            last_write = time.monotonic()
        return jobs.cancel_requested(directory)

    # Each attempt renders under its own name: a stray earlier attempt can never interleave.
    attempt = os.path.join(directory, f"out-{uuid.uuid4().hex}.mp4")
    try:
        job = jobs.load_job(directory)
        result = render_previz(job, attempt, on_progress=on_progress, should_stop=should_stop)
        os.replace(attempt, os.path.join(directory, jobs.OUTPUT_FILE))
    except RenderCanceled:
        jobs.write_status(directory, jobs.CANCELED, percent=current)
    except RenderError as exc:
        jobs.write_status(directory, jobs.FAILED, error=str(exc))
    except SoftTimeLimitExceeded:
        jobs.write_status(directory, jobs.FAILED, error="The previz render ran out of time.")
    except Exception as exc:
        logger.exception("previz job %s crashed", job_id)
        jobs.write_status(directory, jobs.FAILED, error=f"Previz render failed: {exc}")
    else:
        jobs.write_status(
            directory,
            jobs.SUCCEEDED,
            percent=100,
            duration_seconds=result.duration_seconds,
            width=result.width,
            height=result.height,
            frames=result.frames,
            fps=result.fps,
        )
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(attempt)
