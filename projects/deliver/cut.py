"""The cut: a project or one scene in order, each shot as one segment of the animatic.

A shot plays its circled take; without one, its hero frame held for the shot's duration (with
a slow push in, so it reads as motion); without either, a title card with its label and action.
Every segment lasts the shot's duration, so the cut is as long as the board says the film is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TAKE = "take"
FRAME = "frame"
TITLE = "title"

FPS = 24  # the cut's one frame rate: takes at other rates are conformed to it


@dataclass(frozen=True)
class Note:
    """A frame note on the circled take, as a marker: seconds into the segment."""

    at: float
    text: str
    author: str = ""


@dataclass(frozen=True)
class Segment:
    shot_id: int
    label: str  # "3A"
    scene_number: int
    scene_title: str
    action: str
    dialogue: str
    duration: float  # seconds on the cut: the shot's duration
    source: str  # TAKE, FRAME or TITLE
    # Storage name of the take's video or the hero frame ("" for a title card). The pipeline
    # copies it to a local file and fills `path` before a writer sees the cut.
    media: str = ""
    path: str = ""
    take_id: int | None = None
    take_number: int | None = None
    fps: float = FPS  # the source's own rate (a take's probed rate; stills: the cut's)
    source_duration: float | None = None  # the take's own length; None for stills and titles
    width: int | None = None
    height: int | None = None
    notes: tuple[Note, ...] = ()

    @property
    def clip_name(self) -> str:
        """What an editor sees on the clip: the shot label, and the take it came from."""
        if self.source == TAKE:
            return f"{self.label} take {self.take_number}"
        if self.source == FRAME:
            return f"{self.label} hero frame"
        return f"{self.label} title"

    @property
    def media_name(self) -> str:
        """A file name for this segment's media inside an export: unique within a cut."""
        stem = f"{self.label}_shot{self.shot_id}".replace("/", "-").replace(" ", "_")
        if self.source == TAKE:
            return f"{stem}_take{self.take_number}.mp4"
        if self.source == FRAME:
            extension = self.media.rsplit(".", 1)[-1].lower() if "." in self.media else "jpg"
            return f"{stem}_hero.{extension}"
        return ""


@dataclass(frozen=True)
class Cut:
    project_id: int
    project_name: str
    aspect_ratio: str  # the project's, e.g. "16:9"
    scene_number: int | None = None  # None: the whole project
    scene_title: str = ""
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    fps: int = FPS

    @property
    def title(self) -> str:
        if self.scene_number is None:
            return self.project_name
        return f"{self.project_name} — scene {self.scene_number}: {self.scene_title}"

    @property
    def duration(self) -> float:
        return sum(segment.duration for segment in self.segments)

    def starts(self) -> list[float]:
        """Where each segment starts on the cut, in seconds."""
        starts, at = [], 0.0
        for segment in self.segments:
            starts.append(at)
            at += segment.duration
        return starts

    def frames(self, seconds: float) -> int:
        """Seconds on the cut as a whole number of the cut's frames."""
        return round(seconds * self.fps)
