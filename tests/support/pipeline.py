"""Fixtures for the end-to-end tests: the provider simulator and a shared pipeline worker.

Both live for the whole pytest process (one per pytest-xdist worker), because starting a Celery
worker with beat costs seconds a test: the simulator is one server whose state is cleared for
each test, and `pipeline_worker` is one worker (tests/support/workers.py SHARED) pointed at it,
at the session's test database and at one media folder for the session. A test that needs a
worker of its own (killed, or with other settings) starts one with celery_worker(), which stops
the shared one first; and the shared one is stopped before any test that did not ask for it.
Like every worker a test starts, it is on a leash (tests/support/leash.py): should this process
die before any of that runs, the worker dies with it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from providers.simulator.core import default_credentials
from providers.simulator.server import SimulatorServer
from tests.support.workers import SHARED

GEMINI_VEO_MODEL_IDS = "veo-3.1=veo-3.1-generate-001,veo-3.1-fast=veo-3.1-fast-generate-001"


def simulator_env(server: SimulatorServer) -> dict[str, str]:
    """The environment that points a worker (or this process) at the simulator."""
    keys = default_credentials()
    return {
        "GEMINI_API_KEY": keys["gemini"],
        "GEMINI_BASE_URL": server.base_url("gemini"),
        # The catalog's Gemini ids are shut down; the simulator's GA ids stand in for the ids
        # a real key lists (studio/settings.py, GEMINI_VEO_MODEL_IDS).
        "GEMINI_VEO_MODEL_IDS": GEMINI_VEO_MODEL_IDS,
        "KLING_ACCESS_KEY": keys["kling"][0],
        "KLING_SECRET_KEY": keys["kling"][1],
        "KLING_API_KEY": keys["kling-api-key"],
        "KLING_BASE_URL": server.base_url("kling"),
        "RUNWAY_API_KEY": keys["runway"],
        "RUNWAY_BASE_URL": server.base_url("runway"),
        "ARK_API_KEY": keys["seedance"],
        "ARK_BASE_URL": server.base_url("seedance") + "/api/v3",
        "HIGGSFIELD_API_KEY": keys["higgsfield"][0],
        "HIGGSFIELD_API_SECRET": keys["higgsfield"][1],
        "HIGGSFIELD_BASE_URL": server.base_url("higgsfield"),
        "PROVIDER_SIMULATOR_DOWNLOADS": "1",
        "TAKE_TASK_LEASE_SECONDS": "3",
        "PROVIDER_TIMEOUT_SECONDS": "2",
    }


@pytest.fixture(scope="session")
def simulator_server():
    with SimulatorServer(step_seconds=0.3, timeout_seconds=3.0) as server:
        yield server


@pytest.fixture
def simulator(simulator_server, monkeypatch, settings):
    """The simulator with no jobs, faults or submissions left from another test, and this
    process (the web side) configured for it as the workers are."""
    from projects.models import RateCard
    from projects.registry import _build

    simulator_server.sim.clear()
    for name, value in simulator_env(simulator_server).items():
        monkeypatch.setenv(name, value)
    settings.PROVIDER_SIMULATOR_DOWNLOADS = True
    settings.PROVIDER_TIMEOUT_SECONDS = 2.0
    _build.cache_clear()
    # Kling and Higgsfield publish no prices we could verify: staff add their own.
    for model in ("kling-2.6-std", "higgsfield-dop-turbo"):
        RateCard.objects.create(
            model=model,
            unit="second",
            price=Decimal("0.08"),
            effective="2026-01-01",
            source="our account's invoice",
        )
    yield simulator_server
    simulator_server.sim.clear()
    _build.cache_clear()


@pytest.fixture(scope="session")
def shared_media_root(tmp_path_factory) -> Path:
    """MEDIA_ROOT for the shared worker and for every test that uses it (tests/conftest.py):
    the worker reads it from its environment once, at start."""
    return tmp_path_factory.mktemp("shared-media")


@pytest.fixture(scope="session")
def shared_worker_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("shared-worker")


@pytest.fixture
def pipeline_worker(simulator, shared_media_root, shared_worker_dir, transactional_db, media_root):
    """The shared worker (with beat) on the studio's queues, following takes at the simulator.

    For tests that only watch takes go through; the test's media_root is the shared folder."""
    assert media_root == shared_media_root, "tests/conftest.py media_root chooses the folder"
    SHARED.ensure(
        env=simulator_env(simulator),
        media_root=shared_media_root,
        tmp_path=shared_worker_dir,
    )
    return SHARED


def pytest_runtest_setup(item):
    # Should pytest-xdist hand this process another test than the one announced: still stopped.
    if "pipeline_worker" not in item.fixturenames:
        SHARED.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Before the test's own teardown (the database flush): a worker the next test does not
    # use stops now, so it writes nothing into the next test's rows.
    if nextitem is None or "pipeline_worker" not in nextitem.fixturenames:
        SHARED.stop()
    return (yield)


def pytest_sessionfinish(session, exitstatus):
    SHARED.stop()
