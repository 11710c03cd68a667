"""What the local previz renderer accepts, as data: everything, numerically and for free."""

from __future__ import annotations

from providers.core.capabilities import ALL_RATIOS, NUMERIC, CameraSupport, Capabilities
from providers.core.catalog import CAMERA_AXES

MODELS: tuple[Capabilities, ...] = (
    Capabilities(
        slug="previz",
        name="Previz",
        provider="previz",
        api_model="previz",
        prompt_field="prompt",
        durations=tuple(range(1, 21)),
        aspect_ratios=ALL_RATIOS,
        resolutions=("preview", "720p", "1080p"),
        camera=CameraSupport(
            style=NUMERIC, field="camera", axis_fields=tuple((a, a) for a in CAMERA_AXES)
        ),
        last_frame=True,
        seed_range=(0, 2**31 - 1),
        negative_prompt=True,
        timestamp_beats=True,
        prompt_required=False,
    ),
)
