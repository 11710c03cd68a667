"""Previz as a provider: the local renderer dressed as a remote asynchronous API.

submit writes a job directory and enqueues the render on its own Celery queue; poll reads the
job's status file; download copies the result out. The pipeline therefore drives previz through
exactly the code paths a paid provider uses, offline and free.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from decimal import Decimal

from providers.core.base import (
    CancelPolicy,
    ConnectionCheck,
    GenerationRequest,
    Progress,
    ProviderError,
    Rejected,
    State,
    Submitted,
    Transient,
)
from providers.core.config import ProviderConfig
from providers.previz import jobs
from providers.previz.render import RenderError, RenderJob, output_size
from providers.previz.stills import STILL_SLUG, submit_still

STALE_SECONDS = 120.0  # the render task heartbeats every 10 s; silence this long means it died
CHUNK = 1024 * 1024

STATES = {
    jobs.QUEUED: State.QUEUED,
    jobs.RENDERING: State.RUNNING,
    jobs.SUCCEEDED: State.SUCCEEDED,
    jobs.FAILED: State.FAILED,
    jobs.CANCELED: State.CANCELED,
}


class PrevizProvider:
    slug = "previz"
    # Our own renderer: `cancel` drops a flag the render checks between frames (tasks.py), so a
    # queued or rendering job stops. Nothing deletes a finished job's directory, so its out.mp4
    # stays readable; a week is the promise we make for "fetch again", not a limit we enforce.
    cancel_policy = CancelPolicy.ALWAYS
    result_ttl_seconds = 7 * 24 * 3600.0

    def __init__(
        self,
        config: ProviderConfig | None = None,
        *,
        enqueue: Callable[[str], None] | None = None,
        stale_seconds: float = STALE_SECONDS,
    ):
        """Options: jobs_dir (required: where job directories live), render_queue, enqueue.
        `enqueue` (a callable taking the job id; argument or option) replaces the Celery
        hand-off in tests."""
        self.config = config = config or ProviderConfig()
        jobs_dir = config.option("jobs_dir")
        if not jobs_dir:
            raise ValueError("PrevizProvider needs a jobs_dir option.")
        self.jobs_dir = os.path.abspath(jobs_dir)
        self.render_queue = config.option("render_queue", "render")
        self.enqueue = enqueue or config.option("enqueue") or self._enqueue_celery
        self.stale_seconds = stale_seconds
        self.max_concurrent = config.max_concurrent  # 0: as many renders as the queue takes

    def _enqueue_celery(self, job_id: str) -> None:
        from providers.previz.tasks import render_job  # celery only when really enqueuing

        render_job.apply_async(args=[job_id, self.jobs_dir], queue=self.render_queue)

    def availability(self) -> tuple[bool, str]:
        return True, ""

    def check_connection(self) -> ConnectionCheck:
        """Always connected: previz renders here, with no account and no keys."""
        return ConnectionCheck(
            ok=True, message="Connected: previz renders on this studio's own workers, free."
        )

    def submit(self, request: GenerationRequest) -> Submitted:
        if request.model == STILL_SLUG:
            return submit_still(request)  # drawn at once: no job, nothing to poll
        job_id = jobs.job_id_for(request.take_id)
        directory = jobs.job_dir(self.jobs_dir, job_id)
        if os.path.isdir(directory):
            status = jobs.read_status(directory) or {}
            return Submitted(job_id, raw_status=status.get("status", ""), cost=Decimal("0"))
        job = RenderJob.from_request(request)
        try:
            output_size(job.aspect_ratio, job.resolution)
            if job.frame_count < 1 or job.duration_seconds <= 0:
                raise RenderError(f"Previz cannot render {job.duration_seconds} seconds.")
        except RenderError as exc:
            raise Rejected(str(exc)) from exc
        os.makedirs(self.jobs_dir, exist_ok=True)
        # Built under a temporary name and renamed: a job directory is complete or absent.
        staging = tempfile.mkdtemp(dir=self.jobs_dir, prefix=f".{job_id}-")
        try:
            copies = {}
            for key in ("hero_path", "last_frame_path"):
                source = getattr(job, key)
                if source is None:
                    continue
                if not os.path.isfile(source):
                    raise Rejected(f"The {key.removesuffix('_path').replace('_', ' ')} is missing.")
                name = key.removesuffix("_path") + os.path.splitext(source)[1].lower()
                shutil.copyfile(source, os.path.join(staging, name))
                copies[key] = name
            data = dataclasses.replace(job, hero_path=None, last_frame_path=None).to_dict()
            data.update(copies)
            jobs.write_json(os.path.join(staging, jobs.JOB_FILE), data)
            jobs.write_status(staging, jobs.QUEUED, percent=0)
            try:
                os.rename(staging, directory)
            except OSError:  # a concurrent submit of the same take won the rename
                shutil.rmtree(staging, ignore_errors=True)
                status = jobs.read_status(directory) or {}
                return Submitted(job_id, raw_status=status.get("status", ""), cost=Decimal("0"))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            self.enqueue(job_id)
        except Exception as exc:
            # The job is on disk, so a retried submit returns it and poll re-enqueues it once
            # stale; saying Transient lets the pipeline retry without fear of a double render.
            raise Transient(f"Could not queue the previz render: {exc}") from exc
        return Submitted(job_id, raw_status=jobs.QUEUED, cost=Decimal("0"))

    def poll(self, remote_id: str) -> Progress:
        directory = self._existing(remote_id)
        status = jobs.read_status(directory)
        if status is None:
            raise ProviderError(f"Previz job {remote_id} has no status file.", raw={})
        word = status.get("status", "")
        if word not in STATES:
            raise ProviderError(f"Previz job {remote_id} has unknown status {word!r}.", raw=status)
        state = STATES[word]
        raw = dict(status)
        if state in (State.QUEUED, State.RUNNING):
            age = time.time() - float(status.get("updated_at", 0))
            if age > self.stale_seconds:
                # The worker died (or the message was lost): rendering is free and idempotent,
                # so queue it again, and bump updated_at so the next poll does not pile on.
                requeues = int(status.get("requeues", 0)) + 1
                fields = {k: v for k, v in status.items() if k not in ("status", "updated_at")}
                fields["requeues"] = requeues
                jobs.write_status(directory, word, **fields)
                self.enqueue(remote_id)
                raw.update(requeued=True, requeues=requeues, stale_seconds=round(age, 1))
            return Progress(
                state=state,
                raw_status=word,
                percent=int(status.get("percent", 0)),
                cost=Decimal("0"),
                poll_after=1.0,
                raw=raw,
            )
        if state == State.SUCCEEDED:
            output = os.path.join(directory, jobs.OUTPUT_FILE)
            if not os.path.isfile(output):
                raise ProviderError(f"Previz job {remote_id} succeeded but has no video.", raw=raw)
            return Progress(
                state=state,
                raw_status=word,
                percent=100,
                result_url="file://" + urllib.parse.quote(os.path.abspath(output)),
                cost=Decimal("0"),
                poll_after=0.0,
                raw=raw,
            )
        return Progress(
            state=state,
            raw_status=word,
            percent=status.get("percent"),
            error=status.get("error", "") if state == State.FAILED else "",
            cost=Decimal("0"),
            poll_after=0.0,
            raw=raw,
        )

    def cancel(self, remote_id: str) -> None:
        directory = self._existing(remote_id)
        open(os.path.join(directory, jobs.CANCEL_FILE), "a").close()
        status = jobs.read_status(directory) or {}
        if status.get("status") == jobs.QUEUED:
            # Not started: say canceled now. A render starting this instant sees the flag first.
            jobs.write_status(directory, jobs.CANCELED)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            raise ProviderError(f"Previz only serves file:// results, not {url!r}.")
        source = os.path.realpath(urllib.parse.unquote(parsed.path))
        root = os.path.realpath(self.jobs_dir)
        if os.path.commonpath([source, root]) != root or source == root:
            raise ProviderError(f"Refusing to read {source}: it is outside the previz jobs.")
        copied = 0
        try:
            with open(source, "rb") as reader, open(destination, "wb") as writer:
                while chunk := reader.read(CHUNK):
                    copied += len(chunk)
                    if copied > max_bytes:
                        raise ProviderError(
                            f"The previz result is larger than the {max_bytes}-byte limit."
                        )
                    writer.write(chunk)
        except ProviderError:
            os.remove(destination)
            raise
        except OSError as exc:
            raise ProviderError(f"Could not read the previz result: {exc}") from exc
        return copied

    def _existing(self, remote_id: str) -> str:
        try:
            directory = jobs.job_dir(self.jobs_dir, remote_id)
        except ValueError as exc:
            raise ProviderError(str(exc)) from exc
        if not os.path.isdir(directory):
            raise ProviderError(f"Previz job {remote_id} not found in {self.jobs_dir}.")
        return directory
