"""Start a real Celery worker process against the test database and the configured broker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from tests.support.leash import Leashed

ROOT = Path(__file__).resolve().parent.parent.parent
# What a test's worker does sooner than production (studio/settings_test.py): the simulator's
# jobs take seconds, so waiting 5 to 15 s between status reads, or 2 s for a sweep, is time
# spent on nothing. A test's env= may set them back.
QUICK = {
    "STUDIO_TEST_POLL_AFTER_CAP": "1",
    "STUDIO_TEST_SWEEP_SECONDS": "1",
    # On the PostgreSQL + Redis pass of CI, a message a test sends now and then never reaches
    # the worker consuming its queue (seen at the first test of a process); a lost message is
    # sent again after this, where production waits minutes (docs/decisions/011).
    "TAKE_MESSAGE_LOST_SECONDS": "15",
}


def celery_worker(**options) -> contextlib.AbstractContextManager[dict]:
    """A worker of the test's own; see _start for the options."""
    SHARED.stop()
    return _start(**options)


@contextlib.contextmanager
def _start(
    *,
    queue: str | None = None,
    pipeline: bool = False,
    log_path: Path | None = None,
    env: dict[str, str] | None = None,
    tmp_path: Path | None = None,
) -> Iterator[dict]:
    """A worker on `queue`; with pipeline=True, on the studio's own queues with beat, as in
    production, so takes move through submit, render, follow and download by themselves.

    celery_worker() stops the shared worker (SHARED, below) first: it consumes the same queues
    and sweeps the same database.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    queues = ",".join(settings.QUEUES.values()) if pipeline else queue
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
        **QUICK,
        "DJANGO_SETTINGS_MODULE": "studio.settings_test",
        "STUDIO_TEST_DB_NAME": connection.settings_dict["NAME"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PREVIZ_JOBS_DIR": str(settings.PREVIZ_JOBS_DIR),
        **(env or {}),
    }
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115
    # Its own process group, on a leash (tests/support/leash.py): the whole worker (main
    # process, pool, beat) ends with this pytest process even when nothing here gets to run.
    process = Leashed(command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield {"queue": queue, "hostname": hostname, "process": process}
    finally:
        try:
            stop(process)
        finally:
            log.close()


def stop(process: Leashed) -> None:
    """Stop the worker for good: SIGKILL to its whole process group (main process, pool, beat),
    and wait until none of it runs.

    Not a warm shutdown: Celery's, with beat embedded, took 5 to 20 s here (it respawns the
    pool children a group SIGTERM ends, then waits on beat), per worker, and no test reads
    anything from it. Waiting lives in the database, so a take is never left to a message a
    stopped worker held; a test that needs a crash at a chosen moment calls kill_hard().
    """
    process.stop()
    _wait_for_worker_sessions_to_end()


def _wait_for_worker_sessions_to_end(timeout: float = 10.0) -> None:
    """On PostgreSQL, the server ends a killed client's sessions a moment later; until then the
    test database cannot be dropped at the end of the run, nor flushed without waiting."""
    if connection.vendor != "postgresql":
        return
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND application_name = %s"
    )
    deadline = time.monotonic() + timeout
    # Outside a test (the end of the run) the database is closed to us: nothing to wait for.
    with contextlib.suppress(RuntimeError, DatabaseError):
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(query, [settings.TEST_WORKER_APP])
                if not cursor.fetchone()[0]:
                    return
            time.sleep(0.05)


def kill_hard(process: Leashed) -> None:
    """SIGKILL the worker and its children at once: no warm shutdown, no acks, no cleanup."""
    stop(process)


class SharedWorker:
    """One pipeline worker (with beat) for the end-to-end tests that neither kill nor
    reconfigure theirs: started the first time a test asks for it (the `pipeline_worker`
    fixture, tests/support/pipeline.py), kept for the next test that asks, and stopped
    before any other test runs, so it never takes another test's messages or sweeps its rows.
    Per pytest-xdist process, like the queues and the test database it uses."""

    def __init__(self) -> None:
        self._context: contextlib.AbstractContextManager | None = None
        self.env: dict[str, str] = {}
        self.starts = 0

    def ensure(self, *, env: dict[str, str], media_root: Path, tmp_path: Path) -> None:
        env = {
            **env,
            "MEDIA_ROOT": str(media_root),
            "PREVIZ_JOBS_DIR": str(media_root / "previz-jobs"),  # as tests/conftest.py sets it
        }
        if self._context is not None and env == self.env:
            return
        self.stop()
        log = tmp_path / f"worker-{self.starts}.log"
        context = _start(pipeline=True, tmp_path=tmp_path, log_path=log, env=env)
        context.__enter__()
        self._context, self.env = context, env
        self.starts += 1

    def stop(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            context.__exit__(None, None, None)


SHARED = SharedWorker()


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.2):
    """Poll until predicate() is truthy; return its value or raise after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout:.0f}s")
