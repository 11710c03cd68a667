import dataclasses

import pytest

from providers.capabilities import get_capabilities
from providers.core.spec import CameraMove
from providers.design.camera import axis_phrase, nearest_motion, translate_camera
from providers.kling.capabilities import KLING_CAMERA_CONTROL

KLING_V1 = dataclasses.replace(get_capabilities("kling-2.6-std"), camera=KLING_CAMERA_CONTROL)


@pytest.mark.parametrize(
    ("axis", "value", "phrase"),
    [
        ("dolly", 2, "slow dolly in"),
        ("dolly", -5, "moderate dolly out"),
        ("truck", 8, "fast truck right"),
        ("pan", 3, "slight pan right"),
        ("pan", -4, "moderate pan left"),
        ("tilt", 7, "strong tilt up"),
        ("tilt", -1, "slight tilt down"),
        ("roll", -10, "strong roll counter-clockwise"),
        ("zoom", 6, "moderate zoom in"),
    ],
)
def test_axis_words_follow_the_convention(axis, value, phrase):
    assert axis_phrase(axis, value) == phrase


def test_words_put_the_biggest_move_first():
    result = translate_camera(CameraMove(pan=2, dolly=3), get_capabilities("veo-3.1"))
    assert result.prompt_phrase == "slow dolly in, slight pan right"
    assert result.params == {}
    assert result.sent == []
    assert len(result.approximated) == 2


def test_kling_camera_control_sends_only_the_dominant_axis():
    result = translate_camera(CameraMove(pan=6, tilt=-2), KLING_V1)
    assert result.params == {
        "camera_control": {
            "type": "simple",
            "config": {"horizontal": 0, "vertical": 0, "pan": 6, "tilt": 0, "roll": 0, "zoom": 0},
        }
    }
    assert result.sent == ["pan +6 as camera_control.pan 6"]
    assert result.prompt_phrase == "slight tilt down"
    assert result.approximated == [
        "tilt -2 as 'slight tilt down' (Kling 2.6 Standard takes one numeric camera axis)"
    ]


def test_kling_truck_is_horizontal_and_zoom_sign_is_reversed():
    truck = translate_camera(CameraMove(truck=-4), KLING_V1)
    assert truck.params["camera_control"]["config"]["horizontal"] == -4
    zoom = translate_camera(CameraMove(zoom=5), KLING_V1)
    assert zoom.params["camera_control"]["config"]["zoom"] == -5


def test_kling_dolly_has_no_field_so_it_becomes_words():
    result = translate_camera(CameraMove(dolly=7), KLING_V1)
    assert result.params == {}
    assert result.prompt_phrase == "fast dolly in"


def test_seedance_locks_only_a_static_camera():
    seedance = get_capabilities("seedance-1.5-pro")
    assert translate_camera(CameraMove(), seedance).params == {"camera_fixed": True}
    moving = translate_camera(CameraMove(truck=3), seedance)
    assert moving.params == {"camera_fixed": False}
    assert moving.prompt_phrase == "slow truck right"
    named = translate_camera(CameraMove(), seedance, "handheld")
    assert named.params == {"camera_fixed": False}
    assert named.motion is not None and named.motion.shot == "handheld shot"


def test_higgsfield_picks_the_nearest_preset_and_words_for_the_rest():
    result = translate_camera(CameraMove(dolly=5, roll=2), get_capabilities("higgsfield-dop-lite"))
    assert result.params == {"motions": [{"name": "Dolly In", "strength": 0.5}]}
    assert result.prompt_phrase == "slight roll clockwise"


def test_higgsfield_static_shot_uses_the_static_preset():
    result = translate_camera(CameraMove(), get_capabilities("higgsfield-dop-lite"))
    assert result.params == {"motions": [{"name": "Static", "strength": 1.0}]}


def test_nearest_motion_for_an_orbit_ish_truck():
    assert nearest_motion(CameraMove(truck=5, pan=-4)).slug == "arc_right"
    assert nearest_motion(CameraMove()) is None


def test_previz_sends_all_six_axes():
    result = translate_camera(CameraMove(pan=1, roll=-3, dolly=10), get_capabilities("previz"))
    assert result.params == {
        "camera": {"pan": 1, "tilt": 0, "roll": -3, "zoom": 0, "truck": 0, "dolly": 10}
    }
    assert result.approximated == [] and result.ignored == []


def test_unknown_motion_preset_is_reported_as_ignored():
    result = translate_camera(CameraMove(), get_capabilities("veo-3.1"), "moonwalk")
    assert result.ignored == ["motion preset 'moonwalk' is unknown"]
