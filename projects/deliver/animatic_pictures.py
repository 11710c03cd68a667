"""Pictures for the animatic, as yuv420p arrays at the cut's size: a take's frame fitted into
the frame, a hero frame pushed in on, a title card, and the burn-in plate drawn over them.

The array layout is PyAV's for yuv420p: the Y plane, then U, then V, flat, shaped
(height * 3 // 2, width). Pictures stay in YUV from the decoder to the encoder so that no take
frame is converted to RGB and back; only stills and cards are drawn in RGB, once per frame.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from projects.deliver.errors import DeliveryError

PUSH_IN = 1.08  # the hero frame's scale at the end of its shot (1.00 at the start)
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
CARD_BACKGROUND = (18, 18, 22)
BLACK_Y, NEUTRAL_UV = 16, 128  # black in limited-range YUV, what x264 and players expect


def planes(picture: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, ...]:
    """Views of the Y, U and V planes of a contiguous yuv420p array."""
    width, height = size
    flat = picture.reshape(-1)
    luma = width * height
    chroma = luma // 4
    return (
        flat[:luma].reshape(height, width),
        flat[luma : luma + chroma].reshape(height // 2, width // 2),
        flat[luma + chroma :].reshape(height // 2, width // 2),
    )


def black(size: tuple[int, int]) -> np.ndarray:
    width, height = size
    picture = np.full((height * 3 // 2, width), NEUTRAL_UV, dtype=np.uint8)
    picture.reshape(-1)[: width * height] = BLACK_Y
    return picture


def fit(source: tuple[int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(width, height, x, y) of a source fitted inside the frame, keeping its aspect ratio:
    all even, so the chroma planes line up with the bars."""
    width, height = size
    scale = min(width / source[0], height / source[1])
    fw = min(width, max(2, 2 * round(source[0] * scale / 2)))
    fh = min(height, max(2, 2 * round(source[1] * scale / 2)))
    return fw, fh, (width - fw) // 4 * 2, (height - fh) // 4 * 2


class TakeFitter:
    """A take's decoded frame scaled by libswscale and letterboxed or pillarboxed."""

    def __init__(self, source: tuple[int, int], size: tuple[int, int]):
        self.size = size
        self.width, self.height, self.x, self.y = fit(source, size)
        self.full = (self.width, self.height) == size

    def __call__(self, frame: av.VideoFrame) -> np.ndarray:
        scaled = frame.reformat(width=self.width, height=self.height, format="yuv420p")
        picture = scaled.to_ndarray()
        if self.full:
            return picture
        canvas = black(self.size)
        x, y = self.x, self.y
        for into, source, step in zip(
            planes(canvas, self.size),
            planes(picture, (self.width, self.height)),
            (1, 2, 2),
            strict=True,
        ):
            rows, cols = source.shape
            into[y // step : y // step + rows, x // step : x // step + cols] = source
        return canvas


def from_image(image: Image.Image) -> np.ndarray:
    return av.VideoFrame.from_image(image).reformat(format="yuv420p").to_ndarray()


def load_still(path: str, label: str) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P", "PA"):
                image = image.convert("RGBA")
                backdrop = Image.new("RGBA", image.size, (0, 0, 0, 255))
                image = Image.alpha_composite(backdrop, image)
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise DeliveryError(f"Shot {label}: its hero frame could not be read as an image.") from exc


class PushIn:
    """The hero frame fitted inside the frame, pushed in from 1.00 to PUSH_IN over the shot.

    The scale grows exponentially, so the push looks like a constant speed, and it runs to
    the cut rather than easing out: a still that stopped moving would read as a freeze.
    Each frame samples the still through a float box, so the move is smooth, not in whole
    pixels."""

    def __init__(self, still: Image.Image, size: tuple[int, int], frames: int):
        self.size, self.frames = size, frames
        scale = min(size[0] / still.width, size[1] / still.height)
        largest = scale * PUSH_IN
        if largest < 1:
            # Downsized once (well) so each frame's bilinear resample is close to 1:1.
            still = still.resize(
                (max(1, round(still.width * largest)), max(1, round(still.height * largest))),
                Image.Resampling.LANCZOS,
            )
            scale = min(size[0] / still.width, size[1] / still.height)
        self.still, self.scale = still, scale

    def __call__(self, index: int) -> np.ndarray:
        width, height = self.size
        t = index / (self.frames - 1) if self.frames > 1 else 0.0
        k = self.scale * math.exp(math.log(PUSH_IN) * t)  # output px per still px
        left = (width - self.still.width * k) / 2
        top = (height - self.still.height * k) / 2
        x0, y0 = max(0, round(left)), max(0, round(top))
        x1, y1 = (
            min(width, round(left + self.still.width * k)),
            min(height, round(top + self.still.height * k)),
        )
        # The picture's edges are whole pixels; the rounding may reach a hair past the still.
        sw, sh = self.still.size
        box = (
            max(0.0, (x0 - left) / k),
            max(0.0, (y0 - top) / k),
            min(sw, (x1 - left) / k),
            min(sh, (y1 - top) / k),
        )
        region = self.still.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR, box=box)
        if region.size != self.size:
            canvas = Image.new("RGB", self.size, (0, 0, 0))
            canvas.paste(region, (x0, y0))
            region = canvas
        return from_image(region)


@lru_cache(maxsize=16)
def font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A DejaVu face; PIL's own font where the system has none, so a card always renders."""
    try:
        return ImageFont.truetype(FONT_DIR + name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def title_card(size: tuple[int, int], label: str, scene: str, action: str) -> np.ndarray:
    return from_image(title_image(size, label, scene, action))


def title_image(size: tuple[int, int], label: str, scene: str, action: str) -> Image.Image:
    """A dark card: the shot label large, the scene under it, the action wrapped below."""
    width, height = size
    short = min(width, height)
    card = Image.new("RGB", size, CARD_BACKGROUND)
    draw = ImageDraw.Draw(card)
    label_font = font("DejaVuSans-Bold.ttf", max(12, short // 6))
    small_font = font("DejaVuSans.ttf", max(10, short // 26))
    body_font = font("DejaVuSans.ttf", max(10, short // 20))
    draw.text((width / 2, height * 0.30), label, font=label_font, anchor="mm", fill=(240, 240, 240))
    draw.text((width / 2, height * 0.44), scene, font=small_font, anchor="mm", fill=(150, 150, 160))
    # Characters per line from the face's average advance, so 9:16 and 16:9 both wrap well.
    advance = max(1.0, draw.textlength("abcdefghij klmnopqrstuvwxyz", font=body_font) / 27)
    lines = textwrap.wrap(" ".join(action.split()), width=max(10, int(width * 0.8 / advance)))
    if len(lines) > 6:
        lines = [*lines[:5], lines[5].rstrip(".,;") + " …"]
    if lines:
        draw.multiline_text(
            (width / 2, height * 0.54),
            "\n".join(lines),
            font=body_font,
            anchor="ma",
            align="center",
            spacing=max(4, short // 80),
            fill=(215, 215, 220),
        )
    return card


def timecode(frame: int, fps: int) -> str:
    seconds, frames = divmod(frame, fps)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{frames:02d}"


class BurnIn:
    """Shot label, scene number and the cut's running timecode, small in the top-left corner:
    white text on a dimmed box, blended straight into the YUV planes (a grey plate has neutral
    chroma, so no colour conversion is needed)."""

    DIM = 0.6  # how dark the box under the text is

    def __init__(self, size: tuple[int, int], fps: int):
        self.size, self.fps = size, fps
        short = min(size)
        self.font = font("DejaVuSansMono.ttf", max(10, short // 34))
        self.pad = max(4, short // 90) // 2 * 2
        self.margin = max(8, short // 40) // 2 * 2

    def apply(self, picture: np.ndarray, text_before_timecode: str, frame: int) -> np.ndarray:
        text = f"{text_before_timecode}  {timecode(frame, self.fps)}"
        _, _, right, bottom = self.font.getbbox(text)
        width, height = self.size
        plate_w = min(width - self.margin, right + 2 * self.pad) // 2 * 2
        plate_h = min(height - self.margin, bottom + 2 * self.pad) // 2 * 2
        mask = Image.new("L", (plate_w, plate_h), 0)
        ImageDraw.Draw(mask).text((self.pad, self.pad), text, font=self.font, fill=255)
        ink = np.asarray(mask, dtype=np.float32) / 255
        picture = picture.copy()
        y_plane, u_plane, v_plane = planes(picture, self.size)
        m = self.margin
        luma = y_plane[m : m + plate_h, m : m + plate_w].astype(np.float32)
        luma = luma * (1 - self.DIM) + BLACK_Y * self.DIM
        y_plane[m : m + plate_h, m : m + plate_w] = luma * (1 - ink) + 235 * ink
        # The box and the text are grey: both only pull the colour towards neutral. Chroma is
        # half size, so it takes the ink averaged over each 2x2 block.
        ch, cw, c = plate_h // 2, plate_w // 2, m // 2
        ink = ink.reshape(ch, 2, cw, 2).mean(axis=(1, 3))
        keep = (1 - self.DIM) * (1 - ink)
        for plane in (u_plane, v_plane):
            region = plane[c : c + ch, c : c + cw].astype(np.float32)
            plane[c : c + ch, c : c + cw] = region * keep + NEUTRAL_UV * (1 - keep)
        return picture
