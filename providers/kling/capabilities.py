"""What Kling 2.6 and 3.0 accept, as data (docs/providers.md section 3)."""

from __future__ import annotations

from providers.core.capabilities import PROMPT_CAMERA, SINGLE_AXIS, CameraSupport, Capabilities

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


def _kling3(slug: str, name: str, mode: str) -> Capabilities:
    """kling-v3 on text2video / image2video (providers.md §3.6, §9)."""
    pro = mode == "pro"
    return Capabilities(
        slug=slug,
        name=name,
        provider="kling",
        api_model="kling-v3",
        prompt_field="prompt",
        durations=tuple(range(3, 16)),  # "3"…"15" [V-mirror: text2video field table]
        aspect_ratios=("16:9", "9:16", "1:1"),
        ratio_follows_first_frame=True,
        # std 720p / pro 1080p [3P: the reference's §9 price list; vercel AI gateway model page,
        # 2026]. A 4K tier is reported [3P] but its request field on Kling's own API is not:
        # not offered.
        resolutions=("1080p",) if pro else ("720p",),
        camera=PROMPT_CAMERA,  # camera_control is v1/v1.5 only (§3.5)
        native_audio=True,  # sound "on" in both modes [3P: priced with audio at 720p and 1080p]
        audio_with_last_frame=True,  # [3P: wavespeed kling-v3.0 i2v, end frame and sound]
        last_frame=True,  # start + end frame in both modes [V-mirror capability map]
        negative_prompt=True,
        negative_prompt_max_chars=2500,
        dialogue_languages=("en", "zh"),  # [I] as 2.6 pro
        prompt_max_chars=2500,
    )


MODELS: tuple[Capabilities, ...] = (
    _kling("kling-2.6-std", "Kling 2.6 Standard", "std"),
    _kling("kling-2.6-pro", "Kling 2.6 Pro", "pro"),
    _kling3("kling-3.0-std", "Kling 3.0 Standard", "std"),
    _kling3("kling-3.0-pro", "Kling 3.0 Pro", "pro"),
)
