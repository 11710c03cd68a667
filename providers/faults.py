"""Fault injection for tests that kill a worker mid-call: a provider that is slow on purpose.

Configured from the environment of a test's worker process (STUDIO_FAULT_*); zero by default,
in which case the provider is returned unwrapped.
"""

from __future__ import annotations

import time

from providers.base import GenerationRequest, Progress, Submitted, VideoProvider


class SlowProvider:
    def __init__(self, inner: VideoProvider, *, submit_delay: float, poll_delay: float):
        self.inner = inner
        self.slug = inner.slug
        self.submit_delay = submit_delay
        self.poll_delay = poll_delay

    def availability(self) -> tuple[bool, str]:
        return self.inner.availability()

    def submit(self, request: GenerationRequest) -> Submitted:
        time.sleep(self.submit_delay)  # the window a test kills the worker in
        return self.inner.submit(request)

    def poll(self, remote_id: str) -> Progress:
        time.sleep(self.poll_delay)
        return self.inner.poll(remote_id)

    def cancel(self, remote_id: str) -> None:
        self.inner.cancel(remote_id)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        return self.inner.download(url, destination, max_bytes=max_bytes)


def with_faults(
    provider: VideoProvider, *, submit_delay: float = 0, poll_delay: float = 0
) -> VideoProvider:
    if not submit_delay and not poll_delay:
        return provider
    return SlowProvider(provider, submit_delay=submit_delay, poll_delay=poll_delay)
