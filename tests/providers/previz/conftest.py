import numpy as np
import pytest
from PIL import Image

from providers.previz.render import RenderJob


@pytest.fixture
def hero(tmp_path):
    """A busy 960x540 still: gradients plus a grid, so every move shows in the pixels."""
    y, x = np.mgrid[0:540, 0:960]
    rgb = np.stack([x * 255 // 959, y * 255 // 539, ((x // 40 + y // 40) % 2) * 200], axis=-1)
    path = tmp_path / "hero.png"
    Image.fromarray(rgb.astype(np.uint8)).save(path)
    return str(path)


@pytest.fixture
def job_factory():
    def make(**overrides) -> RenderJob:
        fields = dict(
            label="1A",
            subject="a lone hiker",
            duration_seconds=1,
            aspect_ratio="16:9",
            resolution="preview",
        )
        fields.update(overrides)
        return RenderJob(**fields)

    return make
