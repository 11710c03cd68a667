"""Tests for a pytest run that tests/test_no_worker_left_behind.py starts and interrupts.

Not collected by the suite (no test_ prefix): only run by name, in a pytest process of its own,
with the project's conftest and settings. Each test starts a worker, waits for its pool, writes
its process group to $WORKER_RECORD and then ends one way or another; at the end of the session,
while this process still lives (so the leash has not fired), the fixture below writes what of
each group still runs, which shows the test's own cleanup stopped it.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.support.leash import alive_in_group
from tests.support.workers import celery_worker, wait_for

if "WORKER_RECORD" not in os.environ:
    pytest.skip("run by tests/test_no_worker_left_behind.py", allow_module_level=True)
RECORD = Path(os.environ["WORKER_RECORD"])


def pool_of(main: int) -> list[int]:
    """The worker's pool processes (and beat): forks of its main process, so the same command
    line; not what it runs for a moment at start (ldconfig, for one)."""
    try:
        command = Path(f"/proc/{main}/cmdline").read_bytes()
    except OSError:
        return []
    pool = []
    for pid in alive_in_group(main):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            same = Path(f"/proc/{pid}/cmdline").read_bytes() == command
        except OSError:
            continue
        if same and int(stat.rsplit(")", 1)[1].split()[1]) == main:
            pool.append(pid)
    return pool


@pytest.fixture(scope="session", autouse=True)
def what_is_left_at_the_end():
    yield
    lines = RECORD.read_text().splitlines() if RECORD.exists() else []
    groups = [json.loads(line)["group"] for line in lines]
    left = {str(group): alive_in_group(group) for group in groups}
    Path(f"{RECORD}.end").write_text(json.dumps(left))


def started(worker: dict, *, children: int = 1) -> None:
    """Wait for the worker's pool (and beat), then say which processes make it up."""
    main = worker["process"].pid
    pool = wait_for(lambda: len(pool_of(main)) >= children and pool_of(main), timeout=120)
    entry = {"group": main, "pids": alive_in_group(main), "children": pool}
    with RECORD.open("a") as record:
        record.write(json.dumps(entry) + "\n")


def a_pipeline_worker():
    """A worker shaped like the shared one (prefork pool of two, beat) that touches no one's
    rows: its database does not exist, and its beat sends no sweep in the seconds it lives
    (which would be left on the broker)."""
    nowhere = ":memory:" if connection.vendor == "sqlite" else "ss_no_such_database"
    env = {"STUDIO_TEST_DB_NAME": nowhere, "STUDIO_TEST_SWEEP_SECONDS": "3600"}
    return celery_worker(pipeline=True, env=env)


def test_ends_normally():
    with celery_worker() as worker:
        started(worker)


def test_fails():
    with celery_worker() as worker:
        started(worker)
        pytest.fail("a failing assertion")


def test_raises():
    with celery_worker() as worker:
        started(worker)
        raise RuntimeError("the code under test broke")


def test_timed_out():
    with celery_worker() as worker:
        started(worker)
        # pytest-timeout's own SIGALRM handler (its default method), only sooner than the 300 s
        # ceiling: the exception it raises comes out of this sleep.
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        time.sleep(60)


def test_waits_to_be_interrupted():
    """For a signal from outside: SIGINT (Ctrl-C), SIGTERM, SIGKILL."""
    with a_pipeline_worker() as worker:
        started(worker, children=3)  # two pool processes and beat
        time.sleep(300)


@pytest.mark.timeout(30, method="thread")  # the worker is up well before
def test_timed_out_by_the_thread_method():
    """pytest-timeout's other method: os._exit() from its timer thread, no cleanup at all."""
    with celery_worker() as worker:
        started(worker)
        time.sleep(300)
