"""Start a real Celery worker process against the test database and the configured broker."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def celery_worker(
    *,
    queue: str | None = None,
    pipeline: bool = False,
    log_path: Path | None = None,
    env: dict[str, str] | None = None,
    tmp_path: Path | None = None,
) -> Iterator[dict]:
    """A worker on `queue`; with pipeline=True, on the studio's own queues with beat, as in
    production, so takes move through submit, render, follow and download by themselves."""
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    queues = f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.RENDER_QUEUE}" if pipeline else queue
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "studio",
        "worker",
        "-Q",
        queues,
        "--hostname",
        hostname,
        "--concurrency",
        "2" if pipeline else "1",
        "--pool",
        "prefork",
        "--loglevel",
        "INFO",
    ]
    if pipeline:
        schedule = (tmp_path or Path("/tmp")) / f"beat-{uuid.uuid4().hex[:8]}"
        command += ["--beat", "--schedule", str(schedule)]
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings_test",
        "STUDIO_TEST_DB_NAME": connection.settings_dict["NAME"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PREVIZ_JOBS_DIR": str(settings.PREVIZ_JOBS_DIR),
        **(env or {}),
    }
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115
    # Its own session, so a test can SIGKILL the whole worker (main process and children).
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield {"queue": queue, "hostname": hostname, "process": process}
    finally:
        stop(process)
        log.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its children at once: no warm shutdown, no acks, no cleanup."""
    stop(process, signal.SIGKILL)


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or raise after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout:.0f}s")
