import av
import pytest
from PIL import Image

from providers.core.media import InvalidVideo, extract_poster, probe
from providers.core.spec import CameraMove
from providers.previz.render import RenderJob, render_previz


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("media") / "clip.mp4")
    job = RenderJob(
        label="M",
        subject="",
        duration_seconds=1.5,
        aspect_ratio="4:3",
        resolution="preview",
        camera=CameraMove(zoom=5),
    )
    render_previz(job, path)
    return path


def test_probe_reads_the_real_stream(video):
    info = probe(video)
    assert (info.codec, info.width, info.height, info.fps, info.frames) == (
        "h264",
        480,
        360,
        24,
        36,
    )
    assert info.duration_seconds == pytest.approx(1.5, abs=1 / 24)


def test_probe_rejects_a_text_file_with_a_clear_message(tmp_path):
    path = tmp_path / "take.mp4"
    path.write_text("<html>Access denied</html>")
    with pytest.raises(InvalidVideo) as caught:
        probe(str(path))
    assert caught.value.message == (
        "take.mp4 is not a readable video file (Invalid data found when processing input)."
    )


def test_probe_rejects_an_image(tmp_path):
    path = tmp_path / "still.png"
    Image.new("RGB", (8, 8)).save(path)
    with pytest.raises(InvalidVideo, match=r"still\.png"):
        probe(str(path))


def test_extract_poster_writes_both_jpegs(video, tmp_path):
    poster, thumb = tmp_path / "poster.jpg", tmp_path / "thumb.jpg"

    assert extract_poster(video, str(poster), str(thumb), thumb_width=240) == (480, 360)

    with Image.open(poster) as image:
        assert (image.format, image.size) == ("JPEG", (480, 360))
    with Image.open(thumb) as image:
        assert (image.format, image.size) == ("JPEG", (240, 180))


def frame_by_one_thread(path: str, index: int) -> Image.Image:
    with av.open(path) as container:
        for number, frame in enumerate(container.decode(video=0)):
            if number == index:
                return frame.to_image().convert("RGB")
    raise AssertionError(f"no frame {index}")


# The poster decodes with frame threads (a clip with one keyframe is decoded from its start to
# reach the middle): it must still be exactly the frame a plain one-thread decode finds there.
@pytest.mark.parametrize(("at_fraction", "index"), [(0.0, 0), (0.5, 18)])
def test_the_poster_is_the_frame_at_that_moment(video, tmp_path, at_fraction, index):
    poster, expected = tmp_path / "poster.jpg", tmp_path / "expected.jpg"
    extract_poster(video, str(poster), str(tmp_path / "thumb.jpg"), at_fraction=at_fraction)
    frame_by_one_thread(video, index).save(expected, "JPEG", quality=88, optimize=True)
    assert poster.read_bytes() == expected.read_bytes()


def test_the_middle_frame_is_not_the_first(video, tmp_path):
    first, middle = tmp_path / "first.jpg", tmp_path / "middle.jpg"
    extract_poster(video, str(first), str(tmp_path / "t1.jpg"), at_fraction=0.0)
    extract_poster(video, str(middle), str(tmp_path / "t2.jpg"), at_fraction=0.5)
    assert first.read_bytes() != middle.read_bytes()


def test_extract_poster_rejects_a_non_video(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(InvalidVideo):
        extract_poster(str(path), str(tmp_path / "p.jpg"), str(tmp_path / "t.jpg"))
