"""The editor package: unzipped as an editor would, every timeline finds its media."""

import zipfile
from dataclasses import replace

import opentimelineio as otio
import pytest

from projects.deliver.cut import TITLE, Cut
from projects.deliver.errors import DeliveryError
from projects.deliver.package import write_package

from .test_timeline import FRAMES, LABELS, a_cut

TEXT = ["README.txt", "timeline.otio", "timeline.edl", "timeline.xml"]
MEDIA = ["media/1A_shot11_take2.mp4", "media/1B_shot12_hero.png", "media/1D_shot14_take1.mp4"]


@pytest.fixture
def cut(tmp_path) -> Cut:
    """The test cut with a small fake file behind every take and hero frame."""
    local = tmp_path / "local"
    local.mkdir()
    segments = []
    for segment in a_cut().segments:
        if segment.source != TITLE:
            path = local / f"{segment.shot_id}.bin"
            path.write_bytes(f"bytes of {segment.label} ".encode() * 100)
            segment = replace(segment, path=str(path))
        segments.append(segment)
    return replace(a_cut(), segments=tuple(segments))


def unpack(zip_path, into):
    with zipfile.ZipFile(zip_path) as package:
        package.extractall(into)
    return into


def test_the_package_holds_the_timelines_the_media_and_a_readme(cut, tmp_path):
    out = tmp_path / "package.zip"

    names = write_package(cut, str(out))

    assert sorted(names) == sorted(TEXT + MEDIA)
    with zipfile.ZipFile(out) as package:
        assert package.namelist() == names
        kinds = {info.filename: info.compress_type for info in package.infolist()}
        assert package.read("media/1B_shot12_hero.png") == b"bytes of 1B " * 100
    assert {kinds[name] for name in TEXT} == {zipfile.ZIP_DEFLATED}
    assert {kinds[name] for name in MEDIA} == {zipfile.ZIP_STORED}


def test_every_media_target_in_the_timeline_resolves_inside_the_folder(cut, tmp_path):
    out = tmp_path / "package.zip"
    write_package(cut, str(out))
    folder = unpack(out, tmp_path / "unpacked")

    timeline = otio.adapters.read_from_file(str(folder / "timeline.otio"))

    targets = [
        clip.media_reference.target_url
        for clip in timeline.find_clips()
        if isinstance(clip.media_reference, otio.schema.ExternalReference)
    ]
    assert len(targets) == 3
    for target in targets:
        assert not target.startswith(("/", "file:"))
        assert (folder / target).is_file(), target


@pytest.mark.parametrize(
    ("name", "options"),
    [("timeline.otio", {}), ("timeline.edl", {"rate": 24}), ("timeline.xml", {})],
)
def test_each_timeline_in_the_package_opens_with_every_shot(cut, tmp_path, name, options):
    out = tmp_path / "package.zip"
    write_package(cut, str(out))
    folder = unpack(out, tmp_path / "unpacked")

    timeline = otio.adapters.read_from_file(str(folder / name), **options)

    clips = list(timeline.find_clips())
    assert [clip.name for clip in clips] == LABELS
    assert [clip.duration().to_frames() for clip in clips] == FRAMES


def test_the_readme_says_what_opens_what_and_where_each_shot_came_from(cut, tmp_path):
    out = tmp_path / "package.zip"
    write_package(cut, str(out))

    with zipfile.ZipFile(out) as package:
        readme = package.read("README.txt").decode("utf-8")

    for words in ["Resolve", "Premiere", "Avid", "Final Cut", "relative", "24 fps"]:
        assert words in readme
    assert "4 shots, 00:00:09:06 (9.2 s)" in readme
    lines = {line.split()[1]: line for line in readme.splitlines() if line[:6].strip().isdigit()}
    assert list(lines) == LABELS
    assert "take 2, 30 fps source: media/1A_shot11_take2.mp4" in lines["1A"]
    assert "hero frame" in lines["1B"]
    assert "title card" in lines["1C"]
    assert "take 1" in lines["1D"]


def test_the_animatic_goes_in_when_given(cut, tmp_path):
    animatic = tmp_path / "render.mp4"
    animatic.write_bytes(b"an animatic")
    out = tmp_path / "package.zip"

    names = write_package(cut, str(out), animatic_path=str(animatic))

    assert "animatic.mp4" in names
    with zipfile.ZipFile(out) as package:
        assert package.read("animatic.mp4") == b"an animatic"
        assert "animatic.mp4" in package.read("README.txt").decode()


def test_a_missing_take_names_the_shot_and_leaves_no_zip(cut, tmp_path):
    broken = replace(cut.segments[3], path=str(tmp_path / "gone.mp4"))
    cut = replace(cut, segments=(*cut.segments[:3], broken))
    out = tmp_path / "package.zip"

    with pytest.raises(DeliveryError, match="shot 1D"):
        write_package(cut, str(out))

    assert not out.exists()


def test_a_hero_frame_never_copied_locally_names_the_shot(cut, tmp_path):
    unfilled = replace(cut.segments[1], path="")
    cut = replace(cut, segments=(cut.segments[0], unfilled, *cut.segments[2:]))

    with pytest.raises(DeliveryError, match="hero frame of shot 1B"):
        write_package(cut, str(tmp_path / "package.zip"))


def test_an_empty_cut_makes_no_package(tmp_path):
    out = tmp_path / "package.zip"

    with pytest.raises(DeliveryError, match="There are no shots to export"):
        write_package(replace(a_cut(), segments=()), str(out))

    assert not out.exists()
