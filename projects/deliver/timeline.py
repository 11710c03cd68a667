"""Editor timelines of the cut: OpenTimelineIO, CMX 3600 EDL and Final Cut Pro 7 XML.

One OTIO timeline is built from the cut and the EDL and the XML are written from it by
OpenTimelineIO's adapter plugins, so the three files always agree on clips, names and lengths.
One video track, one clip per shot, named by the shot label; takes and hero frames point at
`media/<file>` relative to the export, a title card has no media (a placeholder clip of the right
length); frame notes on the circled take become markers on its clip.
"""

from __future__ import annotations

import re

import opentimelineio as otio
from opentimelineio.opentime import RationalTime, TimeRange

from .cut import FRAME, TAKE, TITLE, Cut, Segment
from .errors import DeliveryError

FORMATS = {"otio": ".otio", "edl": ".edl", "fcpxml": ".xml"}

# The adapters' plugin names, per format.
_ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600", "fcpxml": "fcp_xml"}

# CMX 3600 reel names: at most 8 characters, letters and digits (what Avid and Resolve accept).
_REEL_LENGTH = 8


def build_timeline(cut: Cut, *, media_dir: str = "media") -> otio.schema.Timeline:
    """The cut as an OTIO timeline at the cut's frame rate, starting at 00:00:00:00."""
    if not cut.segments:
        raise DeliveryError("There are no shots to export.")
    rate = cut.fps
    timeline = otio.schema.Timeline(name=cut.title, global_start_time=RationalTime(0, rate))
    timeline.metadata["shot_studio"] = {
        "project_id": cut.project_id,
        "project_name": cut.project_name,
        "scene_number": cut.scene_number,
        "aspect_ratio": cut.aspect_ratio,
    }
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for segment, reel in zip(cut.segments, _reel_names(cut.segments), strict=True):
        track.append(_clip(cut, segment, reel=reel, media_dir=media_dir))
    timeline.tracks.append(track)
    return timeline


def timeline_bytes(cut: Cut, fmt: str, *, media_dir: str = "media") -> bytes:
    """The timeline written in one of FORMATS, as UTF-8 bytes."""
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise DeliveryError(f"Unknown timeline format “{fmt}”: choose one of {choices}.")
    timeline = build_timeline(cut, media_dir=media_dir)
    if fmt == "edl":
        return _edl_text(timeline).encode("utf-8")
    return otio.adapters.write_to_string(timeline, _ADAPTERS[fmt]).encode("utf-8")


def _clip(cut: Cut, segment: Segment, *, reel: str, media_dir: str) -> otio.schema.Clip:
    frames = cut.frames(segment.duration)
    if frames < 1:
        raise DeliveryError(f"Shot {segment.label} is shorter than one frame: give it a duration.")
    length = RationalTime(frames, cut.fps)
    clip = otio.schema.Clip(
        name=segment.label,
        media_reference=_media_reference(segment, length=length, media_dir=media_dir),
        source_range=TimeRange(RationalTime(0, cut.fps), length),
    )
    clip.metadata["shot_studio"] = {
        "shot_id": segment.shot_id,
        "take_id": segment.take_id,
        "take_number": segment.take_number,
        "source": segment.source,
        "scene_number": segment.scene_number,
        "action": segment.action,
    }
    # Set explicitly so the EDL writer neither truncates a file name into a reel nor adds a
    # comment saying it did.
    clip.metadata["cmx_3600"] = {"reel": reel}
    for note in segment.notes:
        clip.markers.append(_marker(cut, note.at, note.text, note.author, frames=frames))
    return clip


def _media_reference(
    segment: Segment, *, length: RationalTime, media_dir: str
) -> otio.core.MediaReference:
    # Every reference carries an available range: the FCP XML writer needs one to write a file.
    clip_range = TimeRange(RationalTime(0, length.rate), length)
    if segment.source == TITLE:
        # A GeneratorReference would suit a title card, but the FCP XML writer fails on one
        # without Premiere metadata; a MissingReference is written and read back by both
        # adapters as a placeholder clip of the right length (a gap would lose the clip).
        return otio.schema.MissingReference(
            name=f"{segment.label} title card", available_range=clip_range
        )
    available = clip_range
    if segment.source == TAKE and segment.source_duration:
        rate = segment.fps or length.rate
        available = TimeRange(
            RationalTime(0, rate), RationalTime(round(segment.source_duration * rate), rate)
        )
    return otio.schema.ExternalReference(
        target_url=f"{media_dir}/{segment.media_name}", available_range=available
    )


def _marker(cut: Cut, at: float, text: str, author: str, *, frames: int) -> otio.schema.Marker:
    # A note can sit past the shot's end (a take longer than the shot): pin it to the last frame.
    frame = min(max(cut.frames(at), 0), frames - 1)
    return otio.schema.Marker(
        name=text,
        marked_range=TimeRange(RationalTime(frame, cut.fps), RationalTime(0, cut.fps)),
        metadata={"shot_studio": {"author": author, "at": at}},
    )


def _reel_names(segments: tuple[Segment, ...]) -> list[str]:
    """A CMX 3600 reel per clip, unique in the cut: the label plus the source ("3AT2" for take
    2, "3AF" a hero frame, "3ATC" a title card), or "SH0007" when that will not fit in 8."""
    suffixes = {TAKE: "T", FRAME: "F", TITLE: "TC"}
    reels: list[str] = []
    for index, segment in enumerate(segments, start=1):
        suffix = suffixes.get(segment.source, "")
        if segment.source == TAKE and segment.take_number is not None:
            suffix += str(segment.take_number)
        reel = re.sub(r"[^A-Z0-9]", "", segment.label.upper()) + suffix
        if len(reel) > _REEL_LENGTH or reel == suffix or reel in reels:
            reel = f"SH{index:04d}"
        reels.append(reel)
    return reels


def _edl_text(timeline: otio.schema.Timeline) -> str:
    # EDL lines are single lines: a note or label with a line break would break the event list.
    timeline.name = _one_line(timeline.name)
    for clip in timeline.find_clips():
        clip.name = _one_line(clip.name)
        for marker in clip.markers:
            marker.name = _one_line(marker.name)
    # The avid style writes the label as "* FROM CLIP NAME:" and the media as "* FROM CLIP:";
    # the premiere style would replace the label with the file name.
    text = otio.adapters.write_to_string(timeline, "cmx_3600", style="avid")
    # Say the timecode is non-drop (24 fps has no drop frame), as editors expect in the header.
    if not text.startswith("TITLE:"):
        return f"FCM: NON-DROP FRAME\n\n{text}"
    title, _, events = text.partition("\n\n")
    return f"{title}\nFCM: NON-DROP FRAME\n\n{events}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
