"""The animatic: a cut rendered to one MP4 that plays anywhere.

One size (the project's aspect ratio, 720p or 1080p on the short side), one frame rate (the
cut's), H.264 + AAC with the index up front (faststart), so it streams from the first byte.
Every segment lasts exactly its shot's duration, counted in whole frames of the cut, and the
audio is counted in the same frames (2000 samples a frame at 48 kHz and 24 fps), so picture
and sound never drift apart however many shots there are.

- A take is fitted into the frame (bars, never a crop), conformed to the cut's rate by
  holding each source frame until the next one is due (as ffmpeg's fps filter does), cut off
  at the shot's end or its last frame held to it; its sound kept, silence after it.
- A hero frame is held with a slow push in; a shot with neither is a title card.

Frames are streamed: a decoded frame and a few pictures are alive at a time, whatever the
length of a take or of the cut. Everything runs in libav (PyAV), so no ffmpeg binary is needed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np

from projects.deliver.animatic_pictures import BurnIn
from projects.deliver.animatic_segments import (
    LAYOUT,
    PICTURE,
    SAMPLE_RATE,
    ahead,
    segment_events,
)
from projects.deliver.cut import FRAME, TAKE, Cut, Segment
from projects.deliver.errors import DeliveryError
from providers.previz.render import ASPECTS, X264_CRF, X264_PRESET, frame_size

SHORT_SIDES = {"720p": 720, "1080p": 1080}


@dataclass(frozen=True)
class AnimaticResult:
    duration_seconds: float
    width: int
    height: int
    fps: int
    frames: int
    has_audio: bool  # whether any take brought sound (the file always has an audio stream)


def animatic_size(aspect_ratio: str, resolution: str) -> tuple[int, int]:
    """(width, height), both even, with the short side set by the resolution."""
    if resolution not in SHORT_SIDES:
        choices = " or ".join(SHORT_SIDES)
        raise DeliveryError(f"An animatic is rendered at {choices}, not {resolution!r}.")
    if aspect_ratio not in ASPECTS:
        raise DeliveryError(f"An animatic cannot be rendered at aspect ratio {aspect_ratio!r}.")
    return frame_size(aspect_ratio, SHORT_SIDES[resolution])


def render_animatic(
    cut: Cut,
    out_path: str,
    *,
    resolution: str = "720p",
    burn_in: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> AnimaticResult:
    """Render `cut` to an MP4 at `out_path` (written as `.part`, renamed when complete)."""
    size = animatic_size(cut.aspect_ratio, resolution)
    if not cut.segments or cut.frames(cut.duration) < 1:
        raise DeliveryError("There are no shots to play.")
    for segment in cut.segments:
        if segment.source in (TAKE, FRAME) and not segment.path:
            raise DeliveryError(f"Shot {segment.label}: its {_what(segment)} is missing.")
    if SAMPLE_RATE % cut.fps:
        raise DeliveryError(f"An animatic cannot be rendered at {cut.fps} fps.")

    partial = out_path + ".part"
    container = av.open(partial, mode="w", format="mp4", options={"movflags": "+faststart"})
    finished = False
    try:
        writer = _Writer(container, cut, size, burn_in, on_progress)
        starts = [cut.frames(start) for start in cut.starts()]
        for segment, start, end in zip(
            cut.segments, starts, [*starts[1:], writer.total], strict=True
        ):
            writer.begin(segment, end - start)
            events = segment_events(segment, size, cut.fps, writer.frames_left, writer.samples_left)
            for kind, data, with_silence in ahead(events):
                if kind == PICTURE:
                    writer.picture(data, with_silence=with_silence)
                else:
                    writer.sound(data)
            writer.end()
        writer.close()
        finished = True
    finally:
        if not finished:
            with contextlib.suppress(Exception):  # the real error is already on its way up
                container.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)
    os.replace(partial, out_path)
    if on_progress is not None:
        on_progress(100)
    return AnimaticResult(
        duration_seconds=writer.total / cut.fps,
        width=size[0],
        height=size[1],
        fps=cut.fps,
        frames=writer.total,
        has_audio=writer.had_sound,
    )


class _Writer:
    """The one encoder pair, and the budget of the segment being played: a segment takes no
    more than its frames and samples, and `end` fills what it did not use."""

    def __init__(self, container, cut: Cut, size: tuple[int, int], burn_in: bool, on_progress):
        self.container, self.fps, self.size = container, cut.fps, size
        self.total = cut.frames(cut.duration)
        self.samples_per_frame = SAMPLE_RATE // cut.fps
        self.video = container.add_stream("libx264", rate=cut.fps)
        self.video.width, self.video.height, self.video.pix_fmt = *size, "yuv420p"
        self.video.options = {"preset": X264_PRESET, "crf": str(X264_CRF)}
        self.audio = container.add_stream("aac", rate=SAMPLE_RATE, layout=LAYOUT)
        self.burn_in = BurnIn(size, cut.fps) if burn_in else None
        self.on_progress, self.reported = on_progress, -1
        self.frame = self.sample = 0  # written so far, on the whole cut
        self.had_sound = False
        self._report()

    def begin(self, segment: Segment, frames: int) -> None:
        self.segment, self.frames_left = segment, frames
        self.samples_left = frames * self.samples_per_frame
        self.last: np.ndarray | None = None
        self.plate_text = f"{segment.label}  SC {segment.scene_number}"

    def picture(self, picture: np.ndarray, *, with_silence: bool = False) -> None:
        if self.frames_left <= 0:
            return
        self.last = picture
        if self.burn_in is not None:
            picture = self.burn_in.apply(picture, self.plate_text, self.frame)
        frame = av.VideoFrame.from_ndarray(picture, format="yuv420p")
        frame.pts = self.frame
        self.container.mux(self.video.encode(frame))
        self.frame += 1
        self.frames_left -= 1
        if with_silence:  # keeps the file interleaved where nothing else brings sound
            self.silence(self.samples_per_frame)
        self._report()

    def sound(self, samples: np.ndarray) -> None:
        """Planar float samples (channels, n) at SAMPLE_RATE; what overruns the shot is cut."""
        samples = samples[:, : max(0, self.samples_left)]
        if samples.shape[1] == 0:
            return
        self.had_sound = self.had_sound or bool(np.any(samples))
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=LAYOUT
        )
        frame.sample_rate, frame.pts = SAMPLE_RATE, self.sample
        frame.time_base = Fraction(1, SAMPLE_RATE)
        self.container.mux(self.audio.encode(frame))
        self.sample += samples.shape[1]
        self.samples_left -= samples.shape[1]

    def silence(self, count: int) -> None:
        while count > 0 and self.samples_left > 0:
            chunk = min(count, self.samples_left, 8192)
            self.sound(np.zeros((2, chunk), dtype=np.float32))
            count -= chunk

    def end(self) -> None:
        """Hold the last picture to the shot's end; silence for the rest of its sound."""
        while self.frames_left > 0 and self.last is not None:
            self.picture(self.last)
        self.silence(self.samples_left)

    def close(self) -> None:
        self.container.mux(self.video.encode(None))
        self.container.mux(self.audio.encode(None))
        self.container.close()

    def _report(self) -> None:
        percent = self.frame * 99 // self.total
        if self.on_progress is not None and percent > self.reported:
            self.reported = percent
            self.on_progress(percent)


def _what(segment: Segment) -> str:
    return "take" if segment.source == TAKE else "hero frame"
