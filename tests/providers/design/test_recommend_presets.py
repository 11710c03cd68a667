"""Recommendations and the presets library."""

import dataclasses

import pytest

from providers.capabilities import CAPABILITIES
from providers.core.spec import CameraMove, DialogueLine, ShotSpec
from providers.design.preflight import check_shot
from providers.design.presets import PRESETS, ShotPreset
from providers.design.recommend import physical_words, recommend
from tests.providers.conftest import make_spec


def top(spec) -> str:
    return recommend(spec)[0].model


def test_ranks_every_real_model_once_and_never_previz():
    ranked = recommend(make_spec())
    assert sorted(r.model for r in ranked) == sorted(s for s in CAPABILITIES if s != "previz")


def test_dialogue_in_japanese_goes_to_seedance():
    spec = make_spec(audio=True, dialogue=(DialogueLine("", "Mou ikanakya", "ja"),))
    best = recommend(spec)[0]
    assert best.model == "seedance-1.5-pro"
    assert "+4 Seedance 1.5 Pro has the best lip-sync for spoken dialogue" in best.reasons
    assert "+2 Seedance 1.5 Pro speaks Japanese" in best.reasons


def test_physical_action_goes_to_kling():
    spec = make_spec(
        action="stumbles and falls onto a table, which splinters",
        duration_seconds=5,
        resolution="1080p",
    )
    assert physical_words(spec) == ["falls", "splinters", "stumbles"]
    assert top(spec) == "kling-2.6-pro"


def test_4k_goes_to_veo():
    assert top(make_spec(resolution="4k")).startswith("veo-3.1")


def test_longer_than_8_seconds_pushes_veo_down():
    ranked = recommend(make_spec(duration_seconds=10))
    veo = next(r for r in ranked if r.model == "veo-3.1")
    assert "-6 Veo 3.1 stops at 8 s" in veo.reasons
    assert ranked.index(veo) > 3


def test_precise_camera_with_a_hero_frame_goes_to_higgsfield():
    spec = make_spec(duration_seconds=5, has_hero_frame=True, motion_preset="arc_left")
    assert top(spec).startswith("higgsfield-dop")


def with_preset(spec: ShotSpec, preset: ShotPreset) -> ShotSpec:
    """The spec as a shot with the preset applied would have it (projects preset_values)."""
    style = ", ".join(s for s in (spec.style.strip(), preset.style) if s)
    return dataclasses.replace(
        spec,
        camera=preset.camera,
        motion_preset=preset.motion_preset,
        shot_size=preset.shot_size,
        camera_angle=preset.camera_angle,
        duration_seconds=preset.duration_seconds,
        resolution=preset.resolution,
        audio=preset.audio or spec.audio,
        style=style,
    )


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.slug)
def test_every_preset_is_valid_on_its_own_model(preset):
    spec = with_preset(make_spec(has_hero_frame=True, style="moody"), preset)
    assert check_shot(spec, preset.model) == {}
    assert spec.style.startswith("moody, ")


def test_presets_are_a_small_library_with_unique_slugs():
    assert 10 <= len(PRESETS) <= 14
    assert len({p.slug for p in PRESETS}) == len(PRESETS)
    assert any(p.camera == CameraMove(dolly=3) for p in PRESETS)
