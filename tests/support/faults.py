"""Fault injection for tests that kill a worker mid-call: a provider that is slow on purpose;
and, for the worker processes tests start, one that asks for status sooner than it says.

Test machinery, never part of the studio: only studio/settings_test.py names it, in
VIDEO_PROVIDER_WRAPPERS, and reads the delays from the environment of a test's worker process
(STUDIO_FAULT_SUBMIT_DELAY, STUDIO_FAULT_POLL_DELAY, STUDIO_TEST_POLL_AFTER_CAP). Zero by
default, and then the provider is returned unwrapped.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from providers.core.base import GenerationRequest, Progress, Submitted, VideoProvider


class SlowProvider:
    """The provider, with a sleep before submit and poll: the window a test kills a worker in.

    With poll_after_cap, a status answer's "ask again in" is at most that many seconds: the
    simulator's jobs finish in seconds, and the real providers' hints (5 to 15 s, tested in
    tests/providers) would keep an end-to-end test waiting for nothing."""

    def __init__(
        self,
        inner: VideoProvider,
        *,
        submit_delay: float,
        poll_delay: float,
        poll_after_cap: float = 0,
    ):
        self.inner = inner
        self.slug = inner.slug
        self.submit_delay = submit_delay
        self.poll_delay = poll_delay
        self.poll_after_cap = poll_after_cap

    def __getattr__(self, name: str) -> Any:
        # Everything not slowed down (availability, cancel policy, limits, lookup...) is the
        # provider's own, so the pipeline cannot tell the wrapper from the real thing.
        return getattr(self.inner, name)

    def submit(self, request: GenerationRequest) -> Submitted:
        time.sleep(self.submit_delay)
        return self.inner.submit(request)

    def poll(self, remote_id: str) -> Progress:
        time.sleep(self.poll_delay)
        progress = self.inner.poll(remote_id)
        if self.poll_after_cap and progress.poll_after > self.poll_after_cap:
            progress = dataclasses.replace(progress, poll_after=self.poll_after_cap)
        return progress


def with_faults(provider: VideoProvider) -> VideoProvider:
    """A VIDEO_PROVIDER_WRAPPERS entry: slow the provider down as settings.STUDIO_FAULTS says."""
    faults = getattr(settings, "STUDIO_FAULTS", {})
    submit_delay = float(faults.get("submit_delay", 0))
    poll_delay = float(faults.get("poll_delay", 0))
    poll_after_cap = float(faults.get("poll_after_cap", 0))
    if not submit_delay and not poll_delay and not poll_after_cap:
        return provider
    return SlowProvider(
        provider, submit_delay=submit_delay, poll_delay=poll_delay, poll_after_cap=poll_after_cap
    )


@receiver(setting_changed)
def _rebuild_providers(*, setting: str, **kwargs) -> None:
    if setting == "STUDIO_FAULTS":
        from projects.registry import _build

        _build.cache_clear()
