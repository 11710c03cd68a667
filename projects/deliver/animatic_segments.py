"""What each segment of the animatic plays, as a stream of events for the writer:
(PICTURE, yuv420p array, whether silence goes with it) and (SOUND, planar float samples).

A segment yields no more than its frames and samples; the writer holds the last picture and
fills silence for whatever it did not use. `ahead` runs a segment on a thread a few events in
front of the encoder: decoding, scaling and drawing release the GIL, as x264 does, so the two
overlap, and memory stays a few pictures deep.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import av
import numpy as np

from projects.deliver.animatic_pictures import PushIn, TakeFitter, load_still, title_card
from projects.deliver.cut import FRAME, TAKE, Segment
from projects.deliver.errors import DeliveryError

PICTURE, SOUND = "picture", "sound"
SAMPLE_RATE = 48_000
LAYOUT = "stereo"
AHEAD = 3  # events in flight: a few pictures, ~1.4 MB each at 720p

Event = tuple[str, np.ndarray, bool]


def segment_events(
    segment: Segment, size: tuple[int, int], fps: int, frames: int, samples: int
) -> Iterator[Event]:
    if segment.source == TAKE:
        return _take(segment, size, fps, frames, samples)
    if segment.source == FRAME:
        return _still(segment, size, frames)
    return _title(segment, size, frames)


def _title(segment: Segment, size: tuple[int, int], frames: int) -> Iterator[Event]:
    scene = f"Scene {segment.scene_number}"
    if segment.scene_title:
        scene += f" · {segment.scene_title}"
    card = title_card(size, segment.label, scene, segment.action)
    for _ in range(frames):
        yield PICTURE, card, True


def _still(segment: Segment, size: tuple[int, int], frames: int) -> Iterator[Event]:
    push_in = PushIn(load_still(segment.path, segment.label), size, frames)
    for index in range(frames):
        yield PICTURE, push_in(index), True


def _take(
    segment: Segment, size: tuple[int, int], fps: int, frames: int, samples: int
) -> Iterator[Event]:
    unreadable = f"Shot {segment.label}: its take could not be read as a video."
    try:
        container = av.open(segment.path)
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise DeliveryError(unreadable) from exc
    with container:
        if not container.streams.video:
            raise DeliveryError(f"Shot {segment.label}: its take has no picture.")
        video = container.streams.video[0]
        video.thread_type = "AUTO"
        audio = container.streams.audio[0] if container.streams.audio else None
        resampler = av.AudioResampler(format="fltp", layout=LAYOUT, rate=SAMPLE_RATE)
        rate = float(video.average_rate or video.guessed_rate or segment.fps or fps)
        conform = _Conform(TakeFitter((video.width, video.height), size), fps, rate, frames)
        heard = 0
        try:
            for packet in container.demux(*[s for s in (video, audio) if s is not None]):
                for frame in packet.decode():
                    if packet.stream is video:
                        for picture in conform.push(frame):
                            yield PICTURE, picture, audio is None
                    else:
                        for part in resampler.resample(frame):
                            heard += part.samples
                            yield SOUND, part.to_ndarray(), False
                if conform.shown >= frames and (audio is None or heard >= samples):
                    break  # the shot is full: the rest of a longer take is trimmed
            if audio is not None:
                for part in resampler.resample(None):
                    yield SOUND, part.to_ndarray(), False
        except (av.FFmpegError, ValueError) as exc:
            raise DeliveryError(unreadable) from exc
        yield from ((PICTURE, picture, False) for picture in conform.finish())
        if conform.shown == 0 and frames > 0:
            raise DeliveryError(f"Shot {segment.label}: its take has no picture.")


class _Conform:
    """Source frames onto the cut's frame grid: cut frame i shows the latest source frame whose
    time rounds to i or before (ffmpeg's fps filter, round=near). Frames the grid skips are
    never scaled, and each shown frame is scaled once however often it repeats."""

    def __init__(self, fitter: TakeFitter, fps: int, source_rate: float, frames: int):
        self.fitter, self.fps, self.source_rate, self.frames = fitter, fps, source_rate, frames
        self.origin: float | None = None
        self.pending: av.VideoFrame | None = None
        self.picture: np.ndarray | None = None
        self.shown = self.count = 0

    def push(self, frame: av.VideoFrame) -> list[np.ndarray]:
        seconds = frame.time
        if seconds is None:  # no timestamps: trust the stream's rate
            seconds = self.count / self.source_rate
        self.count += 1
        if self.origin is None:
            self.origin = seconds
        shown = self._show_until(round((seconds - self.origin) * self.fps))
        self.pending, self.picture = frame, None
        return shown

    def finish(self) -> list[np.ndarray]:
        """The take's last frame, held to the shot's end."""
        return self._show_until(self.frames)

    def _show_until(self, due: int) -> list[np.ndarray]:
        shown = []
        while self.pending is not None and self.shown < min(due, self.frames):
            if self.picture is None:
                self.picture = self.fitter(self.pending)
            shown.append(self.picture)
            self.shown += 1
        return shown


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


_DONE = object()


def ahead(events: Iterator[Event]) -> Iterator[Event]:
    """`events`, produced on a thread at most AHEAD items in front of the consumer. An error
    there is raised here; the consumer stopping (or failing) stops the thread."""
    handoff: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for event in events:
                if not put(event):
                    return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, which raises it
            put(_Failed(error))
        finally:
            events.close()  # closes the take's file on this thread, where it was opened

    thread = threading.Thread(target=produce, name="animatic-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
