"""The stills formula: what a photograph can hold goes in, what only a clip has is reported."""

import pytest

from providers.core.spec import Beat, CameraMove, DialogueLine
from providers.design.stills import compile_still, pick_resolution
from providers.stills import STILL_CAPABILITIES, get_still
from tests.providers.conftest import make_spec

GOLDEN = (
    "Cinematic still frame. A young woman in a red coat turns toward the camera, frozen at the "
    "peak of the moment, a rainy neon-lit street at night. Medium shot, low angle, 35mm lens. "
    "Moody low-key light, teal and orange grade. Keep the people, places and look of the "
    "reference images. 21:9 anamorphic scope frame, sharp focus, no motion blur."
)


def noir(**overrides):
    fields = dict(
        subject="a young woman in a red coat",
        action="turns toward the camera",
        context="a rainy neon-lit street at night",
        style="moody low-key light, teal and orange grade",
        shot_size="ms",
        camera_angle="low",
        lens_mm=35,
        aspect_ratio="21:9",
        resolution="1080p",
        reference_count=2,
    )
    fields.update(overrides)
    return make_spec(**fields)


def test_golden_prompt_holds_subject_moment_setting_framing_light_and_ratio():
    assert compile_still(noir(), "nano-banana-pro").prompt == GOLDEN


def test_motion_audio_and_beats_stay_out_of_the_prompt_and_are_reported():
    spec = noir(
        context="a rainy street, slow dolly in",
        style="handheld, moody light",
        camera=CameraMove(pan=4),
        camera_notes="that shakes",
        beats=(Beat(2, "she smiles"),),
        audio=True,
        dialogue=(DialogueLine("", "Not again."),),
    )
    out = compile_still(spec, "seedream-4.5")
    words = out.prompt.lower()
    for absent in ("dolly", "handheld", "pan", "shakes", "smiles", "not again"):
        assert absent not in words
    report = " ".join(out.ignored)
    for reason in ("slow dolly in", "handheld", "camera move", "camera notes", "beat", "sound"):
        assert reason in report


@pytest.mark.parametrize(
    ("slug", "params"),
    [
        (
            "nano-banana-pro",
            {
                "responseModalities": ["IMAGE"],
                "imageConfig": {"aspectRatio": "9:16", "imageSize": "2K"},
            },
        ),
        (
            "seedream-4.5",
            {
                "size": "1600x2848",
                "sequential_image_generation": "disabled",
                "watermark": False,
                "response_format": "url",
            },
        ),
        ("runway-gen4-image", {"model": "gen4_image", "ratio": "1080:1920"}),
        (
            "higgsfield-soul",
            {
                "aspect_ratio": "9:16",
                "resolution": "1080p",
                "enhance_prompt": False,
                "batch_size": 1,
            },
        ),
        ("previz-still", {"aspect_ratio": "9:16", "resolution": "720p"}),
    ],
)
def test_params_speak_each_models_own_ratio_and_size(slug, params):
    assert compile_still(noir(aspect_ratio="9:16"), slug).params == params


def test_resolution_covers_the_clip_and_falls_back_to_the_largest():
    nano = get_still("nano-banana-pro")
    assert [pick_resolution(nano, r) for r in ("720p", "1080p", "4k")] == ["1K", "2K", "4K"]
    runway = get_still("runway-gen4-image")
    assert pick_resolution(runway, "4k") == "1080p"
    wide = noir(resolution="4k", aspect_ratio="16:9")
    assert compile_still(wide, "seedream-4.5").params["size"] == "5504x3040"


def test_a_ratio_the_model_lacks_is_replaced_and_said():
    out = compile_still(noir(aspect_ratio="21:9"), "higgsfield-soul")
    assert out.params["aspect_ratio"] == "16:9"
    assert "aspect ratio 21:9" in out.ignored[0]
    assert "reference images" not in out.prompt  # Soul takes none, so none are promised


def test_runway_prompt_is_cut_to_its_limit():
    out = compile_still(noir(context="x " * 700), "runway-gen4-image")
    assert len(out.prompt) <= 1000
    assert any("1000 characters" in n for n in out.notes)


@pytest.mark.parametrize("slug", sorted(STILL_CAPABILITIES))
@pytest.mark.parametrize("ratio", ["16:9", "9:16", "1:1", "4:3", "21:9"])
@pytest.mark.parametrize("resolution", ["720p", "1080p", "4k"])
def test_every_model_compiles_every_shot_shape(slug, ratio, resolution):
    out = compile_still(noir(aspect_ratio=ratio, resolution=resolution), slug)
    assert out.resolution in get_still(slug).resolutions
    assert out.aspect_ratio in get_still(slug).aspect_ratios
    assert out.prompt.startswith("Cinematic still frame.")


def test_an_unknown_still_model_names_the_known_ones():
    from providers.core.capabilities import UnknownModelError

    with pytest.raises(UnknownModelError) as error:
        get_still("midjourney-9")
    assert str(error.value).startswith("Unknown still model 'midjourney-9'; known models")
    assert "nano-banana-pro" in str(error.value)
