"""What Runway Gen-4.5 and Gen-4 Turbo accept, as data (docs/providers.md section 2)."""

from __future__ import annotations

from providers.core.capabilities import PROMPT_CAMERA, Capabilities


def _runway(slug: str, name: str, api_model: str, *, image_only: bool) -> Capabilities:
    return Capabilities(
        slug=slug,
        name=name,
        provider="runway",
        api_model=api_model,
        prompt_field="promptText",
        # The guide says 5, 8 or 10 s; the API takes any integer 2-10 (since Oct 2025).
        durations=tuple(range(2, 11)),
        aspect_ratios=("16:9", "9:16", "4:3", "1:1", "21:9"),
        text_to_video_ratios=None if image_only else ("16:9", "9:16"),
        resolutions=("720p",),
        # The guide's 6-axis Director Mode is UI only: the API has no camera field.
        camera=PROMPT_CAMERA,
        requires_first_frame=image_only,
        seed_range=(0, 4294967295),
        prompt_max_chars=1000,  # UTF-16 code units
        prompt_required=not image_only,
    )


MODELS: tuple[Capabilities, ...] = (
    _runway("runway-gen4.5", "Runway Gen-4.5", "gen4.5", image_only=False),
    _runway("runway-gen4-turbo", "Runway Gen-4 Turbo", "gen4_turbo", image_only=True),
)
