"""Pictures as the encoder takes them: yuv420p planes, a full-size luma (Y) and two quarter-size
chroma planes (U, V), each a Pillow "L" image.

The renderer films the still in these planes rather than in RGB: resampling three single-byte
planes (1.5 bytes a pixel) costs about a third of resampling RGB (Pillow keeps RGB as 4 bytes a
pixel), and no frame is converted RGB -> YUV on its way to libx264. Resampling and blending are
linear, and so is the colour conversion, so filming the converted still gives the same frames as
converting the filmed still, to within rounding.

The conversion is the one libswscale makes by default (and so the one PyAV and the ffmpeg
command line made of our RGB frames before): BT.601 coefficients, limited (TV) range.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np
from PIL import Image

# BT.601, limited range: Y in 16..235, U and V in 16..240 around 128.
_TO_YUV = np.array(
    [
        [65.481, 128.553, 24.966],
        [-37.797, -74.203, 112.0],
        [112.0, -93.786, -18.214],
    ],
    dtype=np.float32,
).T / np.float32(255)
_OFFSET = np.array([16.0, 128.0, 128.0], dtype=np.float32)
# The same as a Pillow conversion matrix (a row per output band: R, G, B weights, offset), which
# converts a whole still in C without a float copy of it.
_PILLOW_MATRIX = tuple(
    float(value) for band in range(3) for value in (*_TO_YUV[:, band], _OFFSET[band])
)


@dataclass(frozen=True)
class Planes:
    """One yuv420p picture: y is (w, h); u and v are (ceil(w / 2), ceil(h / 2))."""

    y: Image.Image
    u: Image.Image
    v: Image.Image

    @property
    def size(self) -> tuple[int, int]:
        return self.y.size

    def copy(self) -> Planes:
        return Planes(self.y.copy(), self.u.copy(), self.v.copy())


def yuv_planes(rgb: Image.Image) -> Planes:
    """Converted once per still, never per frame; chroma is the mean of each 2x2 block."""
    y, u, v = rgb.convert("RGB").convert("RGB", matrix=_PILLOW_MATRIX).split()
    return Planes(y, u.reduce(2), v.reduce(2))


def plate_planes(rgba: Image.Image) -> tuple[Planes, Image.Image, Image.Image]:
    """(colour, luma mask, chroma mask) of a translucent overlay, for `Image.paste` with a mask.

    Each chroma sample covers four pixels: its mask is their mean opacity, its colour their
    opacity-weighted mean, so a plate's soft edge blends as it did when drawn in RGB."""
    pixels = np.asarray(rgba.convert("RGBA"), dtype=np.float32)
    alpha = pixels[..., 3] / 255
    y, u, v = _yuv_arrays(pixels[..., :3])
    weight = _halve(alpha)
    safe = np.maximum(weight, 1e-6)
    u_mean, v_mean = _halve(u * alpha) / safe, _halve(v * alpha) / safe
    u_mean[weight == 0] = 128
    v_mean[weight == 0] = 128
    colour = Planes(_to_image(y), _to_image(u_mean), _to_image(v_mean))
    return colour, _to_image(alpha * 255), _to_image(weight * 255)


def blend(a: Planes, b: Planes, amount: float) -> Planes:
    return Planes(*(Image.blend(p, q, amount) for p, q in zip(_parts(a), _parts(b), strict=True)))


def video_frame(planes: Planes) -> av.VideoFrame:
    """The planes copied straight into a frame's own (row-padded) buffers."""
    width, height = planes.size
    if width % 2 or height % 2:
        raise ValueError(f"yuv420p needs an even frame size, not {width}x{height}.")
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane, image in zip(frame.planes, _parts(planes), strict=True):
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
        rows[:, : plane.width] = np.asarray(image)
    return frame


def _parts(planes: Planes) -> tuple[Image.Image, Image.Image, Image.Image]:
    return planes.y, planes.u, planes.v


def _yuv_arrays(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    yuv = rgb @ _TO_YUV + _OFFSET
    return yuv[..., 0], yuv[..., 1], yuv[..., 2]


def _halve(plane: np.ndarray) -> np.ndarray:
    """The mean of each 2x2 block; an odd last row or column is repeated to fill its block."""
    height, width = plane.shape
    if height % 2 or width % 2:
        plane = np.pad(plane, ((0, height % 2), (0, width % 2)), mode="edge")
    return (plane[0::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 0::2] + plane[1::2, 1::2]) / 4


def _to_image(plane: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(plane), 0, 255).astype(np.uint8))
