import os

import av
import numpy as np
import pytest

from providers.core.base import GenerationRequest, InputImage
from providers.core.media import probe
from providers.core.spec import Beat, CameraMove
from providers.previz.render import (
    RenderCanceled,
    RenderJob,
    camera_pose,
    output_size,
    render_previz,
)
from tests.providers.conftest import make_spec


def frames_of(path):
    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video=0)]


def diff(a, b):
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize(
    ("aspect", "resolution", "size"),
    [
        ("16:9", "preview", (640, 360)),
        ("9:16", "preview", (360, 640)),
        ("1:1", "720p", (720, 720)),
        ("4:3", "1080p", (1440, 1080)),
        ("21:9", "preview", (840, 360)),
        ("21:9", "720p", (1680, 720)),
    ],
)
def test_output_size_sets_the_short_side_and_stays_even(aspect, resolution, size):
    assert output_size(aspect, resolution) == size


@pytest.mark.parametrize(("aspect", "size"), [("16:9", (640, 360)), ("9:16", (360, 640))])
def test_render_writes_a_playable_h264_mp4(tmp_path, hero, job_factory, aspect, size):
    out = str(tmp_path / "out.mp4")
    job = job_factory(hero_path=hero, aspect_ratio=aspect, duration_seconds=2)

    result = render_previz(job, out, on_progress=None)

    info = probe(out)
    assert (info.codec, info.fps, (info.width, info.height)) == ("h264", 24.0, size)
    assert abs(info.duration_seconds - 2) <= 1 / 24
    assert info.frames == result.frames == 48
    assert (result.width, result.height, result.duration_seconds) == (*size, 2.0)
    assert not os.path.exists(out + ".part")
    with av.open(out) as container:
        assert container.streams.video[0].codec_context.pix_fmt == "yuv420p"


def test_moov_atom_comes_first_so_browsers_play_while_downloading(tmp_path, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(), out)
    with open(out, "rb") as handle:
        head = handle.read(4096)
    assert 0 <= head.find(b"moov") < 200
    assert head.find(b"mdat") == -1 or head.find(b"moov") < head.find(b"mdat")


def test_a_moving_camera_changes_the_picture(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero, camera=CameraMove(pan=6, dolly=5)), out)
    frames = frames_of(out)
    assert diff(frames[0], frames[-1]) > 10


def test_a_static_camera_holds_the_picture(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero), out)
    frames = frames_of(out)
    assert diff(frames[0], frames[-1]) < 2


def test_every_axis_moves_the_picture(tmp_path, hero, job_factory):
    for axis in ("pan", "tilt", "roll", "zoom", "truck", "dolly"):
        out = str(tmp_path / f"{axis}.mp4")
        move = CameraMove(**{axis: -7})
        render_previz(job_factory(hero_path=hero, camera=move, duration_seconds=0.5), out)
        frames = frames_of(out)
        assert diff(frames[0], frames[-1]) > 5, axis


def test_pan_right_slides_the_picture_left(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero, camera=CameraMove(pan=10)), out)
    frames = frames_of(out)
    # The hero's red channel grows to the right: looking further right, the frame gets redder.
    assert frames[-1][..., 0].mean() > frames[0][..., 0].mean() + 10


def test_roll_turns_the_horizon(tmp_path, job_factory):
    from PIL import Image

    hero = str(tmp_path / "horizon.png")
    sky = np.zeros((540, 960, 3), np.uint8)
    sky[:270] = 255  # white sky over a black ground: a level horizon
    Image.fromarray(sky).save(hero)
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero, camera=CameraMove(roll=10)), out)
    last = frames_of(out)[-1].mean(axis=-1)
    left_horizon = np.argmax(last[:, 40] < 128)
    right_horizon = np.argmax(last[:, -40] < 128)
    # Camera clockwise: the horizon turns counter-clockwise, its right end rises.
    assert right_horizon < left_horizon - 50


def test_magnitude_ten_pan_travels_a_quarter_frame():
    assert camera_pose(CameraMove(pan=10), 1.0).x == pytest.approx(0.25)
    assert camera_pose(CameraMove(pan=10), 0.0).x == 0
    assert camera_pose(CameraMove(truck=10), 1.0).x > camera_pose(CameraMove(pan=10), 1.0).x
    assert camera_pose(CameraMove(tilt=10), 1.0).y < 0  # up is towards smaller y


def test_zoom_and_dolly_reach_similar_sizes_along_different_curves():
    zoom = [camera_pose(CameraMove(zoom=10), t / 10).scale for t in range(11)]
    dolly = [camera_pose(CameraMove(dolly=10), t / 10).scale for t in range(11)]
    assert zoom[0] == dolly[0] == 1
    assert zoom[-1] == pytest.approx(2) and dolly[-1] == pytest.approx(2)
    assert max(abs(z - d) for z, d in zip(zoom, dolly, strict=True)) > 0.05
    assert camera_pose(CameraMove(zoom=-10), 1.0).scale == pytest.approx(0.5)
    assert camera_pose(CameraMove(dolly=-10), 1.0).scale == pytest.approx(0.5)


def test_burn_in_draws_the_label_in_the_top_left(tmp_path, hero, job_factory):
    plain, burnt = str(tmp_path / "plain.mp4"), str(tmp_path / "burnt.mp4")
    render_previz(job_factory(hero_path=hero), plain)
    render_previz(job_factory(hero_path=hero, burn_in=True), burnt)
    a, b = frames_of(plain)[0], frames_of(burnt)[0]
    assert diff(a[:40, :80], b[:40, :80]) > 10
    assert diff(a[150:250, 200:400], b[150:250, 200:400]) < 2  # the middle is left alone


def test_burn_in_shows_each_beat_from_its_time(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    beats = (Beat(0.5, "she turns"),)
    render_previz(job_factory(hero_path=hero, burn_in=True, beats=beats), out)
    frames = frames_of(out)
    corner = (slice(300, 360), slice(0, 200))
    before, after = frames[6][corner], frames[18][corner]
    assert diff(frames[0][corner], before) < 2
    assert diff(before, after) > 10


def test_should_stop_cancels_and_leaves_no_file(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    calls = []

    def should_stop():
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(RenderCanceled):
        render_previz(job_factory(hero_path=hero), out, should_stop=should_stop)
    assert os.listdir(tmp_path) == ["hero.png"]


def test_progress_is_reported_in_steps_up_to_100(tmp_path, job_factory):
    seen = []
    render_previz(job_factory(duration_seconds=2), str(tmp_path / "o.mp4"), on_progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 100
    assert 15 <= len(seen) <= 22


def test_title_card_stands_in_for_a_missing_hero(tmp_path, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=None, camera=CameraMove(zoom=5)), out)
    frames = frames_of(out)
    assert frames[0].std() > 10  # not a flat colour: a slate with text and a grid
    assert diff(frames[0], frames[-1]) > 3


def test_last_frame_is_dissolved_into(tmp_path, hero, job_factory):
    from PIL import Image

    last = str(tmp_path / "last.png")
    Image.new("RGB", (960, 540), (255, 255, 255)).save(last)
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero, last_frame_path=last), out)
    frames = frames_of(out)
    assert frames[-1].mean() > 245
    assert frames[0].mean() < 200


def test_from_request_takes_what_was_sent(tmp_path, hero):
    spec = make_spec(label="2B", duration_seconds=5, beats=(Beat(1, "x"),))
    request = GenerationRequest(
        take_id=7,
        model="previz",
        prompt="",
        params={
            "duration_seconds": 3,
            "aspect_ratio": "9:16",
            "resolution": "preview",
            "camera": {"pan": 4, "tilt": 0, "roll": 0, "zoom": 0, "truck": 0, "dolly": 12},
            "beats": [[0.5, "she turns"]],
        },
        spec=spec,
        images=(InputImage(path=hero, sha256="0", role="first_frame"),),
        options={"burn_in": True},
    )

    job = RenderJob.from_request(request)

    assert job.label == "2B"
    assert (job.duration_seconds, job.aspect_ratio, job.resolution) == (3, "9:16", "preview")
    assert job.camera == CameraMove(pan=4, dolly=10)
    assert job.beats == (Beat(0.5, "she turns"),)
    assert job.hero_path == hero and job.burn_in
    assert RenderJob.from_dict(job.to_dict()) == job


def test_from_request_uses_a_motion_preset_when_the_axes_are_still():
    request = GenerationRequest(
        take_id=1,
        model="previz",
        prompt="",
        params={"motion_preset": "dolly_in"},
        spec=make_spec(),
    )
    assert RenderJob.from_request(request).camera == CameraMove(dolly=4)
