"""The guide's example prompts come out of the compiler exactly, from structured shots.

video-models-guide.md has an "Example Prompt" for Veo 3.1, Kling 2.6 and Seedance 1.5 Pro only;
Runway Gen-4.5 and Higgsfield have none, so their goldens below are our own, pinned so that a
formula change is a visible diff.
"""

from providers.core.spec import Beat, CameraMove, DialogueLine, ShotSpec
from providers.design.compile import compile_shot

GUIDE_VEO = (
    "Crane shot starting low on a lone hiker and ascending high above, revealing they are "
    "standing on the edge of a colossal, mist-filled canyon at sunrise, epic fantasy style, "
    "awe-inspiring, soft morning light."
)
GUIDE_KLING = (
    "A knight in heavy plate armor stumbles and falls onto a wooden table, which splinters "
    "under the impact. The camera is a handheld shot that shakes with the impact."
)
GUIDE_SEEDANCE = (
    "A young woman with blonde hair says, 'I can't believe you just said that.' She is sitting "
    "in a dimly lit coffee shop, and the mood is tense."
)


def shot(**fields) -> ShotSpec:
    base = dict(
        label="",
        subject="",
        action="",
        context="",
        style="",
        shot_size="",
        camera_angle="",
        lens_mm=None,
        duration_seconds=8,
        aspect_ratio="16:9",
    )
    base.update(fields)
    return ShotSpec(**base)


VEO_SHOT = shot(
    subject="a lone hiker",
    context="revealing they are standing on the edge of a colossal, mist-filled canyon at sunrise",
    style="epic fantasy style, awe-inspiring, soft morning light",
    motion_preset="crane_up",
)
KLING_SHOT = shot(
    subject="a knight in heavy plate armor",
    action="stumbles and falls onto a wooden table, which splinters under the impact",
    motion_preset="handheld",
    camera_notes="that shakes with the impact",
    duration_seconds=5,
    resolution="1080p",
)
SEEDANCE_SHOT = shot(
    subject="a young woman with blonde hair",
    context="She is sitting in a dimly lit coffee shop",
    style="tense",
    audio=True,
    dialogue=(DialogueLine(speaker="", text="I can't believe you just said that."),),
    duration_seconds=5,
)


# The guide has no example for these two: our own, pinned.
RUNWAY_SHOT = shot(
    subject="a chrome perfume bottle",
    action="rotates slowly on a black mirror",
    style="luxury product commercial, crisp reflections",
    camera=CameraMove(dolly=2, pan=5),
    duration_seconds=10,
    seed=42,
)
GOLDEN_RUNWAY = (
    "A chrome perfume bottle rotates slowly on a black mirror. The camera is a moderate "
    "pan right, slow dolly in. Luxury product commercial, crisp reflections."
)
HIGGSFIELD_SHOT = shot(
    subject="a dancer",
    action="spins on a rooftop",
    context="above a neon city",
    style="dreamy, pastel",
    motion_preset="arc_right",
    has_hero_frame=True,
    duration_seconds=5,
)
GOLDEN_HIGGSFIELD = "A dancer spins on a rooftop, dreamy, pastel."


def test_veo_guide_example():
    assert compile_shot(VEO_SHOT, "veo-3.1").prompt == GUIDE_VEO


def test_veo_fast_uses_the_same_formula():
    assert compile_shot(VEO_SHOT, "veo-3.1-fast").prompt == GUIDE_VEO


def test_kling_guide_example():
    assert compile_shot(KLING_SHOT, "kling-2.6-pro").prompt == GUIDE_KLING


def test_seedance_guide_example():
    compiled = compile_shot(SEEDANCE_SHOT, "seedance-1.5-pro")
    assert compiled.prompt == GUIDE_SEEDANCE
    assert compiled.params["camera_fixed"] is True
    assert compiled.params["generate_audio"] is True


def test_veo_params_use_vertex_field_names():
    assert compile_shot(VEO_SHOT, "veo-3.1").params == {
        "durationSeconds": 8,
        "aspectRatio": "16:9",
        "resolution": "720p",
        "generateAudio": False,
        "sampleCount": 1,
    }


def test_kling_params_send_duration_as_a_string():
    assert compile_shot(KLING_SHOT, "kling-2.6-pro").params == {
        "model_name": "kling-v2-6",
        "mode": "pro",
        "duration": "5",
        "sound": "off",
        "aspect_ratio": "16:9",
    }


def test_veo_beats_dialogue_and_sound_cues():
    spec = shot(
        subject="a lone hiker",
        action="looking out over the valley",
        shot_size="ws",
        camera_angle="low",
        lens_mm=24,
        camera=CameraMove(dolly=2),
        audio=True,
        dialogue=(DialogueLine(speaker="The hiker", text="We made it"),),
        sound_effects="wind gusting",
        ambience="distant birdsong",
        beats=(Beat(5, "she raises her arms"), Beat(2, "she stops")),
    )
    assert compile_shot(spec, "veo-3.1").prompt == (
        "Wide shot, low angle, 24mm lens, slow dolly in, a lone hiker, looking out over the "
        "valley. (at 2s) she stops. (at 5s) she raises her arms. "
        'The hiker says, "We made it." SFX: wind gusting. Ambient noise: distant birdsong.'
    )


def test_seedance_names_the_dialogue_language():
    spec = shot(
        subject="an old fisherman",
        action="mends a net",
        context="on a quiet harbour at dawn",
        audio=True,
        dialogue=(DialogueLine(speaker="The fisherman", text="Le vent tourne.", language="fr"),),
        camera=CameraMove(dolly=2),
        duration_seconds=6,
    )
    compiled = compile_shot(spec, "seedance-1.5-pro")
    assert compiled.prompt == (
        "The fisherman says in French, 'Le vent tourne.' An old fisherman mends a net. "
        "On a quiet harbour at dawn. The camera is a slow dolly in."
    )
    assert compiled.params["camera_fixed"] is False


def test_runway_golden():
    compiled = compile_shot(RUNWAY_SHOT, "runway-gen4.5")
    assert compiled.prompt == GOLDEN_RUNWAY
    assert compiled.params == {"model": "gen4.5", "ratio": "1280:720", "duration": 10, "seed": 42}


def test_higgsfield_golden_is_preset_first():
    compiled = compile_shot(HIGGSFIELD_SHOT, "higgsfield-dop-turbo")
    assert compiled.prompt == GOLDEN_HIGGSFIELD
    assert compiled.params == {
        "model": "dop-turbo",
        "motions": [{"name": "Arc Right", "strength": 0.8}],
    }
    assert "context left out of the prompt: the hero frame shows the setting" in compiled.ignored


def test_hero_frame_prompt_in_cinema_studio_style():
    from providers.core.spec import ShotSpec
    from providers.higgsfield.prompt import hero_frame_prompt

    spec = ShotSpec(
        label="1A",
        subject="a lone lighthouse keeper",
        action="she lifts a storm lantern",
        context="on black cliffs above a grey sea",
        style="moody, 35mm film grain",
        shot_size="ws",
        camera_angle="low",
        lens_mm=24,
        duration_seconds=5,
        aspect_ratio="16:9",
    )
    assert hero_frame_prompt(spec) == (
        "Wide shot, low angle, 24mm lens, a lone lighthouse keeper, caught as she lifts a storm "
        "lantern, on black cliffs above a grey sea, moody, 35mm film grain. "
        "Cinematic still frame, sharp focus, no motion blur."
    )
