"""The renderer films the still in yuv420p planes (providers/previz/yuv.py) for speed: these tests
pin that the planes show the same picture the RGB framing does, converted as libswscale would,
and that the encoder runs as the ffmpeg command line's does, so the bench compares like with
like."""

import re
import subprocess

import av
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from providers.core.spec import CameraMove
from providers.previz.render import (
    X264_CRF,
    X264_PRESET,
    _Framer,
    _times,
    camera_pose,
    load_still,
    render_previz,
)
from providers.previz.yuv import Planes, plate_planes, video_frame, yuv_planes


def swscale_planes(image: Image.Image) -> list[np.ndarray]:
    """What PyAV (libswscale) made of an RGB frame before the renderer worked in planes."""
    frame = av.VideoFrame.from_image(image).reformat(format="yuv420p")
    return [
        np.frombuffer(bytes(p), np.uint8).reshape(p.height, p.line_size)[:, : p.width].astype(int)
        for p in frame.planes
    ]


def arrays(planes: Planes) -> list[np.ndarray]:
    return [np.asarray(p).astype(int) for p in (planes.y, planes.u, planes.v)]


@pytest.mark.parametrize(
    "colour",
    [
        (255, 255, 255),
        (0, 0, 0),
        (255, 0, 0),
        (0, 255, 0),
        (0, 0, 255),
        (128, 128, 128),
        (37, 190, 88),
    ],
)
def test_colours_convert_as_libswscale_converts_them(colour):
    image = Image.new("RGB", (8, 8), colour)
    for ours, theirs in zip(arrays(yuv_planes(image)), swscale_planes(image), strict=True):
        assert ours.shape == theirs.shape
        assert np.abs(ours - theirs).max() <= 1, colour


def test_an_odd_sized_still_keeps_its_last_chroma_column_and_row():
    planes = yuv_planes(Image.new("RGB", (7, 5), (255, 0, 0)))
    assert planes.y.size == (7, 5)
    assert planes.u.size == planes.v.size == (4, 3)


@pytest.mark.parametrize(
    "move",
    [CameraMove(pan=4, dolly=5), CameraMove(roll=-7, zoom=3), CameraMove(zoom=-8, tilt=3)],
    ids=["dolly-pan", "roll-zoom", "zoom-out-tilt"],
)
def test_filming_in_planes_draws_the_frame_the_rgb_framing_draws(hero, move):
    poses = [camera_pose(move, t) for t in _times(24)]
    framer = _Framer(load_still(hero), (640, 360), poses)
    for pose in (poses[0], poses[12], poses[-1]):
        reference = swscale_planes(framer.frame(pose))
        luma, *chroma = arrays(framer.planes(pose))
        # Rounding only: the RGB path rounds each channel, then the conversion rounds again.
        assert np.abs(luma - reference[0]).max() <= 2
        assert np.abs(luma - reference[0]).mean() < 0.2
        for ours, theirs in zip(chroma, reference[1:], strict=True):
            # Chroma is averaged over 2x2 blocks where libswscale filters its own way: sharp
            # colour edges differ by a few levels, the picture as a whole by about one.
            assert np.abs(ours - theirs).mean() < 2


def test_a_frame_leaves_the_row_padding_out_of_the_picture():
    # 840 wide: the chroma rows (420 samples) are padded in PyAV's buffers.
    rng = np.random.default_rng(1)
    planes = Planes(
        *(
            Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8))
            for w, h in ((840, 360), (420, 180), (420, 180))
        )
    )
    frame = video_frame(planes)
    assert frame.planes[1].line_size > frame.planes[1].width
    packed = frame.to_ndarray(format="yuv420p").reshape(-1)
    expected = np.concatenate([np.asarray(p).reshape(-1) for p in (planes.y, planes.u, planes.v)])
    assert np.array_equal(packed, expected)


def test_an_odd_frame_size_is_refused():
    planes = yuv_planes(Image.new("RGB", (9, 6)))
    with pytest.raises(ValueError, match="even"):
        video_frame(planes)


def test_a_plate_edge_blends_chroma_by_how_much_of_it_is_covered():
    plate = Image.new("RGBA", (2, 2), (0, 0, 0, 0))
    plate.putpixel((0, 0), (255, 0, 0, 255))  # one opaque red pixel of four
    colour, mask, chroma_mask = plate_planes(plate)
    assert np.asarray(mask).tolist() == [[255, 0], [0, 0]]
    assert chroma_mask.getpixel((0, 0)) == 64  # a quarter covered
    red = arrays(yuv_planes(Image.new("RGB", (2, 2), (255, 0, 0))))
    assert colour.u.getpixel((0, 0)) == red[1][0, 0]  # the red, not red mixed with black
    assert colour.v.getpixel((0, 0)) == red[2][0, 0]


def test_burn_in_runs_a_timecode_in_the_top_right(tmp_path, hero, job_factory):
    out = str(tmp_path / "out.mp4")
    render_previz(job_factory(hero_path=hero, burn_in=True), out)
    with av.open(out) as container:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]
    corner = (slice(10, 30), slice(560, 630))
    assert np.abs(frames[0][corner] - frames[12][corner]).mean() > 5  # the frame count moves
    assert frames[0][corner].mean() < 120  # white figures on a black box
    assert np.abs(frames[0][150:250, 200:400] - frames[12][150:250, 200:400]).mean() < 2


# What sets x264's speed: its threading and the preset's choices (and the quality target).
SPEED_SETTINGS = [
    "threads",
    "lookahead_threads",
    "sliced_threads",
    "slices",
    "ref",
    "me",
    "subme",
    "analyse",
    "trellis",
    "8x8dct",
    "mixed_ref",
    "bframes",
    "b_adapt",
    "rc_lookahead",
    "weightp",
    "crf",
]


def x264_settings(path: str) -> dict[str, str]:
    """The settings x264 writes into the stream it encodes, that set its speed."""
    with open(path, "rb") as handle:
        found = re.search(rb"x264 - core \d+ .*? options: ([^\x00]+)", handle.read())
    assert found, f"no x264 settings in {path}"
    pairs = dict(item.split("=", 1) for item in found.group(1).decode().split() if "=" in item)
    return {name: pairs.get(name, "-") for name in SPEED_SETTINGS}


def test_the_encoder_runs_as_the_ffmpeg_command_line_runs_it(tmp_path, hero, job_factory):
    ours = str(tmp_path / "previz.mp4")
    render_previz(job_factory(hero_path=hero, camera=CameraMove(zoom=5)), ours)
    theirs = str(tmp_path / "ffmpeg.mp4")
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=640x360:rate=24:duration=1",
            "-c:v",
            "libx264",
            "-preset",
            X264_PRESET,
            "-crf",
            str(X264_CRF),
            "-pix_fmt",
            "yuv420p",
            theirs,
        ],
        check=True,
        timeout=60,
    )
    assert x264_settings(ours)["sliced_threads"] == "0"
    assert x264_settings(ours) == x264_settings(theirs)
