"""The simulator's engine: jobs that progress over time, faults on demand, real MP4 results."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from providers.simulator.callbacks import Callbacks

FAULTS = (
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 500
    "unavailable",  # 503
    "timeout",  # no answer until after the client's timeout
    "malformed",  # 200 with a body that is not JSON
    "moderation",  # the job ends rejected by the safety filter
    "expired_url",  # the result URL answers 403/404 as if expired
    "busy",  # the account's concurrency limit (Runway THROTTLED, Kling 1303)
    "fail",  # the job ends failed
    "lost_answer",  # the job is created, then the create answers 500 (Kling only)
    "quota",  # the create is refused: the account is out of credit (each provider's own answer)
)


@dataclass
class Request:
    method: str
    path: str  # after the provider prefix
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return None


@dataclass
class Response:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    file: str | None = None  # serve this file's bytes
    delay: float = 0.0  # seconds to wait before answering (timeouts)


@dataclass
class Job:
    id: str
    provider: str
    model: str
    request: dict[str, Any]
    created: float
    outcome: str = "succeeded"  # succeeded | failed | rejected
    canceled: bool = False
    external_id: str = ""
    file_token: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    polls: int = 0  # status reads answered so far

    def state(self, age: float, step: float) -> str:
        """queued for one step, running for two, then the outcome."""
        if self.canceled:
            return "canceled"
        if age < step:
            return "queued"
        if age < 3 * step:
            return "running"
        return self.outcome

    def progress(self, age: float, step: float) -> int:
        return max(0, min(100, int((age - step) / (2 * step) * 100)))


class Simulator:
    def __init__(
        self,
        *,
        base_url: str = "",
        step_seconds: float = 0.5,
        timeout_seconds: float = 35.0,
        concurrency: int = 4,
        credentials: dict[str, Any] | None = None,
        video_path: str | None = None,
        progress_by: str = "time",
    ):
        if progress_by not in ("time", "polls"):
            raise ValueError("progress_by is 'time' or 'polls'")
        self.base_url = base_url
        self.step = step_seconds
        # "time": a job ages with the wall clock, as a real provider's does. "polls": it ages
        # one step per status read, so a test sees queued → running → done whatever the load.
        self.progress_by = progress_by
        self.timeout_seconds = timeout_seconds
        self.concurrency = concurrency
        self.credentials = credentials or default_credentials()
        self.jobs: dict[str, Job] = {}
        self.submissions: list[tuple[str, dict]] = []  # every accepted create, for tests
        self.faults: dict[str, list[str]] = {}
        self.expired: set[str] = set()
        # A provider module's own records beyond jobs (Higgsfield's accounts and uploads),
        # keyed by module; cleared with everything else on reset.
        self.state: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self.video_path = video_path or sample_video()
        # What the studio cost the "provider": status reads answered and result files served.
        self.status_reads = 0
        self.downloads = 0
        self._quiet = threading.local()
        self.callbacks = Callbacks(self)

    # faults ------------------------------------------------------------------------------
    def add_fault(self, provider: str, fault: str, times: int = 1) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        with self.lock:
            self.faults.setdefault(provider, []).extend([fault] * times)

    def next_fault(self, provider: str, *, kinds: tuple[str, ...] = FAULTS) -> str | None:
        """Take the provider's next pending fault if it is one of `kinds`."""
        with self.lock:
            pending = self.faults.get(provider) or []
            if pending and pending[0] in kinds:
                return pending.pop(0)
        return None

    def clear(self) -> None:
        with self.lock:
            self.jobs.clear()
            self.faults.clear()
            self.submissions.clear()
            self.expired.clear()
            self.state.clear()
            self.status_reads = self.downloads = 0
        self.callbacks.clear()

    # jobs --------------------------------------------------------------------------------
    def create_job(self, provider: str, model: str, request: dict, *, prefix: str = "") -> Job:
        outcome = "succeeded"
        fault = self.next_fault(provider, kinds=("moderation", "fail", "expired_url"))
        if fault == "moderation":
            outcome = "rejected"
        elif fault == "fail":
            outcome = "failed"
        with self.lock:
            job_id = f"{prefix}{next(self._ids):06d}-{secrets.token_hex(4)}"
            job = Job(job_id, provider, model, request, time.monotonic(), outcome=outcome)
            self.jobs[job_id] = job
            self.submissions.append((provider, request))
            if fault == "expired_url":
                self.expired.add(job.file_token)
        return job

    def age(self, job: Job) -> float:
        if self.progress_by == "polls":
            return job.polls * self.step
        return time.monotonic() - job.created

    def state_of(self, job: Job) -> str:
        return job.state(self.age(job), self.step)

    def progress_of(self, job: Job) -> int:
        return job.progress(self.age(job), self.step)

    def hold(self, job: Job, steps: int) -> None:
        """Keep `job` waiting for `steps` before its normal progression starts."""
        with self.lock:
            job.created += steps * self.step
            job.polls -= steps

    def held(self, job: Job) -> bool:
        return self.age(job) < 0

    def observe(self, job: Job) -> str:
        """The state a status read answers with; in "polls" mode the read also ages the job."""
        with self.lock:
            state = self.state_of(job)
            if not getattr(self._quiet, "on", False):
                job.polls += 1
                self.status_reads += 1
        return state

    @contextlib.contextmanager
    def unobserved(self) -> Iterator[None]:
        """Build a status answer that is no status read (a callback's body): it neither ages
        a job in "polls" mode nor counts as a read."""
        self._quiet.on = True
        try:
            yield
        finally:
            self._quiet.on = False

    def finished_at(self, job: Job) -> float | None:
        """When (time.time()) the job reached its outcome; None while it has not, or when it
        ends by status reads ("polls" mode) rather than by the clock."""
        if self.progress_by != "time" or self.state_of(job) in ("queued", "running"):
            return None
        return time.time() - (time.monotonic() - (job.created + 3 * self.step))

    def running_count(self, provider: str) -> int:
        return sum(
            1
            for job in self.jobs.values()
            if job.provider == provider and self.state_of(job) in ("queued", "running")
        )

    def find(self, provider: str, job_id: str) -> Job | None:
        job = self.jobs.get(job_id)
        return job if job and job.provider == provider else None

    def file_url(self, job: Job) -> str:
        return f"{self.base_url}/files/{job.file_token}.mp4"

    def file_for(self, token: str) -> str | None:
        if token in self.expired:
            return None
        if any(job.file_token == token for job in self.jobs.values()):
            return self.video_path
        return None


def default_credentials() -> dict[str, Any]:
    """The keys the simulator accepts; tests and `manage.py simulate_providers` use these."""
    return {
        "gemini": "sim-gemini-key",
        "vertex": "sim-vertex-token",
        "kling": ("sim-kling-access", "sim-kling-secret-0123456789abcdef01234567"),
        "kling-api-key": "sim-kling-api-key",  # Kling 3.0's static key (kling.API_KEY)
        "runway": "sim-runway-key",
        "seedance": "sim-ark-key",
        "higgsfield": ("sim-hf-id", "sim-hf-secret"),
    }


_SAMPLE_LOCK = threading.Lock()


def sample_video() -> str:
    """A real 2 s H.264 MP4 rendered once per process by the previz renderer."""
    import tempfile

    from providers.core.spec import CameraMove
    from providers.previz.render import RenderJob, render_previz

    path = os.path.join(tempfile.gettempdir(), f"studio-simulator-{os.getpid()}.mp4")
    with _SAMPLE_LOCK:
        if not os.path.exists(path):
            job = RenderJob(
                label="SIM",
                subject="Simulated result",
                duration_seconds=2,
                aspect_ratio="16:9",
                resolution="preview",
                camera=CameraMove(zoom=4, pan=3),
                hero_path=None,
            )
            render_previz(job, path)
    return path
