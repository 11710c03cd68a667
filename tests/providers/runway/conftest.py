import dataclasses
import hashlib
import time

import pytest
from PIL import Image

from providers.core.base import FINISHED_STATES, InputImage
from providers.runway.adapter import RunwayProvider
from tests.providers.conftest import account


@pytest.fixture
def hero_frame(tmp_path):
    """A small real PNG, as the studio stores a shot's hero frame."""
    path = tmp_path / "hero.png"
    Image.new("RGB", (64, 36), (200, 120, 40)).save(path)
    return InputImage(path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def with_images(request, *images):
    return dataclasses.replace(request, images=tuple(images))


def wait(provider, remote_id, until=FINISHED_STATES):
    """Poll like the pipeline would (quickly) until a finished state; return it and the statuses."""
    seen = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        progress = provider.poll(remote_id)
        seen.append(progress.raw_status)
        if progress.state in until:
            return progress, seen
        time.sleep(0.05)
    raise AssertionError(f"still {seen[-1]} after 10 s")


@pytest.fixture
def runway(simulator):
    """The adapter pointed at the simulator with its key, fast retries, local downloads."""
    provider = RunwayProvider(
        account(
            api_key=simulator.sim.credentials["runway"],
            base_url=simulator.base_url("runway"),
            simulator_origin=simulator.url,
            timeout=2.0,
        ),
        sleep=lambda seconds: None,
    )
    yield provider
    provider.http.close()
