"""Provider callbacks, as the simulator sends them: when a job it was given a callback address
for changes state, it POSTs the provider's status answer there (docs/providers.md: Kling on
every change §3.8, Seedance and Higgsfield with the final result, Veo's Gemini webhookConfig
when the operation is done).

A job in "time" mode finishes by the clock, with no request to notice it, so a scheduler thread
looks at the watched jobs every `tick` seconds and sends what changed. Sends go out from a small
pool, so a slow studio never holds up the next job's callback. Only ever to loopback addresses:
anything else is refused and recorded, never connected to (nothing under test leaves this
machine).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from providers.simulator.core import Job, Simulator

WAITING = ("queued", "running")
ATTEMPTS = 3  # real providers retry a callback the receiver did not take (Higgsfield: 2 hours)


@dataclass
class Watch:
    job: Job
    urls: list[str]
    payload: Callable[[], dict[str, Any]]  # the provider's status answer, built when sent
    every_change: bool  # Kling calls on every change; the others only when the job ends
    last: str


@dataclass
class Sent:
    job_id: str
    url: str
    state: str  # the engine's word for the job's state when it was sent
    status: int  # the receiver's HTTP status; 0 when it could not be reached
    at: float  # time.time() of the answer
    body: dict[str, Any]


def is_loopback(url: str) -> bool:
    """Only http(s) to a loopback address, written as one ("localhost" too); names are never
    resolved, so no lookup leaves the machine either."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class Callbacks:
    def __init__(self, sim: Simulator, *, tick: float = 0.05, senders: int = 8):
        self.sim = sim
        self.tick = tick
        self.watches: dict[str, Watch] = {}
        self.sent: list[Sent] = []
        self.refused: list[str] = []  # addresses not on loopback, never called
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._senders = senders
        self._pool: ThreadPoolExecutor | None = None

    def watch(
        self,
        job: Job,
        urls: list[str] | str,
        payload: Callable[[], dict[str, Any]],
        *,
        every_change: bool = False,
    ) -> None:
        """Call `urls` back when `job` changes (every change, or only when it ends)."""
        urls = [urls] if isinstance(urls, str) else list(urls)
        allowed = [url for url in urls if is_loopback(url)]
        with self._lock:
            self.refused.extend(str(url) for url in urls if url not in allowed)
            if not allowed:
                return
            self.watches[job.id] = Watch(job, allowed, payload, every_change, self._state(job))
            self._start()

    def _state(self, job: Job) -> str:
        return self.sim.state_of(job)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._pool = ThreadPoolExecutor(self._senders, thread_name_prefix="sim-callback")
            self._thread = threading.Thread(target=self._run, name="sim-callbacks", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def clear(self) -> None:
        with self._lock:
            self.watches.clear()
            self.sent.clear()
            self.refused.clear()

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            self.check()

    def check(self) -> None:
        """Send what changed since the last look; forget jobs that ended or were deleted."""
        due: list[tuple[Watch, str]] = []
        with self._lock:
            for job_id, watch in list(self.watches.items()):
                if self.sim.jobs.get(job_id) is not watch.job:
                    del self.watches[job_id]  # deleted (a finished Seedance task cancelled)
                    continue
                state = self._state(watch.job)
                if state == watch.last:
                    continue
                watch.last = state
                if state not in WAITING:
                    del self.watches[job_id]
                if watch.every_change or state not in WAITING:
                    due.append((watch, state))
        for watch, state in due:
            with self.sim.unobserved():  # building the answer is not a status read
                body = watch.payload()
            for url in watch.urls:
                if self._pool is not None:
                    self._pool.submit(self._send, watch.job.id, url, state, body)

    def _send(self, job_id: str, url: str, state: str, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        status = 0
        for attempt in range(ATTEMPTS):
            request = urllib.request.Request(  # noqa: S310 (loopback http(s) only: watch())
                url, data=data, method="POST", headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (OSError, ValueError, http.client.HTTPException):
                status = 0  # not reached, or hung up mid-answer
            if 200 <= status < 300 or 400 <= status < 500 or attempt == ATTEMPTS - 1:
                break  # taken, or refused for good (a wrong token), or out of attempts
            if self._stop.wait(attempt + 1):
                break  # the simulator stopped
        with self._lock:
            self.sent.append(Sent(job_id, url, state, status, time.time(), body))
