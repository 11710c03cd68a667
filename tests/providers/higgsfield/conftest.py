import dataclasses

import pytest
from PIL import Image

from providers.core.base import InputImage
from providers.higgsfield.adapter import HiggsfieldProvider
from providers.simulator.core import default_credentials
from tests.providers.conftest import account, generation_request

KEY_ID, KEY_SECRET = default_credentials()["higgsfield"]


@pytest.fixture
def hero(tmp_path):
    path = tmp_path / "hero.png"
    Image.new("RGB", (64, 36), (40, 90, 160)).save(path)
    return InputImage(path=str(path), sha256="0" * 64, role="first_frame")


@pytest.fixture
def make_request(hero):
    def make(model="higgsfield-dop-turbo", **overrides):
        overrides.setdefault("has_hero_frame", True)
        overrides.setdefault("duration_seconds", 5)
        request = generation_request(model, **overrides)
        return dataclasses.replace(request, images=(hero,))

    return make


@pytest.fixture
def make_provider(simulator):
    def make(**options):
        options.setdefault("api_key", KEY_ID)
        options.setdefault("api_secret", KEY_SECRET)
        return HiggsfieldProvider(
            account(
                base_url=simulator.base_url("higgsfield"),
                simulator_origin=simulator.url,
                **options,
            ),
            sleep=lambda seconds: None,
        )

    return make
