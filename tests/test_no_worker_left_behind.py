"""A worker a test starts is stopped, all of it (main process, prefork pool, beat), however the
test ends: normally, failing, raising, timed out, interrupted with Ctrl-C, or with the pytest
process itself killed. A worker left behind keeps taking messages from its queue and writing
to whatever database it was given.

Each case runs real tests (tests/support/run_to_interrupt.py) in a pytest process of its own,
ends it one way or another, and then looks in /proc for every process the worker was made of.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.leash import Leashed, alive_in_group, wait_until_gone

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent
INNER = "tests/support/run_to_interrupt.py"
# This process's own queues, test database and part of the suite: the inner run picks its own.
NOT_INHERITED = (
    "PYTEST_XDIST_WORKER",
    "PYTEST_XDIST_WORKER_COUNT",
    "PYTEST_XDIST_TESTRUNUID",
    "PYTEST_CURRENT_TEST",
    "STUDIO_TEST_QUEUES_FOR",
    "STUDIO_QUEUE_PREFIX",
    "STUDIO_TEST_DB_NAME",
    "STUDIO_TEST_PART",
)


class InnerRun:
    """`pytest` on some of tests/support/run_to_interrupt.py, in a process of its own."""

    def __init__(self, tmp_path: Path, *tests: str) -> None:
        self.record = tmp_path / "workers.jsonl"
        self.output = tmp_path / "pytest.log"
        env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        env["WORKER_RECORD"] = str(self.record)
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
        command += [f"{INNER}::{test}" for test in tests]
        with self.output.open("wb") as output:
            # On a leash itself: should this test fail, the inner run and its workers end.
            self.process = Leashed(command, cwd=ROOT, env=env, stdout=output, stderr=output)

    def log(self) -> str:
        return self.output.read_text(errors="replace")[-6000:]

    def workers(self, count: int = 1, timeout: float = 150) -> list[dict]:
        """The workers the inner tests recorded, once `count` of them have."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.record.read_text().splitlines() if self.record.exists() else []
            if len(lines) >= count:
                return [json.loads(line) for line in lines]
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{count} worker(s) never recorded; inner run:\n{self.log()}")

    def finish(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"inner run still running; its log:\n{self.log()}") from None

    def left_at_its_end(self) -> dict[str, list[int]]:
        """What of each worker still ran at the inner session's end, before the leash could act."""
        return json.loads(Path(f"{self.record}.end").read_text())

    def stop(self) -> None:
        """End the inner run, and any of its workers a failing case left running."""
        self.process.stop()
        lines = self.record.read_text().splitlines() if self.record.exists() else []
        for worker in map(json.loads, lines):
            for pid in set(worker["pids"]) & set(alive_in_group(worker["group"])):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


@pytest.fixture
def inner(tmp_path):
    runs: list[InnerRun] = []

    def start(*tests: str) -> InnerRun:
        runs.append(InnerRun(tmp_path, *tests))
        return runs[-1]

    yield start
    for run in runs:
        run.stop()


def assert_all_gone(workers: list[dict]) -> None:
    for worker in workers:
        assert worker["children"], worker  # the pool was there to be stopped
        assert wait_until_gone(worker["pids"]) == [], worker
        # And whatever it started after the pids above were taken.
        assert wait_until_gone(worker["group"]) == [], worker


def test_a_worker_stops_when_its_test_passes_fails_raises_or_times_out(inner):
    run = inner("test_ends_normally", "test_fails", "test_raises", "test_timed_out")
    assert run.finish(timeout=240) == 1, run.log()
    workers = run.workers(4)
    # Stopped by each test's own cleanup, while the run still went on.
    assert run.left_at_its_end() == {str(worker["group"]): [] for worker in workers}
    assert_all_gone(workers)
    log = run.log()
    assert "3 failed, 1 passed" in log and "Timeout (>300.0s) from pytest-timeout" in log


def test_a_worker_stops_when_the_run_is_interrupted_with_ctrl_c(inner):
    run = inner("test_waits_to_be_interrupted")
    workers = run.workers()
    assert len(workers[0]["children"]) >= 3  # two pool processes and beat
    run.process.send_signal(signal.SIGINT)
    assert run.finish() == pytest.ExitCode.INTERRUPTED, run.log()
    assert run.left_at_its_end() == {str(workers[0]["group"]): []}
    assert_all_gone(workers)


@pytest.mark.parametrize("death", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_worker_stops_when_the_pytest_process_is_killed(inner, death):
    run = inner("test_waits_to_be_interrupted")
    workers = run.workers()
    run.process.send_signal(death)
    assert run.finish() == -death, run.log()
    assert not Path(f"{run.record}.end").exists()  # nothing of pytest ran after the signal
    assert_all_gone(workers)


def test_a_worker_stops_when_pytest_timeouts_thread_method_ends_the_process(inner):
    run = inner("test_timed_out_by_the_thread_method")
    workers = run.workers()
    assert run.finish() == 1, run.log()
    assert "Timeout" in run.log() and not Path(f"{run.record}.end").exists()
    assert_all_gone(workers)


def test_stop_with_a_grace_asks_first_then_kills_what_is_left(tmp_path):
    """As gunicorn is stopped (tests/projects/test_webhooks.py): SIGTERM, time to write out
    its log, then SIGKILL for a child that ignores SIGTERM."""
    asked = tmp_path / "asked"
    script = "trap 'echo yes > \"$0\"; exit 0' TERM; (trap '' TERM; sleep 300) & wait"
    process = Leashed(["sh", "-c", script, str(asked)])
    try:
        # Generous: on CI's busy cores a Python launcher has taken over 30 s to exec the shell.
        deadline = time.monotonic() + 90
        while len(alive_in_group(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)  # sh, its subshell's sleep, the watchdog
        assert len(alive_in_group(process.pid)) >= 3
        process.stop(grace=30)
    finally:
        process.stop()
    assert asked.read_text() == "yes\n"
    assert process.returncode == 0
    assert alive_in_group(process.pid) == []
