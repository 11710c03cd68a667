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


def test_extract_poster_rejects_a_non_video(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(InvalidVideo):
        extract_poster(str(path), str(tmp_path / "p.jpg"), str(tmp_path / "t.jpg"))
