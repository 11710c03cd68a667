"""A screenplay file as uploaded (a name and its bytes) into a `Screenplay`, or a clear refusal."""

from __future__ import annotations

import re

from .fdx import parse_fdx
from .fountain import parse_fountain
from .script import Screenplay, ScreenplayError

MAX_BYTES = 2 * 1024 * 1024
FOUNTAIN_EXTENSIONS = (".fountain", ".spmd", ".txt")
FDX_EXTENSIONS = (".fdx",)
EXTENSIONS = FOUNTAIN_EXTENSIONS + FDX_EXTENSIONS
# Text never holds these; a file that does is a PDF, a Word file, an image...
BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1b]")


def read_screenplay(name: str, data: bytes) -> Screenplay:
    """Parse an uploaded file by its extension; ScreenplayError says what is wrong."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise ScreenplayError(
            "Choose a Fountain file (.fountain, .spmd or .txt) or a Final Draft file (.fdx)."
        )
    if len(data) > MAX_BYTES:
        raise ScreenplayError(
            f"This file is {len(data) / 1024 / 1024:.1f} MB; screenplays up to "
            f"{MAX_BYTES // 1024 // 1024} MB can be imported."
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ScreenplayError("This file is empty.")
    if extension in FDX_EXTENSIONS:
        return parse_fdx(data)
    return parse_fountain(decode(data, fallback=extension == ".fountain"))


def decode(data: bytes, *, fallback: bool) -> str:
    """UTF-8 (with or without a byte order mark). A .fountain file that is not UTF-8 is taken
    as Windows-1252, then Latin-1: older writing apps on Windows save those."""
    if binary := BINARY.search(data):
        raise ScreenplayError(
            "this is not a text file (it holds binary data). Export the script as "
            "Fountain or Final Draft (.fdx).",
            line=data.count(b"\n", 0, binary.start()) + 1,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if not fallback:
            raise ScreenplayError(
                "this file is not UTF-8 text. Save it as UTF-8, or name it .fountain.",
                line=data.count(b"\n", 0, error.start) + 1,
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
