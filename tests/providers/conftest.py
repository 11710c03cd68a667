import dataclasses

import pytest

from providers.core.config import ProviderConfig
from providers.core.spec import ShotSpec

CREDENTIALS = ("api_key", "api_secret", "access_key", "secret_key", "service_account_info")
FIELDS = {f.name for f in dataclasses.fields(ProviderConfig)} - {"credentials", "options"}


def account(**settings) -> ProviderConfig:
    """A ProviderConfig from flat keywords, as a test writes them: credential names go to
    `credentials`, ProviderConfig's own fields stay fields, anything else is an option."""
    credentials = {k: settings.pop(k) for k in CREDENTIALS if k in settings}
    fields = {k: settings.pop(k) for k in FIELDS if k in settings}
    return ProviderConfig(credentials=credentials, options=settings, **fields)


def make_spec(**overrides) -> ShotSpec:
    """A plain, valid-looking shot; tests override only what they are about."""
    fields = dict(
        label="1A",
        subject="a lone hiker",
        action="walks to the edge",
        context="on a canyon rim at sunrise",
        style="soft morning light",
        shot_size="ws",
        camera_angle="eye",
        lens_mm=None,
        duration_seconds=8,
        aspect_ratio="16:9",
    )
    fields.update(overrides)
    return ShotSpec(**fields)


@pytest.fixture
def spec_factory():
    return make_spec


@pytest.fixture
def simulator():
    """The provider simulator on a free loopback port, fresh for each test.

    `simulator.base_url("kling")` is the base URL an adapter or SDK is pointed at;
    `simulator.sim` is the engine (jobs, submissions, add_fault). Jobs age one step per
    status read, not with the clock, so what a test sees does not depend on the machine's load.
    """
    from providers.simulator.server import SimulatorServer

    with SimulatorServer(step_seconds=0.2, timeout_seconds=3.0, progress_by="polls") as server:
        yield server


# A take's random request key, as the studio sends it (the idempotency key / external id).
REQUEST_KEY = "0b6f5d1e-8a4c-4f7e-9d2b-3c5a7e9f1b2d"


def generation_request(model: str, **overrides):
    """A GenerationRequest compiled by the real formula for `model`."""
    from providers.core.base import GenerationRequest
    from providers.design.compile import compile_shot

    spec = make_spec(**overrides)
    compiled = compile_shot(spec, model)
    return GenerationRequest(
        take_id=42,
        model=model,
        prompt=compiled.prompt,
        params=compiled.params,
        spec=spec,
        request_key=REQUEST_KEY,
    )
