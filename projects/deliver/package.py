"""The editor package: one zip an editor unpacks and opens, timelines and media side by side.

The timelines reference `media/<file>` relative to themselves, so the folder works wherever it
is unpacked. Text is deflated; the media (MP4, JPEG, PNG) is already compressed and is stored,
streamed from disk so a long take never sits whole in memory.
"""

from __future__ import annotations

import os
import zipfile

from opentimelineio import opentime

from .cut import FRAME, TAKE, Cut, Segment
from .errors import DeliveryError
from .timeline import FORMATS, timeline_bytes

MEDIA_DIR = "media"
ANIMATIC_NAME = "animatic.mp4"
README_NAME = "README.txt"


def write_package(cut: Cut, out_path: str, *, animatic_path: str | None = None) -> list[str]:
    """Write the package zip to out_path; returns the names in it, in order."""
    if not cut.segments:
        raise DeliveryError("There are no shots to export.")
    media = _media_files(cut)
    if animatic_path is not None and not os.path.isfile(animatic_path):
        raise DeliveryError("The rendered animatic is missing: render it again.")
    # Every timeline is made before the zip is opened, so a bad cut leaves no file behind.
    timelines = {
        f"timeline{extension}": timeline_bytes(cut, fmt, media_dir=MEDIA_DIR)
        for fmt, extension in FORMATS.items()
    }
    try:
        with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr(README_NAME, _readme(cut, with_animatic=animatic_path is not None))
            for name, content in timelines.items():
                package.writestr(name, content)
            for name, path in media:
                package.write(path, name, compress_type=zipfile.ZIP_STORED)
            if animatic_path is not None:
                package.write(animatic_path, ANIMATIC_NAME, compress_type=zipfile.ZIP_STORED)
            names = package.namelist()
    except BaseException:
        # Half a zip is worse than none: an editor would find clips offline.
        if os.path.exists(out_path):
            os.remove(out_path)
        raise
    return names


def _media_files(cut: Cut) -> list[tuple[str, str]]:
    """(name in the zip, local path) for every take and hero frame, checked before writing."""
    files = []
    for segment in cut.segments:
        if segment.source not in (TAKE, FRAME):
            continue
        if not segment.path or not os.path.isfile(segment.path):
            raise DeliveryError(
                f"The {_source_words(segment)} of shot {segment.label} is missing, "
                "so the package would have an offline clip."
            )
        files.append((f"{MEDIA_DIR}/{segment.media_name}", segment.path))
    return files


def _readme(cut: Cut, *, with_animatic: bool) -> str:
    count = len(cut.segments)
    total_frames = sum(cut.frames(segment.duration) for segment in cut.segments)
    lines = [
        cut.title,
        "Editor package from Shot Studio",
        "",
        "WHAT IS IN THIS FOLDER",
        "  timeline.otio  OpenTimelineIO timeline: DaVinci Resolve (File > Import > Timeline),",
        "                 and any tool built on OpenTimelineIO.",
        "  timeline.edl   CMX 3600 EDL: Avid Media Composer, DaVinci Resolve, Premiere Pro.",
        "                 Clip names are in the '* FROM CLIP NAME:' comments, notes in '* LOC:'.",
        "  timeline.xml   Final Cut Pro 7 XML: Premiere Pro (File > Import), DaVinci Resolve,",
        "                 Final Cut Pro 7. Final Cut Pro (10 and later) opens it through a",
        "                 converter such as 7toX.",
        f"  {MEDIA_DIR}/         the circled takes and hero frames the timelines use.",
    ]
    if with_animatic:
        lines.append(f"  {ANIMATIC_NAME}   the whole cut rendered as one video, for reference.")
    lines += [
        f"  {README_NAME}     this file.",
        "",
        "OPENING IT",
        "  Keep the folder together: media paths in the timelines are relative to this folder",
        f"  ({MEDIA_DIR}/<file>). If your editor shows clips offline, relink them to the",
        f"  {MEDIA_DIR} folder. Title cards have no media: they are placeholder clips of the",
        "  shot's length, named by its label. Notes on takes are markers on their clips.",
        "",
        "THE CUT",
        f"  Frame rate: {cut.fps} fps, non-drop timecode starting at {_timecode(0, cut.fps)}.",
        f"  Aspect ratio: {cut.aspect_ratio}.",
        f"  {count} shot{'s' if count != 1 else ''}, "
        f"{_timecode(total_frames, cut.fps)} ({total_frames / cut.fps:.1f} s).",
        "",
        "SHOTS",
    ]
    start = 0
    for number, segment in enumerate(cut.segments, start=1):
        frames = cut.frames(segment.duration)
        lines.append(
            f"  {number:03d}  {segment.label:<8} {_timecode(start, cut.fps)}"
            f"  {frames / cut.fps:5.1f} s  {_origin(segment, cut.fps)}"
        )
        start += frames
    return "\n".join(lines) + "\n"


def _origin(segment: Segment, fps: int) -> str:
    """Where a shot's clip came from, in words, with its file."""
    if segment.source == TAKE:
        rate = f", {segment.fps:g} fps source" if segment.fps and segment.fps != fps else ""
        return f"take {segment.take_number}{rate}: {MEDIA_DIR}/{segment.media_name}"
    if segment.source == FRAME:
        return f"hero frame, held: {MEDIA_DIR}/{segment.media_name}"
    return "title card (no media)"


def _source_words(segment: Segment) -> str:
    if segment.source == TAKE:
        return f"video of take {segment.take_number}"
    return "hero frame"


def _timecode(frames: int, fps: int) -> str:
    return opentime.to_timecode(opentime.RationalTime(frames, fps), fps)
