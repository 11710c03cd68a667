"""The previz renderer: a still (the hero frame, or a title card) filmed by a virtual camera.

Every frame is one affine transform of the still, made on the still's yuv420p planes (yuv.py:
the encoder's own format, so no frame is colour-converted) and streamed straight into libx264
through PyAV, so memory stays flat whatever the duration. Conventions (the signs are
spec.CameraMove's):

- The camera moves, not the picture: pan +right moves the view right, so the picture slides
  left; roll +clockwise turns the camera clockwise, so the horizon turns counter-clockwise.
- Magnitude 10 is a strong move over the whole shot. Pan 10 = the view travels 25% of the frame
  width (tilt 10: 25% of the frame height). Truck 10 = 40% of the frame width: a flat still has
  no parallax, so a truck reads as the bigger, steadier slide a travelling camera gives.
  Roll 10 = 20 degrees. Zoom 10 = 2x tighter (zoom -10: 2x wider), exponential so the zoom
  rate looks constant. Dolly 10 = the camera covers half the distance to the subject (apparent
  size 1/distance: 2x, accelerating as it closes in); dolly -10 doubles the distance (0.5x).
- Rotations (pan, tilt, roll, zoom) follow a cosine ease-in-out; travelling axes (truck,
  dolly) a smootherstep, which starts and lands more gently, like a heavy dolly.
- The still is scaled to cover the frame, then up just enough that no frame of the move ever
  shows past its edge; the first frame is therefore tighter than the still when the move is big.
"""

from __future__ import annotations

import contextlib
import math
import os
import textwrap
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import av
from PIL import Image, ImageDraw, ImageFont, ImageOps

from providers.core.base import GenerationRequest
from providers.core.catalog import CAMERA_AXES, CAMERA_RANGE
from providers.core.motions import get_motion
from providers.core.spec import Beat, CameraMove
from providers.previz.yuv import Planes, blend, plate_planes, video_frame, yuv_planes

FPS = 24
SHORT_SIDES = {"preview": 360, "720p": 720, "1080p": 1080}
ASPECTS = {"16:9": (16, 9), "9:16": (9, 16), "1:1": (1, 1), "4:3": (4, 3), "21:9": (21, 9)}
X264_PRESET = "veryfast"
X264_CRF = 23
COMPOSE_AHEAD = 3  # frames composed ahead of the encoder

PAN_FULL = 0.25  # fraction of the frame width (tilt: height) travelled at magnitude 10
TRUCK_FULL = 0.40
ROLL_FULL_DEGREES = 20.0
ZOOM_FULL = 2.0  # scale factor at zoom +10 (1 / ZOOM_FULL at -10)
DOLLY_IN_FULL = 0.5  # fraction of the distance to the subject covered at dolly +10
DOLLY_OUT_FULL = 1.0  # fraction of the distance added at dolly -10
HANDHELD_SHIFT = 0.006  # fraction of the frame, a breathing operator rather than an earthquake
HANDHELD_DEGREES = 0.35
LEVEL_STEP = 2**0.25  # between the still's mip levels: a frame is shrunk by at most this much


class RenderCanceled(Exception):
    """should_stop() said stop; the partial file is gone."""


class RenderError(Exception):
    """The job cannot be rendered (bad input); the message is fit to show a filmmaker."""


@dataclass(frozen=True)
class RenderResult:
    duration_seconds: float
    width: int
    height: int
    frames: int
    fps: int


@dataclass(frozen=True)
class RenderJob:
    label: str
    subject: str
    duration_seconds: float
    aspect_ratio: str
    resolution: str
    camera: CameraMove = field(default_factory=CameraMove)
    hero_path: str | None = None
    last_frame_path: str | None = None  # dissolved into over the shot when given
    fps: int = FPS
    burn_in: bool = False
    beats: tuple[Beat, ...] = ()
    handheld: bool = False
    seed: int = 0

    @property
    def size(self) -> tuple[int, int]:
        return output_size(self.aspect_ratio, self.resolution)

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration_seconds * self.fps))

    @classmethod
    def from_request(cls, request: GenerationRequest) -> RenderJob:
        """What was sent (request.params, the camera report) wins over the spec it came from."""
        spec, params = request.spec, request.params
        camera = spec.camera
        if isinstance(params.get("camera"), dict):
            low, high = CAMERA_RANGE
            camera = CameraMove(
                **{a: max(low, min(high, int(params["camera"].get(a, 0)))) for a in CAMERA_AXES}
            )
        motion = get_motion(params.get("motion_preset") or spec.motion_preset or "")
        if motion is not None and camera.is_static:
            camera = motion.axes
        if "beats" in params:
            beats = tuple(Beat(float(at), str(text)) for at, text in params["beats"])
        else:
            beats = tuple(spec.beats)
        images = {image.role: image.path for image in reversed(request.images)}
        seed = params.get("seed", spec.seed)
        return cls(
            label=spec.label,
            subject=spec.subject,
            duration_seconds=float(params.get("duration_seconds", spec.duration_seconds)),
            aspect_ratio=str(params.get("aspect_ratio", spec.aspect_ratio)),
            resolution=str(params.get("resolution", spec.resolution)),
            camera=camera,
            hero_path=images.get("first_frame"),
            last_frame_path=images.get("last_frame"),
            burn_in=bool(request.options.get("burn_in", False)),
            beats=tuple(sorted(beats, key=lambda b: b.at_seconds)),
            handheld=motion is not None and motion.slug == "handheld",
            seed=int(seed) if seed is not None else request.take_id,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["camera"] = self.camera.as_dict()
        data["beats"] = [[b.at_seconds, b.action] for b in self.beats]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RenderJob:
        data = dict(data)
        data["camera"] = CameraMove(**data.get("camera", {}))
        data["beats"] = tuple(Beat(float(at), str(text)) for at, text in data.get("beats", ()))
        return cls(**data)


def output_size(aspect_ratio: str, resolution: str) -> tuple[int, int]:
    """(width, height), even, with the short side set by the resolution."""
    if aspect_ratio not in ASPECTS:
        raise RenderError(f"Previz cannot render aspect ratio {aspect_ratio!r}.")
    if resolution not in SHORT_SIDES:
        raise RenderError(f"Previz cannot render resolution {resolution!r}.")
    return frame_size(aspect_ratio, SHORT_SIDES[resolution])


def frame_size(aspect_ratio: str, short: int) -> tuple[int, int]:
    """(width, height) of a known aspect ratio with this short side, the long side even."""
    w, h = ASPECTS[aspect_ratio]
    long = 2 * round(short * max(w, h) / min(w, h) / 2)
    return (long, short) if w >= h else (short, long)


# --- the camera path -------------------------------------------------------------------------


def ease_cosine(t: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * t)


def ease_travel(t: float) -> float:
    return t * t * t * (t * (6 * t - 15) + 10)


@dataclass(frozen=True)
class CameraPose:
    x: float  # view centre offset, fraction of frame width, + right
    y: float  # fraction of frame height, + down (tilt up is negative)
    scale: float  # apparent magnification, 1 = the opening framing
    degrees: float  # camera roll, + clockwise


def camera_pose(move: CameraMove, t: float, *, handheld: bool = False, seed: int = 0) -> CameraPose:
    """Where the camera is at t in [0, 1] of the shot."""
    r, d = ease_cosine(t), ease_travel(t)
    x = PAN_FULL * move.pan / 10 * r + TRUCK_FULL * move.truck / 10 * d
    y = -PAN_FULL * move.tilt / 10 * r
    zoom = ZOOM_FULL ** (move.zoom / 10 * r)
    if move.dolly >= 0:
        distance = 1 - DOLLY_IN_FULL * move.dolly / 10 * d
    else:
        distance = 1 + DOLLY_OUT_FULL * -move.dolly / 10 * d
    degrees = ROLL_FULL_DEGREES * move.roll / 10 * r
    if handheld:
        # Incommensurate sines: smooth, never repeating within a shot, same for the same seed.
        phase = (seed % 997) * 0.61803
        seconds = t * 8
        x += HANDHELD_SHIFT * (math.sin(2.1 * seconds + phase) + 0.5 * math.sin(5.3 * seconds))
        y += HANDHELD_SHIFT * (math.sin(1.7 * seconds + 2 * phase) + 0.5 * math.cos(4.1 * seconds))
        degrees += HANDHELD_DEGREES * math.sin(1.3 * seconds + 3 * phase)
    return CameraPose(x=x, y=y, scale=zoom / distance, degrees=degrees)


def _times(frames: int) -> list[float]:
    return [i / (frames - 1) for i in range(frames)] if frames > 1 else [0.0]


class _Framer:
    """Turns poses into Pillow affine transforms of one still, through a mip pyramid: each
    frame shrinks the smallest level that is at least as large as it needs, by less than
    LEVEL_STEP (bilinear aliases beyond ~1.4x, and costs more the more it shrinks)."""

    def __init__(self, still: Image.Image, size: tuple[int, int], poses: list[CameraPose]):
        self.size = size
        width, height = size
        sw, sh = still.size
        cover = max(width / sw, height / sh)  # source px -> output px at the opening framing
        # Extra magnification so the rotated, shifted, scaled view never leaves the still.
        need = 1.0
        for pose in poses:
            cos, sin = (
                abs(math.cos(math.radians(pose.degrees))),
                abs(math.sin(math.radians(pose.degrees))),
            )
            half_x = (width / 2 * cos + height / 2 * sin) / pose.scale
            half_y = (width / 2 * sin + height / 2 * cos) / pose.scale
            need = max(
                need,
                2 * (abs(pose.x) * width + half_x) / (cover * sw),
                2 * (abs(pose.y) * height + half_y) / (cover * sh),
            )
        self.base = cover * need * 1.001  # rounding never shows an edge pixel
        self.centre = (sw / 2, sh / 2)
        scales = [self.base * p.scale for p in poses]
        top = min(1.0, max(scales))  # never upsample the still itself: bilinear does that later
        self.levels: list[tuple[float, Image.Image]] = []
        level_scale = top
        image = still if top == 1.0 else _resize(still, top)
        while True:
            self.levels.append((level_scale, image))
            if level_scale <= min(scales) * LEVEL_STEP or min(image.size) < 32:
                break
            level_scale /= LEVEL_STEP
            image = _resize(still, level_scale)
        self._planes: list[Planes] | None = None  # the levels as yuv420p, made when first asked

    def frame(self, pose: CameraPose) -> Image.Image:
        """The view at `pose` as RGB (a still's single frame)."""
        level, warp = self._warp(pose)
        return warp(self.levels[level][1], 1)

    def planes(self, pose: CameraPose, helper: Executor | None = None) -> Planes:
        """The view at `pose` as yuv420p planes (every frame of a render): the same warp, on
        each plane of the still converted once, chroma at half the scale. With a helper
        thread, chroma is filmed there while luma is filmed here (Pillow releases the GIL)."""
        if self._planes is None:
            self._planes = [yuv_planes(image) for _, image in self.levels]
        level, warp = self._warp(pose)
        still = self._planes[level]
        if helper is None:
            return Planes(warp(still.y, 1), warp(still.u, 2), warp(still.v, 2))
        chroma = helper.submit(lambda: (warp(still.u, 2), warp(still.v, 2)))
        luma = warp(still.y, 1)
        return Planes(luma, *chroma.result())

    def _warp(self, pose: CameraPose) -> tuple[int, Callable[[Image.Image, int], Image.Image]]:
        """(the level to film, how to film one of its planes at 1/shrink of the frame size).

        Positions are continuous (a pixel's centre at +0.5), so a plane at half resolution
        takes the same transform with every coordinate halved."""
        scale = self.base * pose.scale
        # The smallest level at least as large as the frame needs: bilinear then shrinks it by
        # less than LEVEL_STEP, the cheapest resample that still filters.
        level = max(
            (i for i, (level_scale, _) in enumerate(self.levels) if level_scale >= scale * 0.9999),
            default=0,
        )
        level_scale = self.levels[level][0]
        width, height = self.size
        k = level_scale / scale  # level px per output px
        cx = (self.centre[0] + pose.x * width / self.base) * level_scale
        cy = (self.centre[1] + pose.y * height / self.base) * level_scale

        def out_size(shrink: int) -> tuple[int, int]:
            return (-(-width // shrink), -(-height // shrink))

        if pose.degrees == 0:
            # No roll: a box resize is twice as fast as an affine warp, and filters properly.
            def resize(image: Image.Image, shrink: int) -> Image.Image:
                # Clamped: the levels' rounded sizes can put an edge a hair outside the image.
                iw, ih = image.size
                box = (
                    max(0.0, (cx - width / 2 * k) / shrink),
                    max(0.0, (cy - height / 2 * k) / shrink),
                    min(iw, (cx + width / 2 * k) / shrink),
                    min(ih, (cy + height / 2 * k) / shrink),
                )
                return image.resize(out_size(shrink), Image.Resampling.BILINEAR, box=box)

            return level, resize
        angle = math.radians(pose.degrees)
        # Output pixel q (from the frame centre) samples the still at C + R(angle) q / scale;
        # in y-down pixels R turns q clockwise, i.e. the camera rolls clockwise.
        a, b = math.cos(angle) * k, -math.sin(angle) * k
        d, e = math.sin(angle) * k, math.cos(angle) * k
        c = cx - a * width / 2 - b * height / 2
        f = cy - d * width / 2 - e * height / 2

        def transform(image: Image.Image, shrink: int) -> Image.Image:
            matrix = (a, b, c / shrink, d, e, f / shrink)
            return image.transform(
                out_size(shrink), Image.Transform.AFFINE, matrix, Image.Resampling.BILINEAR
            )

        return level, transform


def _resize(still: Image.Image, scale: float) -> Image.Image:
    w, h = still.size
    return still.resize(
        (max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS
    )


# --- stills ----------------------------------------------------------------------------------


def load_still(path: str) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                backdrop = Image.new("RGBA", image.size, (0, 0, 0, 255))
                image = Image.alpha_composite(backdrop, image)
            return image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise RenderError(f"The hero frame could not be read as an image: {exc}") from exc


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(8, size))


def title_card(job: RenderJob, footer: str = "PREVIZ · NO HERO FRAME") -> Image.Image:
    """A slate with a grid, so camera moves read even without a hero frame."""
    width, height = job.size
    width, height = round(width * 1.5), round(height * 1.5)
    hue = (job.seed * 47) % 360
    top = _hsv(hue, 0.45, 0.30)
    bottom = _hsv((hue + 40) % 360, 0.55, 0.10)
    card = Image.linear_gradient("L").resize((width, height))
    card = Image.composite(
        Image.new("RGB", card.size, bottom), Image.new("RGB", card.size, top), card
    )
    draw = ImageDraw.Draw(card)
    step = max(16, min(width, height) // 12)
    grid = _hsv(hue, 0.25, 0.42)
    for x in range(0, width, step):
        draw.line([(x, 0), (x, height)], fill=grid, width=1)
    for y in range(0, height, step):
        draw.line([(0, y), (width, y)], fill=grid, width=1)
    draw.ellipse(
        [width / 2 - step, height / 2 - step, width / 2 + step, height / 2 + step],
        outline=(235, 235, 235),
        width=max(2, step // 12),
    )
    short = min(width, height)
    label_font, body_font = _font(short // 7), _font(short // 22)
    draw.text(
        (width / 2, height * 0.30),
        job.label or "Previz",
        font=label_font,
        anchor="mm",
        fill=(245, 245, 245),
    )
    wrap = max(12, int(width / (short / 22) * 1.6))
    subject = "\n".join(textwrap.wrap(job.subject or "", width=wrap)[:3])
    if subject:
        draw.multiline_text(
            (width / 2, height * 0.70),
            subject,
            font=body_font,
            anchor="mm",
            align="center",
            fill=(225, 225, 225),
        )
    draw.text(
        (width / 2, height * 0.88),
        footer,
        font=_font(short // 40),
        anchor="mm",
        fill=(190, 190, 190),
    )
    return card


def _hsv(hue: float, sat: float, val: float) -> tuple[int, int, int]:
    image = Image.new("HSV", (1, 1), (round(hue / 360 * 255), round(sat * 255), round(val * 255)))
    return image.convert("RGB").getpixel((0, 0))


# --- burn-in ---------------------------------------------------------------------------------


class _BurnIn:
    """Label (top-left), timecode (top-right), the current beat (bottom-left).

    The plates are drawn and converted to yuv420p once, one overlay for each stretch between
    beats; a frame only pastes its overlay and draws its timecode."""

    def __init__(self, job: RenderJob):
        width, height = job.size
        short = min(width, height)
        self.fps = job.fps
        self.pad = max(4, short // 40)
        self.font = _font(short // 20)
        self.width = width
        beats = sorted(job.beats, key=lambda b: b.at_seconds)
        self.starts = [b.at_seconds for b in beats]
        label = self._piece(self._plate(job.label or "Previz"), (self.pad, self.pad))
        self.overlays = [[label]]  # before the first beat, then from each beat on
        for beat in beats:
            plate = self._plate(f"{beat.at_seconds:g}s  {beat.action}")
            self.overlays.append(
                [label, self._piece(plate, (self.pad, height - plate.height - self.pad))]
            )

    def _plate(self, text: str) -> Image.Image:
        _, _, right, bottom = self.font.getbbox(text)
        plate = Image.new("RGBA", (right + 2 * self.pad, bottom + 2 * self.pad), (0, 0, 0, 150))
        ImageDraw.Draw(plate).text((self.pad, self.pad), text, font=self.font, fill=(255, 255, 255))
        return plate

    @staticmethod
    def _piece(
        plate: Image.Image, at: tuple[int, int]
    ) -> tuple[int, int, Planes, Image.Image, Image.Image]:
        """The plate on a transparent margin out to even coordinates, where chroma samples
        start, as (x, y, colour, luma mask, chroma mask)."""
        x, y = at[0] - at[0] % 2, at[1] - at[1] % 2
        canvas = Image.new("RGBA", (plate.width + 2, plate.height + 2), (0, 0, 0, 0))
        canvas.paste(plate, (at[0] - x, at[1] - y))
        return (x, y, *plate_planes(canvas))

    def apply(self, picture: Planes, index: int) -> None:
        seconds = index / self.fps
        overlay = self.overlays[bisect_right(self.starts, seconds + 1e-9)]
        for x, y, colour, mask, chroma_mask in overlay:
            picture.y.paste(colour.y, (x, y), mask)
            picture.u.paste(colour.u, (x // 2, y // 2), chroma_mask)
            picture.v.paste(colour.v, (x // 2, y // 2), chroma_mask)
        whole, frames = divmod(index, self.fps)
        code = f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}:{frames:02d}"
        # White on black: grey, so chroma is neutral (128) over the whole box, and luma runs
        # over the limited range, black 16 to white 235.
        draw = ImageDraw.Draw(picture.y)
        right, top = self.width - self.pad, self.pad
        box = draw.textbbox((right - self.pad, top + self.pad), code, font=self.font, anchor="ra")
        corners = (box[0] - self.pad, top, right, box[3] + self.pad)
        draw.rectangle(corners, fill=16)
        draw.text((right - self.pad, top + self.pad), code, font=self.font, anchor="ra", fill=235)
        for chroma in (picture.u, picture.v):
            ImageDraw.Draw(chroma).rectangle([c // 2 for c in corners], fill=128)


# --- the render ------------------------------------------------------------------------------


class _Composer:
    """Frame `index` as the encoder takes it. Called in order, on one thread: it keeps the last
    picture to reuse while the camera holds still."""

    def __init__(
        self,
        framers: list[_Framer],
        burn_in: _BurnIn | None,
        times: list[float],
        poses: list[CameraPose],
        helper: Executor | None = None,
    ):
        self.framers, self.burn_in, self.times, self.poses = framers, burn_in, times, poses
        self.helper = helper
        self.last: tuple[CameraPose, Planes] | None = None

    def __call__(self, index: int) -> av.VideoFrame:
        pose = self.poses[index]
        if self.last is not None and self.last[0] == pose and len(self.framers) == 1:
            base = self.last[1]
        else:
            base = self.framers[0].planes(pose, self.helper)
            if len(self.framers) == 2:
                later = self.framers[1].planes(pose, self.helper)
                base = blend(base, later, ease_cosine(self.times[index]))
        self.last = (pose, base)
        picture = base
        if self.burn_in is not None:
            picture = base.copy()
            self.burn_in.apply(picture, index)
        return video_frame(picture)


def render_previz(
    job: RenderJob,
    output_path: str,
    *,
    on_progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RenderResult:
    """Render `job` to an H.264 MP4 at `output_path` (written as `.part`, then renamed)."""
    width, height = job.size
    frames = job.frame_count
    times = _times(frames)
    poses = [camera_pose(job.camera, t, handheld=job.handheld, seed=job.seed) for t in times]
    first = load_still(job.hero_path) if job.hero_path else title_card(job)
    framers = [_Framer(first, (width, height), poses)]
    if job.last_frame_path:
        framers.append(_Framer(load_still(job.last_frame_path), (width, height), poses))
    del first
    burn_in = _BurnIn(job) if job.burn_in else None

    partial = output_path + ".part"
    container = av.open(partial, mode="w", format="mp4", options={"movflags": "+faststart"})
    finished = False
    try:
        stream = container.add_stream("libx264", rate=job.fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": X264_PRESET, "crf": str(X264_CRF)}
        # The ffmpeg command line's threading: x264's own frame threads. PyAV's default
        # (slice threads) splits each picture in two instead, which encodes slower.
        stream.codec_context.thread_type = "AUTO"
        reported = -1
        # Frames are composed on a thread (chroma on a second one), up to COMPOSE_AHEAD ahead
        # of the one being encoded: Pillow and x264 both release the GIL, and a few frames
        # ahead keep the composer busy while x264 waits for one of its frame threads. Memory
        # stays flat whatever the length. The composer stops first: it hands work to the helper.
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="previz-chroma") as helper,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="previz") as composer,
        ):
            compose = _Composer(framers, burn_in, times, poses, helper)
            upcoming = deque(composer.submit(compose, i) for i in range(min(COMPOSE_AHEAD, frames)))
            for index in range(frames):
                if should_stop is not None and should_stop():
                    for pending in upcoming:
                        pending.cancel()
                    raise RenderCanceled(f"Render of {job.label!r} canceled at frame {index}.")
                picture = upcoming.popleft().result()
                if index + COMPOSE_AHEAD < frames:
                    upcoming.append(composer.submit(compose, index + COMPOSE_AHEAD))
                picture.pts = index
                container.mux(stream.encode(picture))
                percent = (index + 1) * 99 // frames
                if on_progress is not None and percent // 5 > reported // 5:
                    reported = percent
                    on_progress(percent)
        container.mux(stream.encode(None))
        container.close()
        finished = True
    finally:
        if not finished:
            with contextlib.suppress(Exception):  # the real error is already on its way up
                container.close()
            if os.path.exists(partial):
                os.remove(partial)
    os.replace(partial, output_path)
    if on_progress is not None:
        on_progress(100)
    return RenderResult(
        duration_seconds=frames / job.fps, width=width, height=height, frames=frames, fps=job.fps
    )
