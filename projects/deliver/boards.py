"""Boards on paper: the shots as storyboard panels, 1, 3 or 6 to a page, as a PDF.

Made with WeasyPrint from an HTML page the Django template engine renders with autoescape on,
so whatever a filmmaker typed prints as text. WeasyPrint fetches nothing on its own: the one
fetcher it gets serves the frames of these panels, read up front through `read_media`, under
"studio-media:" URLs, and refuses every other URL (no network, no local files).
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.template.loader import render_to_string
from PIL import Image, ImageFile, UnidentifiedImageError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import DeliveryError

# Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; uploads
# must go on refusing truncated images (projects/images.py), so it is turned back off here,
# where the one import is. Our frames are whole (re-encoded on upload), so WeasyPrint needs it
# for nothing. tests/deliver/test_boards.py checks it stays off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

logger = logging.getLogger(__name__)

MEDIA_SCHEME = "studio-media:"
PER_PAGE_CHOICES = (1, 3, 6)
# Formats a stored frame or poster may be in (uploads and posters are re-encoded to these).
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}

# Where a frame may sit in each layout, in millimetres on an A4 landscape page: the frame is
# as large as fits this box at the shot's own aspect ratio.
FRAME_BOX_MM = {1: (273.0, 118.0), 3: (96.0, 52.0), 6: (85.0, 47.0)}
# How much text each layout has room for; longer text ends in "…" instead of running off the
# panel (every panel has a fixed size, so a page always holds exactly `per_page` panels).
TEXT_ROOM = {
    1: {"action": 700, "dialogue": 500, "notes": 400},
    3: {"action": 260, "dialogue": 200, "notes": 140},
    6: {"action": 110, "dialogue": 90, "notes": 60},
}


@dataclass(frozen=True)
class Panel:
    """One shot as a storyboard panel prints it: plain values, built by
    projects.selectors.boards from the board."""

    shot_id: int
    label: str
    scene_number: int
    scene_title: str
    aspect_ratio: str = "16:9"
    # Storage name of the picture in the frame: the circled take's poster, else the hero
    # frame; "" when the shot has neither ("No frame yet").
    image: str = ""
    image_caption: str = ""  # where the picture comes from: "Take 3 poster", "Hero frame"
    subject: str = ""
    action: str = ""
    dialogue: str = ""
    framing: str = ""  # "Medium shot · Eye level · 35 mm"
    camera: str = "static"  # the move in words
    duration_seconds: float = 0
    notes: str = ""
    approval: str = "Not circled"  # "Approved by X" / "Circled: take N" / "Not circled"


class MediaOnlyFetcher(URLFetcher):
    """Serves the given "studio-media:" URLs from memory and refuses everything else.

    `asked` keeps every URL WeasyPrint asked for, served or not: what a test (or a log)
    checks to see that user text never made the renderer reach out."""

    def __init__(self, media: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=(), fail_on_errors=False)
        self.media = media or {}
        self.asked: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        self.asked.append(url)
        logger.debug("Printing asked for %r.", url)
        if url in self.media:
            body, content_type = self.media[url]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        # WeasyPrint logs the refusal and draws nothing in its place.
        logger.warning("Refused to fetch %r while printing: only studio media is served.", url)
        raise ValueError(f"Refused to fetch {url!r}: only studio media is printed.")


def media_url(name: str) -> str:
    return MEDIA_SCHEME + quote(name, safe="/")


def html_to_pdf(html: str, fetcher: MediaOnlyFetcher | None = None) -> bytes:
    """The one way a page becomes a PDF here: no base URL, only our fetcher."""
    return HTML(string=html, url_fetcher=fetcher or MediaOnlyFetcher()).write_pdf()


def boards_pdf(
    panels: Sequence[Panel],
    *,
    project_name: str,
    scene_title: str = "",
    per_page: int = 3,
    read_media: Callable[[str], bytes],
) -> bytes:
    """The storyboard as a PDF: `per_page` panels a page (1 large, 3 as rows, 6 as a grid),
    each scene starting on a new page, the project and scene at the top of every page."""
    if per_page not in PER_PAGE_CHOICES:
        choices = ", ".join(str(choice) for choice in PER_PAGE_CHOICES)
        raise DeliveryError(f"Boards print {choices} panels a page, not {per_page}.")
    if not panels:
        raise DeliveryError("There are no shots to print yet: add shots to the board first.")
    media = _read_frames({panel.image for panel in panels if panel.image}, read_media)
    pages = [
        {
            "scene": scene_title or _scene_heading(chunk),
            "panels": [_panel_view(panel, per_page, media) for panel in chunk],
        }
        for chunk in _pages(panels, per_page)
    ]
    html = render_to_string(
        "deliver/board.html",
        {
            "project_name": project_name,
            "pages": pages,
            "per_page": per_page,
            "room": TEXT_ROOM[per_page],
        },
    )
    return html_to_pdf(html, MediaOnlyFetcher(media))


def _pages(panels: Sequence[Panel], per_page: int) -> Iterable[list[Panel]]:
    """Panels in groups of `per_page`; a new scene starts a new page, as boards are handed
    out scene by scene."""
    chunk: list[Panel] = []
    for panel in panels:
        if chunk and (len(chunk) == per_page or chunk[-1].scene_number != panel.scene_number):
            yield chunk
            chunk = []
        chunk.append(panel)
    if chunk:
        yield chunk


def _scene_heading(chunk: list[Panel]) -> str:
    first = chunk[0]
    return f"Scene {first.scene_number}: {first.scene_title}"


def _read_frames(
    names: set[str], read_media: Callable[[str], bytes]
) -> dict[str, tuple[bytes, str]]:
    """Each frame's bytes and type by its URL; a frame that cannot be read or is not a picture
    is left out, and its panel says so, instead of losing the whole board."""
    media = {}
    for name in sorted(names):
        try:
            body = read_media(name)
            with Image.open(io.BytesIO(body)) as image:
                kind = IMAGE_TYPES.get(image.format or "")
                image.verify()
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            logger.warning("Could not read the frame %r for the boards.", name, exc_info=True)
            continue
        if kind is None:
            logger.warning("The frame %r is not a JPEG, PNG, WebP or GIF.", name)
            continue
        media[media_url(name)] = (body, kind)
    return media


def _panel_view(panel: Panel, per_page: int, media: dict[str, tuple[bytes, str]]) -> dict:
    width, height = _frame_size(panel.aspect_ratio, FRAME_BOX_MM[per_page])
    url = media_url(panel.image) if panel.image else ""
    if url and url not in media:
        missing = "Frame missing"
    elif not url:
        missing = "No frame yet"
    else:
        missing = ""
    return {
        "panel": panel,
        "image_url": url if not missing else "",
        "missing": missing,
        "width_mm": f"{width:.1f}",
        "height_mm": f"{height:.1f}",
        "text_top_mm": f"{max(height / 2 - 2.5, 0):.1f}",  # "No frame yet" in the middle
        "duration": _seconds(panel.duration_seconds),
        "approved": panel.approval.startswith("Approved"),
    }


def _frame_size(aspect_ratio: str, box: tuple[float, float]) -> tuple[float, float]:
    """The largest frame of this aspect ratio ("16:9") that fits the box."""
    across, down = _ratio(aspect_ratio)
    scale = min(box[0] / across, box[1] / down)
    return across * scale, down * scale


def _ratio(aspect_ratio: str) -> tuple[float, float]:
    try:
        across, down = (float(part) for part in aspect_ratio.split(":"))
    except ValueError:
        return 16.0, 9.0
    if not (math.isfinite(across) and math.isfinite(down)) or across <= 0 or down <= 0:
        return 16.0, 9.0
    return across, down


def _seconds(value: float) -> str:
    return f"{value:g} s"
