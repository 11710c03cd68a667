import pytest

from providers.capabilities import CAPABILITIES, UnknownModelError, get_capabilities
from providers.core.capabilities import FIXED_FLAG, NUMERIC, PRESETS, PROMPT
from providers.core.catalog import ASPECT_RATIOS, CAMERA_AXES, VIDEO_MODELS


def test_every_catalog_model_has_capabilities_in_catalog_order():
    assert list(CAPABILITIES) == [slug for slug, _ in VIDEO_MODELS]


def test_unknown_slug_names_the_known_ones():
    with pytest.raises(UnknownModelError) as error:
        get_capabilities("sora-9")
    assert isinstance(error.value, KeyError)
    assert "Unknown video model 'sora-9'" in str(error.value)
    assert "veo-3.1" in str(error.value)


def test_veo_durations_resolutions_and_the_8_second_rule():
    veo = get_capabilities("veo-3.1")
    assert veo.durations == (4, 6, 8)
    assert veo.aspect_ratios == ("16:9", "9:16")
    assert veo.resolutions == ("720p", "1080p", "4k")
    assert veo.needs_longest_duration_for == ("1080p", "4k", "references")
    assert veo.max_references == 3
    assert veo.native_audio and veo.camera.style == PROMPT


def test_kling_26_has_no_camera_control_and_audio_only_on_pro():
    std, pro = get_capabilities("kling-2.6-std"), get_capabilities("kling-2.6-pro")
    assert std.camera.style == pro.camera.style == PROMPT  # camera_control is v1/v1.5 only
    assert (std.native_audio, pro.native_audio) == (False, True)
    assert std.durations == pro.durations == (5, 10)
    assert pro.prompt_max_chars == 2500
    assert (std.last_frame, pro.last_frame) == (False, True)


def test_runway_limits():
    gen45, turbo = get_capabilities("runway-gen4.5"), get_capabilities("runway-gen4-turbo")
    assert gen45.durations == tuple(range(2, 11))
    assert gen45.prompt_max_chars == 1000
    assert gen45.text_to_video_ratios == ("16:9", "9:16")
    assert turbo.requires_first_frame and not gen45.requires_first_frame
    assert not gen45.native_audio and not gen45.negative_prompt


def test_seedance_is_audio_first_with_six_languages():
    seedance = get_capabilities("seedance-1.5-pro")
    assert seedance.camera.style == FIXED_FLAG and seedance.camera.field == "camera_fixed"
    assert seedance.dialogue_languages == ("en", "zh", "ja", "ko", "fr", "es")
    assert seedance.durations == tuple(range(4, 13))
    assert seedance.seed_range == (-1, 4294967295)


def test_higgsfield_dop_is_image_to_video_with_presets():
    for slug in ("higgsfield-dop-lite", "higgsfield-dop-turbo", "higgsfield-dop-standard"):
        caps = get_capabilities(slug)
        assert caps.requires_first_frame
        assert caps.camera.style == PRESETS and caps.camera.field == "motions"
    assert get_capabilities("higgsfield-dop-turbo").api_model == "dop-turbo"


def test_previz_takes_everything_locally():
    previz = get_capabilities("previz")
    assert previz.durations == tuple(range(1, 21))
    assert previz.aspect_ratios == tuple(v for v, _ in ASPECT_RATIOS)
    assert previz.resolutions == ("preview", "720p", "1080p")
    assert previz.camera.style == NUMERIC
    assert [a for a, _ in previz.camera.axis_fields] == list(CAMERA_AXES)
    assert not previz.native_audio
