"""What each model accepts, as data. Values follow docs/providers.md (the API contracts); where
the seed guide (video-models-guide.md) says otherwise, the API wins and the entry says so. Tags
such as [3P] or [I] repeat providers.md's confidence for that value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.catalog import ASPECT_RATIOS, CAMERA_AXES, DIALOGUE_LANGUAGES

ALL_RATIOS = tuple(value for value, _ in ASPECT_RATIOS)
ALL_LANGUAGES = tuple(code for code, _ in DIALOGUE_LANGUAGES)

# Camera styles: how a model hears about the six axes.
NUMERIC = "numeric"  # every axis sent as a number (previz)
SINGLE_AXIS = "single_axis"  # Kling camera_control "simple": exactly one non-zero field
FIXED_FLAG = "fixed_flag"  # Seedance camera_fixed: a lock, no direction
PRESETS = "presets"  # Higgsfield motions: a named move plus a strength
PROMPT = "prompt"  # words in the prompt only


@dataclass(frozen=True)
class CameraSupport:
    style: str
    field: str = ""  # the request field carrying the move, "" when words only
    # Our axis -> the API's field, for numeric styles; axes missing here become words.
    axis_fields: tuple[tuple[str, str], ...] = ()
    value_range: tuple[int, int] = (-10, 10)
    # Axes whose API sign is the opposite of ours (Kling zoom + is a *wider* field of view).
    inverted_axes: tuple[str, ...] = ()
    max_axes: int = 0  # 0 = no limit


# Kling camera_control (providers.md 3.5). Kept as data although no Kling 2.6 model may use it:
# the capability map lists it only for kling-v1 std and kling-v1-5 pro. Dolly has no field.
KLING_CAMERA_CONTROL = CameraSupport(
    style=SINGLE_AXIS,
    field="camera_control",
    axis_fields=(
        ("pan", "pan"),
        ("tilt", "tilt"),
        ("roll", "roll"),
        ("zoom", "zoom"),
        ("truck", "horizontal"),
    ),
    inverted_axes=("zoom",),
    max_axes=1,
)
PROMPT_CAMERA = CameraSupport(style=PROMPT)


@dataclass(frozen=True)
class Capabilities:
    slug: str
    name: str
    provider: str
    api_model: str  # the model id the API expects
    prompt_field: str  # where compile.CompiledRequest.prompt goes in the request
    durations: tuple[int, ...]
    aspect_ratios: tuple[str, ...]
    resolutions: tuple[str, ...]
    camera: CameraSupport = PROMPT_CAMERA
    # The clip takes the hero frame's shape and the request has no ratio field (Kling i2v).
    ratio_follows_first_frame: bool = False
    # Ratios reachable without a hero frame (Runway Gen-4.5 text_to_video takes two); None = all.
    text_to_video_ratios: tuple[str, ...] | None = None
    # Things that force the longest duration (Veo: "1080p", "4k", "references").
    needs_longest_duration_for: tuple[str, ...] = ()
    native_audio: bool = False
    audio_with_last_frame: bool = True
    first_frame: bool = True
    last_frame: bool = False
    last_frame_needs_first: bool = False
    requires_first_frame: bool = False
    max_references: int = 0
    references_with_frames: bool = True
    reference_ratios: tuple[str, ...] | None = None
    seed_range: tuple[int, int] | None = None  # None = no seed
    negative_prompt: bool = False
    negative_prompt_max_chars: int | None = None  # None = no documented limit
    dialogue_languages: tuple[str, ...] = ()
    timestamp_beats: bool = False
    voice_sample: bool = False
    prompt_max_chars: int | None = None  # None = no documented limit
    prompt_required: bool = True
    notes: tuple[str, ...] = field(default=())

    @property
    def seed(self) -> bool:
        return self.seed_range is not None


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


def _kling(slug: str, name: str, mode: str) -> Capabilities:
    pro = mode == "pro"
    return Capabilities(
        slug=slug,
        name=name,
        provider="kling",
        api_model="kling-v2-6",
        prompt_field="prompt",
        durations=(5, 10),
        # text2video enum; image2video has no aspect_ratio field, the clip follows the image.
        aspect_ratios=("16:9", "9:16", "1:1"),
        ratio_follows_first_frame=True,
        resolutions=("1080p",) if pro else ("720p",),  # [I] std 720p / pro 1080p as v2.1
        # The guide shows a camera_control JSON for Kling 2.6; the API capability map lists it
        # only on v1/v1.5, so on 2.6 the camera is words in the prompt.
        camera=PROMPT_CAMERA,
        native_audio=pro,  # sound "on" needs v2.6 pro; the guide's "native audio" is pro only
        audio_with_last_frame=False,  # start/end frame on v2.6 pro is "no audio"
        last_frame=pro,
        negative_prompt=True,
        negative_prompt_max_chars=2500,
        dialogue_languages=("en", "zh") if pro else (),  # [I] Kling voices: Chinese, English
        prompt_max_chars=2500,
    )


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


def _higgsfield(slug: str, name: str, api_model: str) -> Capabilities:
    return Capabilities(
        slug=slug,
        name=name,
        provider="higgsfield",
        api_model=api_model,
        prompt_field="params.prompt",
        durations=(5,),  # [I] DoP clips are about 5 s; providers.md names no duration field
        aspect_ratios=ALL_RATIOS,  # the clip follows the input image
        resolutions=("720p",),  # [I]
        camera=CameraSupport(style=PRESETS, field="motions", value_range=(0, 1)),
        requires_first_frame=True,
        seed_range=(0, 1_000_000),  # the SDK's seed() helper allows 0..1,000,000 [V-SDK]
        prompt_required=False,
    )


CAPABILITIES: dict[str, Capabilities] = {
    c.slug: c
    for c in (
        Capabilities(
            slug="previz",
            name="Previz",
            provider="local",
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
        _veo("veo-3.1", "Veo 3.1", "veo-3.1-generate-preview"),
        _veo("veo-3.1-fast", "Veo 3.1 Fast", "veo-3.1-fast-generate-preview"),
        _kling("kling-2.6-std", "Kling 2.6 Standard", "std"),
        _kling("kling-2.6-pro", "Kling 2.6 Pro", "pro"),
        _runway("runway-gen4.5", "Runway Gen-4.5", "gen4.5", image_only=False),
        _runway("runway-gen4-turbo", "Runway Gen-4 Turbo", "gen4_turbo", image_only=True),
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
        ),
        _higgsfield("higgsfield-dop-lite", "Higgsfield DoP Lite", "dop-lite"),
        _higgsfield("higgsfield-dop-turbo", "Higgsfield DoP Turbo", "dop-turbo"),
        _higgsfield("higgsfield-dop-standard", "Higgsfield DoP Standard", "dop-standard"),
    )
}


class UnknownModelError(KeyError):
    """A model slug that is not in catalog.VIDEO_MODELS."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def get_capabilities(slug: str) -> Capabilities:
    try:
        return CAPABILITIES[slug]
    except KeyError:
        known = ", ".join(CAPABILITIES)
        raise UnknownModelError(
            f"Unknown video model {slug!r}; known models (catalog.VIDEO_MODELS): {known}"
        ) from None


def resolve(model: str | Capabilities) -> Capabilities:
    """Accept a slug or a Capabilities (tests and future variants pass the latter)."""
    return model if isinstance(model, Capabilities) else get_capabilities(model)
