"""Scripted providers for pipeline tests: the test says what the provider answers next, and
reads back every call the pipeline made. One class per cancel policy, set up through the
VIDEO_PROVIDERS setting like a real adapter (see `install`)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from decimal import Decimal

from projects.models import Take, TakeState
from projects.services.money import budget_reserve
from providers.core.base import (
    CancelPolicy,
    Progress,
    ProviderError,
    Rejected,
    State,
    Submitted,
)
from providers.simulator.core import sample_video


@dataclass
class Script:
    state: State = State.RUNNING
    cost: Decimal | None = None
    result_url: str = "https://cdn.example/video.mp4"
    refuse_cancel: str = ""  # the provider's refusal, if it refuses
    download_error: ProviderError | None = None
    calls: list[tuple[str, str]] = field(default_factory=list)

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)


SCRIPT = Script()


class FakeProvider:
    # The VIDEO_PROVIDERS key of each fake is its own slug, as for a real adapter.
    slug = "fake-always"
    cancel_policy = CancelPolicy.ALWAYS
    result_ttl_seconds = 24 * 3600.0

    def __init__(self, config):
        self.config = config

    def availability(self) -> tuple[bool, str]:
        return True, ""

    def submit(self, request) -> Submitted:
        SCRIPT.calls.append(("submit", str(request.take_id)))
        return Submitted("job-1")

    def poll(self, remote_id: str) -> Progress:
        SCRIPT.calls.append(("poll", remote_id))
        url = SCRIPT.result_url if SCRIPT.state == State.SUCCEEDED else None
        return Progress(SCRIPT.state, SCRIPT.state.value, result_url=url, cost=SCRIPT.cost)

    def cancel(self, remote_id: str) -> None:
        SCRIPT.calls.append(("cancel", remote_id))
        if SCRIPT.refuse_cancel:
            raise Rejected(SCRIPT.refuse_cancel)

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        SCRIPT.calls.append(("download", url))
        if SCRIPT.download_error is not None:
            raise SCRIPT.download_error
        shutil.copyfile(sample_video(), destination)
        with open(destination, "rb") as handle:
            return len(handle.read())


class NeverProvider(FakeProvider):
    slug = "fake-never"
    cancel_policy = CancelPolicy.NEVER


class WhileQueuedProvider(FakeProvider):
    slug = "fake-queued"
    cancel_policy = CancelPolicy.WHILE_QUEUED


class ShortLinkProvider(FakeProvider):
    slug = "fake-short"
    result_ttl_seconds = 3600.0


def install(settings) -> Script:
    """Set the fakes up as this test's providers, with a fresh script."""
    SCRIPT.__init__()
    settings.VIDEO_PROVIDERS = {
        "fake-always": {"BACKEND": "tests.support.fakes.FakeProvider"},
        "fake-never": {"BACKEND": "tests.support.fakes.NeverProvider"},
        "fake-queued": {"BACKEND": "tests.support.fakes.WhileQueuedProvider"},
        "fake-short": {"BACKEND": "tests.support.fakes.ShortLinkProvider"},
    }
    return SCRIPT


def sent_take(shot, provider: str, *, held: str = "2.00", state=TakeState.RUNNING, **fields):
    """A take the provider has (a remote id), holding `held` against the budget."""
    take = Take.objects.create(
        project=shot.project,
        shot=shot,
        number=(shot.takes.count() + 1),
        model="veo-3.1",
        provider=provider,
        prompt="A keeper climbs.",
        state=state,
        remote_id="job-1",
        estimated_cost=Decimal(held),
        **fields,
    )
    budget_reserve(project=shot.project, take=take, amount=Decimal(held))
    return take
