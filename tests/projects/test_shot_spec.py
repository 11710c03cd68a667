import pytest
from django.core.exceptions import ValidationError

from projects.selectors.shot_spec import parse_beats, parse_dialogue, shot_spec
from providers.core.spec import Beat, CameraMove, DialogueLine
from tests.factories import ShotFactory


def test_beats_parse_in_time_order():
    assert parse_beats("4s: the lamp catches\n\n0: she strikes a match\nat 2.5s — it flares") == [
        Beat(0.0, "she strikes a match"),
        Beat(2.5, "it flares"),
        Beat(4.0, "the lamp catches"),
    ]


def test_a_beat_without_a_time_names_its_line():
    with pytest.raises(ValidationError) as error:
        parse_beats("2s: fine\nshe turns")
    assert error.value.messages == [
        "Line 2: start with the second it happens, e.g. “2s: she turns”."
    ]


def test_dialogue_speakers_and_languages():
    text = "MARA: Not tonight.\n(wind howls)\nOLD TOM (fr): Allume-la.\nKEI [ja]: はい"
    assert parse_dialogue(text, "en") == [
        DialogueLine("MARA", "Not tonight.", "en"),
        DialogueLine("", "(wind howls)", "en"),
        DialogueLine("OLD TOM", "Allume-la.", "fr"),
        DialogueLine("KEI", "はい", "ja"),
    ]


def test_an_unknown_dialogue_language_is_named():
    with pytest.raises(ValidationError) as error:
        parse_dialogue("MARA (xx): hello")
    assert error.value.messages == [
        "Line 1: “xx” is not a language we know; use en, zh, ja, ko, fr, es."
    ]


@pytest.mark.django_db
def test_a_shot_becomes_the_spec_providers_read():
    shot = ShotFactory(
        pan=3,
        dolly=-2,
        beats="2s: she turns",
        dialogue="MARA (es): Hola",
        audio=True,
        resolution="1080p",
        seed=7,
        motion_preset="crane_up",
    )
    spec = shot_spec(shot)
    assert spec.camera == CameraMove(pan=3, dolly=-2)
    assert spec.beats == (Beat(2.0, "she turns"),)
    assert spec.dialogue == (DialogueLine("MARA", "Hola", "es"),)
    assert (spec.audio, spec.resolution, spec.seed, spec.motion_preset) == (
        True,
        "1080p",
        7,
        "crane_up",
    )
    assert (spec.has_hero_frame, spec.reference_count, spec.has_voice_sample) == (False, 0, False)
