"""Editor timelines, read back with OpenTimelineIO's own adapters: what an editor's tool sees."""

import re
from dataclasses import replace

import opentimelineio as otio
import pytest

from projects.deliver.cut import FRAME, TAKE, TITLE, Cut, Note, Segment
from projects.deliver.errors import DeliveryError
from projects.deliver.timeline import FORMATS, build_timeline, timeline_bytes

READERS = {"otio": "otio_json", "edl": "cmx_3600", "fcpxml": "fcp_xml"}


def segment(label, source, duration, shot_id, **fields):
    return Segment(
        shot_id=shot_id,
        label=label,
        scene_number=1,
        scene_title="Dawn",
        action=f"Action of {label}",
        dialogue="",
        duration=duration,
        source=source,
        **fields,
    )


def a_cut() -> Cut:
    """A take at 30 fps longer than its shot, with two notes; a hero frame; a title card; a
    second take. 4 s + 2.5 s + 1.5 s + 1.25 s = 96 + 60 + 36 + 30 frames at 24."""
    return Cut(
        project_id=7,
        project_name="Night Ferry",
        aspect_ratio="16:9",
        scene_number=1,
        scene_title="Dawn",
        segments=(
            segment(
                "1A",
                TAKE,
                4.0,
                11,
                media="takes/a.mp4",
                take_id=101,
                take_number=2,
                fps=30,
                source_duration=6.0,
                notes=(
                    Note(at=0.5, text="Too dark", author="ann"),
                    Note(at=2.0, text="Hold on the door\nlonger", author="ben"),
                ),
            ),
            segment("1B", FRAME, 2.5, 12, media="frames/b.png"),
            segment("1C", TITLE, 1.5, 13),
            segment(
                "1D",
                TAKE,
                1.25,
                14,
                media="takes/d.mp4",
                take_id=104,
                take_number=1,
                fps=30,
                source_duration=3.0,
            ),
        ),
    )


LABELS = ["1A", "1B", "1C", "1D"]
FRAMES = [96, 60, 36, 30]


def read_back(cut: Cut, fmt: str) -> otio.schema.Timeline:
    text = timeline_bytes(cut, fmt).decode("utf-8")
    extra = {"rate": cut.fps} if fmt == "edl" else {}
    return otio.adapters.read_from_string(text, READERS[fmt], **extra)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_reads_back_with_one_clip_per_shot_of_its_length(fmt):
    cut = a_cut()

    timeline = read_back(cut, fmt)

    clips = list(timeline.find_clips())
    assert [clip.name for clip in clips] == LABELS
    assert [clip.duration().to_frames() for clip in clips] == FRAMES
    assert timeline.duration() == otio.opentime.RationalTime(sum(FRAMES), 24)
    assert timeline.name == "Night Ferry — scene 1: Dawn"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_media_is_referenced_relative_to_the_export(fmt):
    timeline = read_back(a_cut(), fmt)

    urls = [getattr(clip.media_reference, "target_url", None) for clip in timeline.find_clips()]
    assert urls == [
        "media/1A_shot11_take2.mp4",
        "media/1B_shot12_hero.png",
        None,  # the title card has no media
        "media/1D_shot14_take1.mp4",
    ]


def test_the_title_card_is_a_placeholder_clip_not_a_gap():
    for fmt in FORMATS:
        track = read_back(a_cut(), fmt).video_tracks()[0]

        assert not [item for item in track if isinstance(item, otio.schema.Gap)], fmt
        title = list(track.find_clips())[2]
        assert not isinstance(title.media_reference, otio.schema.ExternalReference), fmt


def test_otio_markers_carry_the_notes_at_their_time_with_the_author():
    timeline = read_back(a_cut(), "otio")

    clips = list(timeline.find_clips())
    markers = clips[0].markers
    assert [marker.name for marker in markers] == ["Too dark", "Hold on the door\nlonger"]
    assert [marker.marked_range.start_time.to_frames() for marker in markers] == [12, 48]
    assert [marker.metadata["shot_studio"]["author"] for marker in markers] == ["ann", "ben"]
    assert all(not clip.markers for clip in clips[1:])


def test_fcp_xml_carries_the_markers():
    clips = list(read_back(a_cut(), "fcpxml").find_clips())

    assert [(m.name, m.marked_range.start_time.to_frames()) for m in clips[0].markers] == [
        ("Too dark", 12),
        ("Hold on the door\nlonger", 48),
    ]


def test_edl_keeps_each_note_on_one_line_and_labels_readable():
    cut = a_cut()
    text = timeline_bytes(cut, "edl").decode("utf-8")

    assert "FCM: NON-DROP FRAME" in text.splitlines()[:3]
    assert [line for line in text.splitlines() if "FROM CLIP NAME" in line] == [
        f"* FROM CLIP NAME:  {label}" for label in LABELS
    ]
    assert "HOLD ON THE DOOR LONGER" in text
    markers = read_back(cut, "edl").find_clips()[0].markers
    assert [m.marked_range.start_time.to_frames() for m in markers] == [12, 48]


def test_edl_reels_are_what_cmx_allows_and_tell_the_sources_apart():
    text = timeline_bytes(a_cut(), "edl").decode("utf-8")

    reels = [line.split()[1] for line in text.splitlines() if re.match(r"^\d{3} ", line)]
    assert reels == ["1AT2", "1BF", "1CTC", "1DT1"]


def test_reels_stay_unique_and_short_for_long_or_repeated_labels():
    base = a_cut()
    take = base.segments[0]
    cut = Cut(
        project_id=7,
        project_name="Night Ferry",
        aspect_ratio="16:9",
        segments=(
            segment("Scene 12 alt", TAKE, 1, 1, take_number=3, notes=()),
            segment("3A", FRAME, 1, 2),
            segment("3A", FRAME, 1, 3),
            segment("…", TITLE, 1, 4),
            take,
        ),
    )
    text = timeline_bytes(cut, "edl").decode("utf-8")

    reels = [line.split()[1] for line in text.splitlines() if re.match(r"^\d{3} ", line)]
    assert reels == ["SH0001", "3AF", "SH0003", "SH0004", "1AT2"]
    assert all(re.fullmatch(r"[A-Z0-9]{1,8}", reel) for reel in reels)


def test_the_timeline_keeps_the_take_source_and_the_shot_in_metadata():
    timeline = build_timeline(a_cut())

    first, frame, title, _ = timeline.find_clips()
    assert timeline.video_tracks()[0].name == "V1"
    assert first.source_range.start_time.to_frames() == 0
    assert first.media_reference.available_range.duration == otio.opentime.RationalTime(180, 30)
    assert frame.media_reference.available_range.duration.to_frames() == 60
    assert dict(first.metadata["shot_studio"]) == {
        "shot_id": 11,
        "take_id": 101,
        "take_number": 2,
        "source": TAKE,
        "scene_number": 1,
        "action": "Action of 1A",
    }
    assert title.metadata["shot_studio"]["source"] == TITLE


def test_media_dir_names_the_folder_of_the_references():
    timeline = build_timeline(a_cut(), media_dir="clips")

    assert timeline.find_clips()[0].media_reference.target_url == "clips/1A_shot11_take2.mp4"


def test_a_note_past_the_end_of_the_shot_lands_on_its_last_frame():
    cut = a_cut()
    late = Note(at=5.5, text="After the cut point", author="ann")
    first = cut.segments[0]
    cut = Cut(
        project_id=7,
        project_name="Night Ferry",
        aspect_ratio="16:9",
        segments=(replace(first, notes=(late,)),),
    )

    marker = build_timeline(cut).find_clips()[0].markers[0]

    assert marker.marked_range.start_time.to_frames() == 95


def test_an_empty_cut_has_nothing_to_export():
    cut = Cut(project_id=7, project_name="Night Ferry", aspect_ratio="16:9")

    for fmt in FORMATS:
        with pytest.raises(DeliveryError, match="There are no shots to export"):
            timeline_bytes(cut, fmt)


def test_an_unknown_format_is_refused_with_the_choices():
    with pytest.raises(DeliveryError, match="otio, edl, fcpxml"):
        timeline_bytes(a_cut(), "aaf")
