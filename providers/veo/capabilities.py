"""What Veo 3.1 accepts, as data (docs/providers.md section 1)."""

from __future__ import annotations

from providers.core.capabilities import Capabilities


def _veo(slug: str, name: str, api_model: str) -> Capabilities:
    return Capabilities(
        slug=slug,
        name=name,
        provider="google-veo",
        api_model=api_model,
        prompt_field="instances[0].prompt",
        durations=(4, 6, 8),
        aspect_ratios=("16:9", "9:16"),
        resolutions=("720p", "1080p", "4k"),
        needs_longest_duration_for=("1080p", "4k", "references"),
        native_audio=True,
        last_frame=True,
        last_frame_needs_first=True,  # lastFrame interpolates from instances[0].image
        max_references=3,
        references_with_frames=False,  # referenceImages cannot be combined with image/lastFrame
        reference_ratios=("16:9",),  # [3P] Replicate schema
        # seed and generateAudio are Vertex-only (the Gemini API SDK raises); we target Vertex.
        seed_range=(0, 4294967295),
        negative_prompt=True,
        # [I] the guide praises Veo dialogue but names no languages; widen once verified.
        dialogue_languages=("en",),
        timestamp_beats=True,
        notes=("Guide and API agree on 4/6/8 s; 1080p, 4k and references need 8 s [3P].",),
    )


MODELS: tuple[Capabilities, ...] = (
    _veo("veo-3.1", "Veo 3.1", "veo-3.1-generate-preview"),
    _veo("veo-3.1-fast", "Veo 3.1 Fast", "veo-3.1-fast-generate-preview"),
)
