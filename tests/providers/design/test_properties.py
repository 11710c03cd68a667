"""Property tests: check_shot never raises and only names known fields; when it finds nothing,
compile_shot's request is one the model's capabilities accept."""

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.capabilities import CAPABILITIES
from providers.core.capabilities import FIXED_FLAG, NUMERIC, PRESETS, SINGLE_AXIS, Capabilities
from providers.core.catalog import ASPECT_RATIOS, CAMERA_ANGLES, CAMERA_AXES, SHOT_SIZES
from providers.core.motions import MOTIONS
from providers.core.spec import Beat, CameraMove, DialogueLine, ShotSpec
from providers.design.compile import compile_shot
from providers.design.preflight import FIELDS, check_shot, utf16_len
from providers.kling.capabilities import KLING_CAMERA_CONTROL
from providers.runway.prompt import RUNWAY_RATIOS
from tests.providers.conftest import make_spec

MODELS = [
    *CAPABILITIES.values(),
    dataclasses.replace(CAPABILITIES["kling-2.6-std"], camera=KLING_CAMERA_CONTROL),
]
words = st.text(alphabet="abc xyz,.'\"é漢😀", max_size=30)
long_words = st.one_of(words, st.text(alphabet="ab ", min_size=900, max_size=1200))
axis = st.one_of(st.integers(-10, 10), st.integers(-10, 10), st.integers(-(10**30), 10**30))
RESOLUTIONS = ["preview", "480p", "720p", "1080p", "4k", "8k"]
seconds = st.one_of(st.floats(-2, 25), st.floats(allow_nan=True, allow_infinity=True))


def specs(duration=None, ratio=None, resolution=None):
    return st.builds(
        ShotSpec,
        label=words,
        subject=words,
        action=long_words,
        context=words,
        style=words,
        shot_size=st.sampled_from(["", "zz", *(v for v, _ in SHOT_SIZES)]),
        camera_angle=st.sampled_from(["", "zz", *(v for v, _ in CAMERA_ANGLES)]),
        lens_mm=st.one_of(st.none(), st.integers(-5, 300)),
        duration_seconds=st.integers(-2, 25) if duration is None else duration,
        aspect_ratio=(
            st.sampled_from(["7:5", *(v for v, _ in ASPECT_RATIOS)]) if ratio is None else ratio
        ),
        resolution=st.sampled_from(RESOLUTIONS) if resolution is None else resolution,
        audio=st.booleans(),
        dialogue=st.lists(
            st.builds(DialogueLine, words, words, st.sampled_from(["en", "zh", "ja", "fr", "de"])),
            max_size=3,
        ).map(tuple),
        sound_effects=words,
        ambience=words,
        beats=st.lists(st.builds(Beat, seconds, words), max_size=3).map(tuple),
        camera=st.builds(CameraMove, *(axis for _ in CAMERA_AXES)),
        has_hero_frame=st.booleans(),
        has_last_frame=st.booleans(),
        reference_count=st.integers(-1, 5),
        has_voice_sample=st.booleans(),
        negative_prompt=words,
        seed=st.one_of(st.none(), st.integers(-10, 2**33)),
        motion_preset=st.sampled_from(["", "bogus", *MOTIONS]),
        camera_notes=words,
    )


def tailored(caps: Capabilities):
    """Specs that mostly fit `caps`, so the accepted path is exercised often (and on every model:
    test_a_shot_without_messages_compiles_to_an_accepted_request counts it)."""

    def fit(spec: ShotSpec) -> ShotSpec:
        clamp = {a: max(-10, min(10, v)) for a, v in spec.camera.as_dict().items()}
        if caps.camera.style == SINGLE_AXIS:
            first = next((a for a, v in clamp.items() if v), None)
            clamp = {a: v if a == first else 0 for a, v in clamp.items()}
        has_hero_frame = spec.has_hero_frame or caps.requires_first_frame
        references = min(max(spec.reference_count, 0), caps.max_references)
        if not caps.references_with_frames and has_hero_frame:
            references = 0
        duration = spec.duration_seconds
        forcing = {"1080p": spec.resolution == "1080p", "4k": spec.resolution == "4k"}
        forcing["references"] = references > 0
        if any(forcing.get(f) for f in caps.needs_longest_duration_for):
            duration = max(caps.durations)
        beats = tuple(
            b for b in spec.beats if math.isfinite(b.at_seconds) and 0 <= b.at_seconds <= duration
        )
        return dataclasses.replace(
            spec,
            camera=CameraMove(**clamp),
            has_hero_frame=has_hero_frame,
            has_last_frame=spec.has_last_frame and caps.last_frame,
            audio=spec.audio and caps.native_audio,
            reference_count=references,
            duration_seconds=duration,
            beats=beats,
            motion_preset="" if spec.motion_preset == "bogus" else spec.motion_preset,
            seed=None if spec.seed is None or spec.seed < 0 else spec.seed % 2**31,
        )

    return specs(
        duration=st.sampled_from(caps.durations),
        ratio=st.sampled_from(caps.text_to_video_ratios or caps.aspect_ratios),
        resolution=st.sampled_from(caps.resolutions),
    ).map(fit)


def assert_accepted(spec: ShotSpec, caps: Capabilities) -> None:
    compiled = compile_shot(spec, caps)
    p = compiled.params
    duration = {
        "previz": "duration_seconds",
        "google-veo": "durationSeconds",
        "kling": "duration",
        "runway": "duration",
        "seedance": "duration",
    }.get(caps.provider)
    if caps.provider == "kling":
        assert isinstance(p["duration"], str)
    if duration:
        assert int(p[duration]) in caps.durations
    ratio = {
        "previz": p.get("aspect_ratio"),
        "google-veo": p.get("aspectRatio"),
        "kling": p.get("aspect_ratio"),
        "seedance": p.get("ratio"),
    }.get(caps.provider, spec.aspect_ratio)
    if caps.provider == "runway":
        allowed = caps.aspect_ratios if spec.has_hero_frame else caps.text_to_video_ratios
        assert p["ratio"] in [RUNWAY_RATIOS[r] for r in allowed or caps.aspect_ratios]
    elif ratio is not None:
        assert ratio in caps.aspect_ratios
    else:
        assert caps.ratio_follows_first_frame and spec.has_hero_frame
    if caps.prompt_max_chars is not None:
        assert utf16_len(compiled.prompt) <= caps.prompt_max_chars
    if caps.prompt_required:
        assert compiled.prompt.strip()
    low, high = caps.camera.value_range
    if caps.camera.style == NUMERIC:
        assert all(low <= v <= high for v in p["camera"].values())
    if caps.camera.style == SINGLE_AXIS and "camera_control" in p:
        config = p["camera_control"]["config"]
        assert sum(1 for v in config.values() if v) <= 1
        assert all(low <= v <= high for v in config.values())
    if caps.camera.style == FIXED_FLAG:
        assert isinstance(p["camera_fixed"], bool)
    if caps.camera.style == PRESETS:
        assert all(0 <= m["strength"] <= 1 for m in p.get("motions", []))
    if "seed" in p:
        assert caps.seed_range[0] <= p["seed"] <= caps.seed_range[1]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(spec=specs(), caps=st.sampled_from(MODELS))
def test_check_shot_never_raises_and_names_known_fields(spec, caps):
    found = check_shot(spec, caps)
    assert isinstance(found, dict)
    assert set(found) <= set(FIELDS)
    for messages in found.values():
        assert messages and all(isinstance(m, str) and m for m in messages)
    compile_shot(spec, caps)  # the compare view compiles invalid shots too


def model_id(caps: Capabilities) -> str:
    return f"{caps.slug}-{caps.camera.style}"


@pytest.mark.parametrize("caps", MODELS, ids=model_id)
def test_a_shot_without_messages_compiles_to_an_accepted_request(caps):
    accepted = 0

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
    @given(spec=tailored(caps))
    def check(spec):
        nonlocal accepted
        if not check_shot(spec, caps):
            assert_accepted(spec, caps)
            accepted += 1

    check()
    # Without this, a model whose examples all draw a message never has its request checked.
    assert accepted, f"no example passed pre-flight on {caps.slug}: nothing was checked"


def plain_shot(caps: Capabilities) -> ShotSpec:
    """The shot a filmmaker starts with (make_spec), fitted to what `caps` makes."""
    return make_spec(
        duration_seconds=caps.durations[-1],
        aspect_ratio=(caps.text_to_video_ratios or caps.aspect_ratios)[0],
        resolution=caps.resolutions[0],
        camera=CameraMove(tilt=3) if caps.camera.style == SINGLE_AXIS else CameraMove(),
        has_hero_frame=caps.first_frame,
    )


@pytest.mark.parametrize("caps", MODELS, ids=model_id)
def test_the_plain_shot_passes_preflight_and_is_accepted(caps):
    spec = plain_shot(caps)
    assert check_shot(spec, caps) == {}
    assert_accepted(spec, caps)
