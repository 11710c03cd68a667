"""Hero frames and reference images: validate hostile uploads, then re-encode them fresh.

Why re-encode: a file that merely *opens* as an image can still carry a polyglot payload or
GPS metadata. Decoding to pixels and saving a new JPEG keeps only the picture.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": {"jpg", "jpeg"}, "PNG": {"png"}, "WEBP": {"webp"}}
THUMBNAIL_SIZE = (480, 480)
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"


@dataclass(frozen=True)
class CleanImage:
    full: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def human_size(size: int) -> str:
    """1048576 -> "1 MB", 1572864 -> "1.5 MB", 512000 -> "500 KB"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def _reject(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_image")


def clean_uploaded_image(upload) -> CleanImage:
    """Check an uploaded file and return re-encoded full-size and thumbnail JPEGs.

    Raises ValidationError with a message meant for the filmmaker for every bad input.
    """
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        raise _reject(
            f"This file is larger than {human_size(max_bytes)}. Please upload a smaller image."
        )
    if extension == "svg" or extension == "svgz":
        raise _reject("SVG files are not accepted. Upload a JPEG, PNG or WebP image.")
    if extension not in {ext for exts in ALLOWED_FORMATS.values() for ext in exts}:
        raise _reject("Upload a JPEG, PNG or WebP image (.jpg, .png or .webp).")

    upload.seek(0)
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 1x and 2x MAX_IMAGE_PIXELS; we want a hard stop.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
            width, height = image.size
            _check_dimensions(width, height)
            if extension not in ALLOWED_FORMATS[image.format]:
                raise _reject(
                    f"This file is a {image.format} image but is named .{extension}. "
                    "Rename it or export it again."
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _reject(_too_many_pixels_message()) from None
    except UnidentifiedImageError:
        raise _reject("This file is not a JPEG, PNG or WebP image we can read.") from None
    except (OSError, SyntaxError, ValueError):
        raise _reject("This image is damaged or incomplete. Export it again and retry.") from None

    return _reencode(image, base=name.rsplit(".", 1)[0] or "image")


def _too_many_pixels_message() -> str:
    megapixels = settings.IMAGE_MAX_PIXELS // 1_000_000
    return f"This image has too many pixels (the limit is {megapixels} megapixels)."


def _check_dimensions(width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise _reject(_too_many_pixels_message())
    if max(width, height) > settings.IMAGE_MAX_SIDE:
        raise _reject(f"Images may be at most {settings.IMAGE_MAX_SIDE} pixels on a side.")
    if min(width, height) < 16:
        raise _reject("This image is too small to use as a frame (at least 16 pixels a side).")


def _reencode(image: Image.Image, *, base: str) -> CleanImage:
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (0, 0, 0))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image = image.convert("RGB")
    full = io.BytesIO()
    image.save(full, "JPEG", quality=92, optimize=True)
    thumb_image = image.copy()
    thumb_image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    thumb = io.BytesIO()
    thumb_image.save(thumb, "JPEG", quality=85, optimize=True)
    return CleanImage(
        full=ContentFile(full.getvalue(), name="frame.jpg"),
        thumbnail=ContentFile(thumb.getvalue(), name="thumb.jpg"),
        width=image.width,
        height=image.height,
    )
