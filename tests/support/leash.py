"""Processes a test starts that cannot outlive the pytest process that started them.

Leashed(command) starts `command` in a session (and process group) of its own, and beside it a
watchdog in that same group. The watchdog holds the read end of a pipe whose only write end
stays in this process; when this process dies, however it dies (SIGKILL, SIGTERM, os._exit from
pytest-timeout's thread method, an xdist worker crashing), the kernel closes the write end, the
watchdog reads end-of-file and SIGKILLs the whole group: the worker, its prefork pool, its beat.

Why not PR_SET_PDEATHSIG: it fires when the *thread* that started the child exits, not the
process, and it reaches only the direct child, not the children it forks. A pipe is closed only
when the process is gone, and a process group reaches every descendant that stays in it (Celery
never leaves it unless told to --detach).

stop() ends the group for good at the end of a test; an atexit hook stops any that are left.

Run as a script, this file is the launcher: `python leash.py FD COMMAND...`.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

LEASH = Path(__file__).resolve()


def alive_in_group(pgid: int) -> list[int]:
    """The pids of the processes in process group `pgid` that still run (zombies do not: PID 1
    here reaps no orphans, and a zombie holds no queue, lock or connection)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state not in "ZX":
            pids.append(int(entry.name))
    return pids


def wait_until_gone(pids: list[int] | int, *, timeout: float = 10.0) -> list[int]:
    """Wait until none of `pids` (or nothing in the group, given one pgid) runs; return what
    still runs when the timeout is over ([] when all are gone)."""
    deadline = time.monotonic() + timeout
    while True:
        left = alive_in_group(pids) if isinstance(pids, int) else [p for p in pids if running(p)]
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in "ZX"


class Leashed(subprocess.Popen):
    """subprocess.Popen for `command` in a process group of its own, on a leash (above).

    `pid` is the command's own process (the launcher execs it), and its process group id.
    """

    def __init__(self, command: list[str], **popen_options) -> None:
        read_end, self._leash = os.pipe()
        try:
            super().__init__(
                [sys.executable, str(LEASH), str(read_end), *command],
                pass_fds=(read_end,),
                start_new_session=True,
                **popen_options,
            )
        except BaseException:
            os.close(self._leash)
            raise
        finally:
            os.close(read_end)
        self.stopped = False
        _LIVE.add(self)

    def stop(self, *, grace: float = 0.0, timeout: float = 10.0) -> None:
        """End the whole group: SIGTERM to the command first if given a `grace` (seconds to end
        by itself), then SIGKILL to whatever of the group is left. Raises if anything of it
        still runs `timeout` seconds later."""
        if self.stopped:  # its group id may belong to someone else by now
            return
        if grace and self.poll() is None:
            self.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.wait(grace)
        # Even if the command is gone already: no process of its group may outlive it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.stopped = True
        _LIVE.discard(self)
        os.close(self._leash)
        self.wait(timeout)
        left = wait_until_gone(self.pid, timeout=timeout)
        if left:
            raise RuntimeError(f"still running after SIGKILL to group {self.pid}: {left}")


_LIVE: set[Leashed] = set()  # started, not yet stopped


@atexit.register
def _stop_the_rest() -> None:
    # A backstop for a start no test got to stop (an interrupt between Popen and its `try`).
    for process in list(_LIVE):
        with contextlib.suppress(Exception):
            process.stop(timeout=5)


def _launch(read_end: int, command: list[str]) -> None:
    """In the new session: fork the watchdog off, then become `command`."""
    if os.fork() == 0:
        if os.fork() != 0:  # the watchdog is a grandchild: nobody's child once this exits
            os._exit(0)
        _watch(read_end)
    os.wait()
    os.close(read_end)
    os.execvp(command[0], command)


def _watch(read_end: int) -> None:
    # Nothing but a group-wide SIGKILL ends the watchdog before the pipe does.
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    # Hold no one's output open: a reader waiting for end-of-file would wait for us.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    while True:
        try:
            if not os.read(read_end, 1):
                break
        except InterruptedError:
            continue
    os.killpg(0, signal.SIGKILL)


if __name__ == "__main__":
    _launch(int(sys.argv[1]), sys.argv[2:])
