import dataclasses

from providers.capabilities import get_capabilities
from providers.core.spec import Beat, CameraMove, DialogueLine
from providers.design.preflight import check_shot
from providers.kling.capabilities import KLING_CAMERA_CONTROL
from tests.providers.conftest import make_spec


def test_a_plain_veo_shot_passes():
    assert check_shot(make_spec(), "veo-3.1") == {}


def test_veo_duration():
    messages = check_shot(make_spec(duration_seconds=5), "veo-3.1")
    assert messages == {
        "duration_seconds": ["Veo 3.1 makes clips of 4, 6 or 8 seconds; this shot is 5 s."]
    }


def test_veo_needs_8_seconds_for_1080p_4k_and_references():
    assert check_shot(make_spec(duration_seconds=6, resolution="1080p"), "veo-3.1") == {
        "duration_seconds": ["Veo 3.1 needs an 8 s shot for 1080p; this shot is 6 s."]
    }
    assert check_shot(make_spec(duration_seconds=4, resolution="4k"), "veo-3.1") == {
        "duration_seconds": ["Veo 3.1 needs an 8 s shot for 4k; this shot is 4 s."]
    }
    assert check_shot(make_spec(duration_seconds=6, reference_count=2), "veo-3.1") == {
        "duration_seconds": ["Veo 3.1 needs an 8 s shot for reference images; this shot is 6 s."]
    }


def test_runway_duration_range():
    messages = check_shot(make_spec(duration_seconds=12), "runway-gen4.5")
    assert messages["duration_seconds"] == [
        "Runway Gen-4.5 makes clips of 2 to 10 seconds; this shot is 12 s."
    ]


def test_aspect_ratio_and_text_to_video_ratios():
    assert check_shot(make_spec(aspect_ratio="4:3"), "veo-3.1")["aspect_ratio"] == [
        "Veo 3.1 makes 16:9 or 9:16 clips; this shot is 4:3."
    ]
    assert check_shot(make_spec(aspect_ratio="1:1"), "runway-gen4.5")["aspect_ratio"] == [
        "Runway Gen-4.5 makes 1:1 clips only from a hero frame; add one or choose 16:9 or 9:16."
    ]
    assert "aspect_ratio" not in check_shot(
        make_spec(aspect_ratio="1:1", has_hero_frame=True), "runway-gen4.5"
    )


def test_resolution():
    assert check_shot(make_spec(resolution="1080p"), "runway-gen4.5")["resolution"] == [
        "Runway Gen-4.5 renders 720p only; this shot asks for 1080p."
    ]


def test_beats_beyond_the_duration():
    spec = make_spec(beats=(Beat(2, "she turns"), Beat(9.5, "she waves")))
    assert check_shot(spec, "veo-3.1") == {
        "beats": ["The beat at 9.5 s falls after the end of this 8 s shot."]
    }


def test_too_many_references():
    assert check_shot(make_spec(reference_count=4), "veo-3.1")["references"] == [
        "Veo 3.1 takes up to 3 reference images; this shot has 4."
    ]
    assert check_shot(make_spec(duration_seconds=5, reference_count=1), "kling-2.6-pro")[
        "references"
    ] == ["Kling 2.6 Pro takes no reference images; this shot has 1."]


def test_veo_references_cannot_meet_a_hero_frame():
    spec = make_spec(reference_count=1, has_hero_frame=True)
    assert check_shot(spec, "veo-3.1")["references"] == [
        "Veo 3.1 cannot combine reference images with a hero frame or last frame; "
        "remove one or the other."
    ]


def test_audio_asked_of_a_silent_model():
    assert check_shot(make_spec(audio=True, duration_seconds=10), "runway-gen4.5") == {
        "audio": [
            "Runway Gen-4.5 makes silent clips; turn audio off or choose Veo 3.1, "
            "Veo 3.1 Fast, Veo 3.1 Lite, Kling 2.6 Pro, Kling 3.0 Standard, Kling 3.0 Pro or "
            "Seedance 1.5 Pro."
        ]
    }


def test_two_camera_axes_for_a_model_that_takes_one():
    kling_v1 = dataclasses.replace(get_capabilities("kling-2.6-std"), camera=KLING_CAMERA_CONTROL)
    spec = make_spec(duration_seconds=5, camera=CameraMove(pan=3, dolly=-2))
    assert check_shot(spec, kling_v1)["camera"] == [
        "Kling 2.6 Standard moves the camera along one axis at a time; "
        "this shot moves pan and dolly."
    ]


def test_camera_value_out_of_range():
    assert check_shot(make_spec(camera=CameraMove(tilt=14)), "veo-3.1")["camera"] == [
        "Tilt must be between -10 and +10; it is +14."
    ]


def test_prompt_over_the_limit():
    spec = make_spec(duration_seconds=10, style="grainy " * 200)
    [message] = check_shot(spec, "runway-gen4.5")["prompt"]
    assert message.startswith("Runway Gen-4.5 reads prompts up to 1000 characters; this one is ")


def test_empty_prompt():
    spec = make_spec(subject="", action="", context="", style="", shot_size="", camera_angle="")
    # Veo still hears nothing: no framing, no move, no words.
    assert check_shot(spec, "veo-3.1")["prompt"] == [
        "Veo 3.1 needs a prompt: describe the subject or the action."
    ]


def test_image_to_video_needs_a_hero_frame():
    assert check_shot(make_spec(duration_seconds=5), "higgsfield-dop-lite") == {
        "hero_frame": ["Higgsfield DoP Lite animates a hero frame; add one to this shot."]
    }


def test_dialogue_language_unsupported():
    spec = make_spec(audio=True, dialogue=(DialogueLine("Mara", "Konnichiwa", "ja"),))
    assert check_shot(spec, "veo-3.1")["dialogue"] == [
        "Veo 3.1 speaks English only; line 1 is in Japanese."
    ]
    assert "dialogue" not in check_shot(
        dataclasses.replace(spec, duration_seconds=8), "seedance-1.5-pro"
    )


def test_last_frame_and_seed_and_motion_preset():
    spec = make_spec(duration_seconds=10, has_last_frame=True, seed=-3, motion_preset="moonwalk")
    assert check_shot(spec, "runway-gen4.5") == {
        "last_frame": [
            "Runway Gen-4.5 cannot end on a chosen last frame; remove it or choose Veo 3.1, "
            "Veo 3.1 Fast, Kling 2.6 Pro, Kling 3.0 Standard, Kling 3.0 Pro or Seedance 1.5 Pro."
        ],
        "seed": ["Runway Gen-4.5 takes seeds from 0 to 4294967295; this one is -3."],
        "motion_preset": ["'moonwalk' is not a camera move Shot Studio knows."],
    }


def test_kling_pro_cannot_voice_a_shot_with_a_last_frame():
    spec = make_spec(duration_seconds=5, resolution="1080p", audio=True, has_last_frame=True)
    assert check_shot(spec, "kling-2.6-pro") == {
        "audio": ["Kling 2.6 Pro cannot make audio with a last frame; turn audio off or remove it."]
    }


def test_negative_prompt_too_long():
    spec = make_spec(duration_seconds=5, resolution="1080p", negative_prompt="x" * 2501)
    assert check_shot(spec, "kling-2.6-pro") == {
        "negative_prompt": [
            "Kling 2.6 Pro reads negative prompts up to 2500 characters; this one is 2501."
        ]
    }


def test_previz_lists_references_as_ignored_instead_of_blocking():
    from providers.core.spec import ShotSpec
    from providers.design.compile import compile_shot
    from providers.design.preflight import check_shot

    spec = ShotSpec(
        label="1A",
        subject="Mara",
        action="turns",
        context="",
        style="",
        shot_size="ms",
        camera_angle="eye",
        lens_mm=35,
        duration_seconds=5,
        aspect_ratio="16:9",
        reference_count=2,
    )
    assert check_shot(spec, "previz") == {}
    assert any("reference" in note for note in compile_shot(spec, "previz").ignored)
