"""What Veo 3.1 accepts, as data (docs/providers.md section 1), and which id each platform
serves it under (checked 2026-12-06, §1.1 and §9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from providers.core.capabilities import AVAILABLE, RETIRED, Capabilities, Lifecycle

GEMINI, VERTEX = "gemini", "vertex"

# Extension [V: docs.cloud.google.com/gemini-enterprise-agent-platform/models/video/
# extend-videos.md.txt, read 2026-12-06]: Vertex takes a Veo-made clip of 1-30 s and adds 7 s
# (37 s at most). The Gemini API: +7 s a call, up to 148 s [3P, reference §1.4].
EXTEND_SECONDS = 7
EXTEND_MAX_TOTAL = 148
EXTEND_MAX_INPUT = {GEMINI: float(EXTEND_MAX_TOTAL - EXTEND_SECONDS), VERTEX: 30.0}

_VERTEX_SOURCE = (
    "[V] docs.cloud.google.com Veo 3.1 model page and extend-videos page, read 2026-12-06"
)
_PREVIEW_SHUTDOWN = Lifecycle(
    status=RETIRED,
    retires_on=datetime.date(2026, 10, 22),
    source=(
        "[3P] docs.apiyi.com notice of 2026-10-25 citing ai.google.dev/gemini-api/docs/"
        "deprecations; the copies of that page we could read list no Veo row (2026-12-06)"
    ),
)


@dataclass(frozen=True)
class PlatformModel:
    """A catalog model as one platform serves it."""

    api_model: str
    lifecycle: Lifecycle


def _vertex(api_model: str, stage: str) -> PlatformModel:
    return PlatformModel(api_model, Lifecycle(AVAILABLE, source=f"{_VERTEX_SOURCE} ({stage})"))


# slug -> how each platform serves it. The Gemini API's only Veo 3.1 ids were the -preview
# ones; no replacement id is documented there, so a Gemini account must name the id its key
# lists (option model_ids, see check_connection) or the studio switches to Vertex AI.
PLATFORM_MODELS: dict[str, dict[str, PlatformModel]] = {
    GEMINI: {
        "veo-3.1": PlatformModel("veo-3.1-generate-preview", _PREVIEW_SHUTDOWN),
        "veo-3.1-fast": PlatformModel("veo-3.1-fast-generate-preview", _PREVIEW_SHUTDOWN),
        "veo-3.1-lite": PlatformModel("veo-3.1-lite-generate-preview", _PREVIEW_SHUTDOWN),
    },
    VERTEX: {
        "veo-3.1": _vertex("veo-3.1-generate-001", "GA"),
        "veo-3.1-fast": _vertex("veo-3.1-fast-generate-001", "GA"),
        "veo-3.1-lite": _vertex("veo-3.1-lite-generate-001", "Preview: may change"),
    },
}
RETIRED_IDS = {
    platform: {m.api_model for m in models.values() if m.lifecycle.status == RETIRED}
    for platform, models in PLATFORM_MODELS.items()
}


def _veo(slug: str, name: str, *, lite: bool = False) -> Capabilities:
    # The catalog's own id and lifecycle are Vertex AI's: the platform that serves Veo 3.1
    # today. The Gemini adapter refuses the retired ids itself (adapter.GeminiVeoProvider).
    served = PLATFORM_MODELS[VERTEX][slug]
    return Capabilities(
        slug=slug,
        name=name,
        provider="google-veo",
        api_model=served.api_model,
        prompt_field="instances[0].prompt",
        durations=(4, 6, 8),
        aspect_ratios=("16:9", "9:16"),
        # Lite has no 4k [V: zh-CN Gemini page; reference §1.4].
        resolutions=("720p", "1080p") if lite else ("720p", "1080p", "4k"),
        needs_longest_duration_for=("1080p", "4k", "references"),
        native_audio=True,
        # [I] Lite's frame and reference support is not documented where we could read it:
        # first frame only until verified.
        last_frame=not lite,
        last_frame_needs_first=True,  # lastFrame interpolates from instances[0].image
        max_references=0 if lite else 3,
        references_with_frames=False,  # referenceImages cannot be combined with image/lastFrame
        reference_ratios=("16:9",),  # [3P] Replicate schema
        # seed and generateAudio are Vertex-only (the Gemini API SDK raises); we target Vertex.
        seed_range=(0, 4294967295),
        negative_prompt=True,
        # [I] the guide praises Veo dialogue but names no languages; widen once verified.
        dialogue_languages=("en",),
        timestamp_beats=True,
        extend_seconds=EXTEND_SECONDS,
        # The Gemini API's ceiling; Vertex AI stops at 37 s and its adapter refuses longer.
        extend_max_total_seconds=EXTEND_MAX_TOTAL,
        lifecycle=served.lifecycle,
        notes=(
            "Guide and API agree on 4/6/8 s; 1080p, 4k and references need 8 s [3P].",
            "Extend: +7 s at 720p; Vertex AI takes clips of 1-30 s (37 s at most) [V].",
            *(("Vertex AI lists Veo 3.1 Lite as Preview [V].",) if lite else ()),
        ),
    )


MODELS: tuple[Capabilities, ...] = (
    _veo("veo-3.1", "Veo 3.1"),
    _veo("veo-3.1-fast", "Veo 3.1 Fast"),
    _veo("veo-3.1-lite", "Veo 3.1 Lite", lite=True),
)
