"""The animatic MP4, rendered from small real inputs and read back with ffprobe and PyAV."""

from __future__ import annotations

import json
import subprocess
import threading
from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from projects.deliver.animatic import animatic_size, render_animatic
from projects.deliver.cut import FRAME, TAKE, TITLE, Cut, Segment
from projects.deliver.errors import DeliveryError

# Take A: 30 fps 640x360 with a tone, 2 s, on a 1.5 s shot (trimmed). Take B: 25 fps 320x240,
# silent, 0.6 s, on a 1 s shot (its last frame held). A portrait still, then a title card.
DURATIONS = {"1A": 1.5, "1B": 1.0, "1C": 1.0, "1D": 0.98}
SECONDS = sum(DURATIONS.values())
FPS = 24
# Each take frame is a flat grey whose level says which source frame it is.
A_LEVEL, A_STEP, B_LEVEL, B_STEP = 20, 3, 40, 10


def make_take(path, *, fps: int, size: tuple[int, int], seconds: float, level, tone: bool):
    frames = round(seconds * fps)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = *size, "yuv420p"
        audio = container.add_stream("aac", rate=44100, layout="mono") if tone else None
        width, height = size
        for index in range(frames):
            picture = np.full((height * 3 // 2, width), 128, dtype=np.uint8)
            picture.reshape(-1)[: width * height] = level(index)
            frame = av.VideoFrame.from_ndarray(picture, format="yuv420p")
            frame.pts = index
            container.mux(video.encode(frame))
        container.mux(video.encode(None))
        if audio is not None:
            t = np.arange(round(seconds * 44100)) / 44100
            wave = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            for start in range(0, len(wave), 1024):
                chunk = wave[start : start + 1024][None, :]
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
                frame.sample_rate, frame.pts = 44100, start
                frame.time_base = Fraction(1, 44100)
                container.mux(audio.encode(frame))
            container.mux(audio.encode(None))


def segment(label: str, source: str, path: str = "", **extra) -> Segment:
    return Segment(
        shot_id=len(label),
        label=label,
        scene_number=1,
        scene_title="The roof",
        action=extra.pop("action", ""),
        dialogue="",
        duration=DURATIONS.get(label, 0.5),
        source=source,
        path=str(path),
        **extra,
    )


def cut_of(*segments: Segment, aspect_ratio: str = "16:9") -> Cut:
    return Cut(project_id=1, project_name="Night Run", aspect_ratio=aspect_ratio, segments=segments)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("animatic-inputs")
    take_a, take_b, still = folder / "a.mp4", folder / "b.mp4", folder / "still.png"
    make_take(
        take_a,
        fps=30,
        size=(640, 360),
        seconds=2.0,
        level=lambda i: A_LEVEL + A_STEP * i,
        tone=True,
    )
    make_take(
        take_b,
        fps=25,
        size=(320, 240),
        seconds=0.6,
        level=lambda i: B_LEVEL + B_STEP * i,
        tone=False,
    )
    y, x = np.mgrid[0:600, 0:400]
    rgb = np.stack([x * 255 // 399, y * 255 // 599, ((x // 40 + y // 40) % 2) * 200 + 40], -1)
    Image.fromarray(rgb.astype(np.uint8)).save(still)
    return cut_of(
        segment("1A", TAKE, take_a, take_number=1, fps=30),
        segment("1B", TAKE, take_b, take_number=2, fps=25),
        segment("1C", FRAME, still),
        segment("1D", TITLE, action="Mara vaults the parapet and runs along the gutter, rain."),
    )


@pytest.fixture(scope="module")
def renders(inputs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("animatic-out")
    out = {}
    for burn_in in (True, False):
        path = folder / f"burn_{burn_in}.mp4"
        progress: list[int] = []
        result = render_animatic(inputs, str(path), burn_in=burn_in, on_progress=progress.append)
        out[burn_in] = (path, result, progress)
    return out


def ffprobe(path) -> dict:
    command = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def luma_frames(path) -> list[np.ndarray]:
    """The Y plane of every frame, as encoded (limited range: black is 16)."""
    with av.open(str(path)) as container:
        return [
            frame.to_ndarray()[: frame.height].astype(np.float32)
            for frame in container.decode(video=0)
        ]


def sound(path) -> np.ndarray:
    with av.open(str(path)) as container:
        parts = [frame.to_ndarray() for frame in container.decode(audio=0)]
    return np.concatenate(parts, axis=1)


def frame_range(label: str) -> tuple[int, int]:
    """First and last cut frame of a segment."""
    start = 0.0
    for name, seconds in DURATIONS.items():
        if name == label:
            return round(start * FPS), round((start + seconds) * FPS) - 1
        start += seconds
    raise KeyError(label)


def test_one_mp4_at_one_size_and_rate_with_sound_and_the_cuts_length(renders):
    path, result, _ = renders[True]
    info = ffprobe(path)
    videos = [s for s in info["streams"] if s["codec_type"] == "video"]
    audios = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert len(videos) == 1 and len(audios) == 1
    video, audio = videos[0], audios[0]
    assert (video["codec_name"], video["width"], video["height"]) == ("h264", 1280, 720)
    assert video["r_frame_rate"] == video["avg_frame_rate"] == "24/1"
    assert (audio["codec_name"], audio["sample_rate"], audio["channels"]) == ("aac", "48000", 2)
    assert abs(float(info["format"]["duration"]) - SECONDS) <= 1 / FPS
    assert int(video["nb_frames"]) == result.frames == round(SECONDS * FPS)
    assert (result.width, result.height, result.fps, result.has_audio) == (1280, 720, 24, True)


def test_the_index_is_at_the_front_so_it_streams(renders):
    data = renders[True][0].read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")


def test_progress_rises_from_0_to_100(renders):
    progress = renders[True][2]
    assert progress[0] == 0 and progress[-1] == 100
    assert progress == sorted(set(progress))


def test_burn_in_draws_in_the_corner_and_off_draws_nothing(renders):
    with_burn, without = luma_frames(renders[True][0]), luma_frames(renders[False][0])
    for index in (5, frame_range("1C")[0] + 3, frame_range("1D")[1]):
        corner = np.abs(with_burn[index][:60, :400] - without[index][:60, :400])
        rest = np.abs(with_burn[index][200:, 400:] - without[index][200:, 400:])
        assert (corner > 60).mean() > 0.02, index  # white text
        assert rest.mean() < 1, index


def test_burnt_in_timecode_runs(renders):
    frames = luma_frames(renders[True][0])
    # Same title card underneath, different timecode on top.
    first, last = frame_range("1D")
    assert np.abs(frames[first][:60, :400] - frames[last][:60, :400]).mean() > 1


def test_takes_are_conformed_trimmed_and_held(renders):
    frames = luma_frames(renders[False][0])
    # Take A fills the 16:9 frame; at 30 fps its frame k is due at cut frame round(k * 0.8).
    first, last = frame_range("1A")
    assert abs(frames[first][360, 640] - A_LEVEL) < 4
    assert abs(frames[12][360, 640] - (A_LEVEL + A_STEP * 15)) < 4  # 15 * 0.8 = 12
    # Trimmed: the shot ends at 1.5 s, the take's frame 44 (35.2 -> 35), not its last (59).
    assert abs(frames[last][360, 640] - (A_LEVEL + A_STEP * 44)) < 4
    # Take B is 4:3: pillarboxed, never stretched; its last frame (14) held to the shot's end.
    first, last = frame_range("1B")
    assert frames[first][360, 40] < 20 and abs(frames[first][360, 640] - B_LEVEL) < 4
    assert abs(frames[last][360, 640] - (B_LEVEL + B_STEP * 14)) < 4
    assert abs(frames[last - 8][360, 640] - (B_LEVEL + B_STEP * 14)) < 4


def test_hero_frame_pushes_in(renders):
    frames = luma_frames(renders[False][0])
    first, last = frame_range("1C")

    def picture_width(frame: np.ndarray) -> int:
        return int((frame[360] > 30).sum())

    # A 400x600 still in a 1280x720 frame: 480 px wide, 8% wider by the end.
    assert abs(picture_width(frames[first]) - 480) <= 4
    assert abs(picture_width(frames[last]) - 480 * 1.08) <= 6
    widths = [picture_width(frames[i]) for i in range(first, last + 1)]
    assert widths == sorted(widths)


def test_sound_from_the_take_and_silence_elsewhere(renders):
    samples = sound(renders[True][0])
    assert samples.shape[0] == 2

    def rms(start: float, end: float) -> float:
        return float(np.sqrt(np.mean(samples[:, int(start * 48000) : int(end * 48000)] ** 2)))

    assert rms(0.1, 1.4) > 0.2  # the 0.5 tone, on both channels
    assert rms(1.6, 2.4) < 1e-3  # take B has none
    assert rms(3.6, SECONDS - 0.1) < 1e-3  # the title card


def test_portrait_1080p_is_1080_by_1920(tmp_path):
    assert animatic_size("9:16", "1080p") == (1080, 1920)
    assert animatic_size("16:9", "720p") == (1280, 720)
    path = tmp_path / "portrait.mp4"
    cut = cut_of(segment("9A", TITLE, action="Rooftop."), aspect_ratio="9:16")
    result = render_animatic(cut, str(path), resolution="1080p", burn_in=False)
    video = next(s for s in ffprobe(path)["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (1080, 1920) == (result.width, result.height)
    assert result.has_audio is False  # a title card has no sound (the file still has a track)


def test_an_unreadable_take_names_its_shot(tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"<html>not a video</html>")
    cut = cut_of(segment("4C", TAKE, broken, take_number=3))
    out = tmp_path / "out.mp4"
    with pytest.raises(DeliveryError, match=r"Shot 4C: its take could not be read as a video\."):
        render_animatic(cut, str(out))
    assert list(tmp_path.iterdir()) == [broken]  # no half-written file left
    assert "animatic-ahead" not in {thread.name for thread in threading.enumerate()}


def test_an_unreadable_hero_frame_names_its_shot(tmp_path):
    broken = tmp_path / "hero.png"
    broken.write_bytes(b"not a picture")
    cut = cut_of(segment("2B", FRAME, broken))
    with pytest.raises(DeliveryError, match="Shot 2B: its hero frame could not be read"):
        render_animatic(cut, str(tmp_path / "out.mp4"))


def test_an_empty_cut_has_nothing_to_play(tmp_path):
    with pytest.raises(DeliveryError, match=r"^There are no shots to play\.$"):
        render_animatic(cut_of(), str(tmp_path / "out.mp4"))


def test_an_unknown_resolution_is_refused(tmp_path):
    cut = cut_of(segment("1A", TITLE))
    with pytest.raises(DeliveryError, match="720p or 1080p, not '4k'"):
        render_animatic(cut, str(tmp_path / "out.mp4"), resolution="4k")
