"""What Seedance 1.5 Pro accepts, as data (docs/providers.md section 4)."""

from __future__ import annotations

from providers.core.capabilities import (
    ALL_LANGUAGES,
    ALL_RATIOS,
    FIXED_FLAG,
    CameraSupport,
    Capabilities,
)

MODELS: tuple[Capabilities, ...] = (
    Capabilities(
        slug="seedance-1.5-pro",
        name="Seedance 1.5 Pro",
        provider="seedance",
        api_model="seedance-1-5-pro-251215",
        prompt_field="content[0].text",
        durations=tuple(range(4, 13)),  # [3P] 1.5 pro: 4-12 s
        aspect_ratios=ALL_RATIOS,
        resolutions=("480p", "720p", "1080p"),
        camera=CameraSupport(style=FIXED_FLAG, field="camera_fixed"),
        native_audio=True,
        last_frame=True,
        # Reference images are documented for 1.0 lite i2v and 2.x, not for 1.5 pro.
        max_references=0,
        seed_range=(-1, 4294967295),
        dialogue_languages=ALL_LANGUAGES,
        # The guide promises voice cloning; the API has reference_audio on 2.x only.
        voice_sample=False,
        # A 480p draft, then a final made from it without sending the inputs again (§4.3).
        draft_mode=True,
    ),
)
