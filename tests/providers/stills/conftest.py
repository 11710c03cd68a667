"""Still-model fixtures: every platform's adapter pointed at the simulator, and take requests
compiled by the real stills formula."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from PIL import Image

from providers.core.base import FINISHED_STATES, GenerationRequest, InputImage, Progress
from providers.design.stills import compile_still
from providers.higgsfield.adapter import HiggsfieldProvider
from providers.runway.adapter import RunwayProvider
from providers.seedance.adapter import SeedanceProvider
from providers.simulator.veo import service_account_info
from providers.veo.adapter import GeminiVeoProvider, VertexVeoProvider
from tests.providers.conftest import REQUEST_KEY, account, make_spec

# (still slug, simulator prefix) for every platform a still model is served on.
PLATFORMS = [
    ("nano-banana-pro", "gemini"),
    ("nano-banana-pro", "vertex"),
    ("seedream-4.5", "seedance"),
    ("runway-gen4-image", "runway"),
    ("higgsfield-soul", "higgsfield"),
]
IDS = [prefix for _, prefix in PLATFORMS]
SYNCHRONOUS = {"gemini", "vertex", "seedance"}


def adapter_for(simulator, prefix: str, *, bad_key: bool = False):
    creds = simulator.sim.credentials
    common = dict(simulator_origin=simulator.url, timeout=2.0)
    base = simulator.base_url(prefix)
    wrong = "not-the-key"
    if prefix == "gemini":
        key = wrong if bad_key else creds["gemini"]
        return GeminiVeoProvider(account(api_key=key, base_url=base, **common), sleep=_no_sleep)
    if prefix == "vertex":
        info = service_account_info(simulator.sim, project="sim-project")
        if bad_key:
            info = {**info, "client_email": "intruder@elsewhere.iam.gserviceaccount.com"}
        return VertexVeoProvider(
            account(
                service_account_info=info,
                project="sim-project",
                location="us-central1",  # Veo's region; stills go to `global` regardless
                base_url=base,
                **common,
            ),
            sleep=_no_sleep,
        )
    if prefix == "seedance":
        key = wrong if bad_key else creds["seedance"]
        return SeedanceProvider(
            account(api_key=key, base_url=base + "/api/v3", **common), sleep=_no_sleep
        )
    if prefix == "runway":
        key = wrong if bad_key else creds["runway"]
        return RunwayProvider(account(api_key=key, base_url=base, **common), sleep=_no_sleep)
    key_id, secret = creds["higgsfield"]
    return HiggsfieldProvider(
        account(api_key=key_id, api_secret=wrong if bad_key else secret, base_url=base, **common),
        sleep=_no_sleep,
    )


def _no_sleep(_seconds: float) -> None:
    return None


def still_request(slug: str, images: tuple[InputImage, ...] = (), **spec) -> GenerationRequest:
    fields = dict(aspect_ratio="16:9", resolution="1080p", reference_count=len(images))
    fields.update(spec)
    shot = make_spec(**fields)
    compiled = compile_still(shot, slug)
    return GenerationRequest(
        take_id=7,
        model=slug,
        prompt=compiled.prompt,
        params=compiled.params,
        spec=shot,
        images=images,
        request_key=REQUEST_KEY,
    )


def finish(provider, submitted) -> Progress:
    """What the pipeline does: take `finished`, or poll until a finished state."""
    if submitted.finished is not None:
        return submitted.finished
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        progress = provider.poll(submitted.remote_id)
        if progress.state in FINISHED_STATES:
            return progress
        time.sleep(0.02)
    raise AssertionError("the still never finished")


def image_bytes(provider, progress: Progress, tmp_path) -> bytes:
    if progress.inline_result is not None:
        return progress.inline_result
    target = tmp_path / "still.img"
    provider.download(progress.result_url, str(target), max_bytes=10_000_000)
    return target.read_bytes()


def shape(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


@pytest.fixture
def reference(tmp_path):
    path = tmp_path / "look.png"
    Image.new("RGB", (48, 48), (90, 40, 160)).save(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return InputImage(path=str(path), sha256=digest, role="reference")
