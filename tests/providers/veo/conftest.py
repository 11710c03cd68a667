"""Veo fixtures: images on disk, adapters for both platforms pointed at the simulator."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from PIL import Image

from providers.core.base import InputImage
from providers.simulator.veo import service_account_info
from providers.veo.adapter import GeminiVeoProvider, VertexVeoProvider
from tests.providers.conftest import account, generation_request
from tests.support import genai as genai_clients


def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def image_file(tmp_path):
    def make(name: str = "frame.png", color=(200, 80, 40)) -> InputImage:
        path = tmp_path / name
        Image.new("RGB", (64, 36), color).save(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return InputImage(path=str(path), sha256=digest)

    return make


def with_images(request, *images: InputImage):
    return dataclasses.replace(request, images=images)


# The -preview ids are shut down on the Gemini API (providers.md §9): an account names the id
# its key lists. In the simulator the GA ids stand in for it ([I], simulator/veo.py).
GEMINI_MODEL_IDS = "veo-3.1=veo-3.1-generate-001,veo-3.1-fast=veo-3.1-fast-generate-001"


def gemini_provider(simulator, **options) -> GeminiVeoProvider:
    settings = dict(
        api_key=simulator.sim.credentials["gemini"],
        base_url=simulator.base_url("gemini"),
        simulator_origin=simulator.url,
        timeout=2.0,
        model_ids=GEMINI_MODEL_IDS,
    )
    settings.update(options)
    return GeminiVeoProvider(account(**settings), sleep=no_sleep)


@pytest.fixture
def gemini(simulator):
    provider = gemini_provider(simulator)
    yield provider
    provider.http.close()


@pytest.fixture
def sa_info(simulator):
    return service_account_info(simulator.sim, project="sim-project")


@pytest.fixture
def vertex(simulator, sa_info):
    provider = VertexVeoProvider(
        account(
            service_account_info=sa_info,
            project="sim-project",
            location="us-central1",
            base_url=simulator.base_url("vertex"),
            simulator_origin=simulator.url,
            timeout=2.0,
        ),
        sleep=no_sleep,
    )
    yield provider
    provider.http.close()


def veo_request(**overrides):
    return generation_request("veo-3.1", **overrides)


@pytest.fixture
def vertex_client(simulator, sa_info):
    """google-genai in Vertex AI mode, with the simulator's service account, against it."""
    return genai_clients.vertex_client(simulator, sa_info)
