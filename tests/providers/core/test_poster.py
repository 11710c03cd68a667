"""A take's poster: the frame at the asked moment, decoded with frame threads, written as the
same files a plain one-thread decode of that frame makes."""

import av
import pytest
from PIL import Image

from providers.core import media
from providers.core.spec import CameraMove
from providers.previz.render import RenderJob, render_previz


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """A clip with one keyframe, as a provider's short result often has: the middle frame is
    reached only by decoding from the start."""
    path = str(tmp_path_factory.mktemp("poster") / "clip.mp4")
    job = RenderJob(
        label="P",
        subject="A keeper",
        duration_seconds=3,
        aspect_ratio="16:9",
        resolution="preview",
        camera=CameraMove(zoom=5, pan=3),
    )
    render_previz(job, path)
    return path


def frame_by_one_thread(path: str, index: int) -> Image.Image:
    with av.open(path) as container:
        for number, frame in enumerate(container.decode(video=0)):
            if number == index:
                return frame.to_image().convert("RGB")
    raise AssertionError(f"no frame {index}")


@pytest.mark.parametrize(("at_fraction", "index"), [(0.0, 0), (0.5, 36)])
def test_the_poster_is_the_frame_at_that_moment(clip, tmp_path, at_fraction, index):
    poster, thumb = tmp_path / "poster.jpg", tmp_path / "thumb.jpg"
    size = media.extract_poster(clip, str(poster), str(thumb), at_fraction=at_fraction)
    expected = tmp_path / "expected.jpg"
    frame_by_one_thread(clip, index).save(expected, "JPEG", quality=88, optimize=True)
    assert poster.read_bytes() == expected.read_bytes()
    with Image.open(poster) as full, Image.open(thumb) as small:
        assert size == full.size and small.width == 480


def test_the_middle_frame_is_not_the_first(clip, tmp_path):
    first, middle = tmp_path / "first.jpg", tmp_path / "middle.jpg"
    media.extract_poster(clip, str(first), str(tmp_path / "t1.jpg"), at_fraction=0.0)
    media.extract_poster(clip, str(middle), str(tmp_path / "t2.jpg"), at_fraction=0.5)
    assert first.read_bytes() != middle.read_bytes()
    with Image.open(middle) as image:
        assert len(image.getcolors(1 << 24)) > 50  # a picture, not a blank frame


def test_not_a_video_is_refused_with_its_name(tmp_path):
    page = tmp_path / "take.mp4"
    page.write_text("<html>Access denied</html>")
    with pytest.raises(media.InvalidVideo) as caught:
        media.extract_poster(str(page), str(tmp_path / "p.jpg"), str(tmp_path / "t.jpg"))
    assert "take.mp4" in caught.value.message
