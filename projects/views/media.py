"""Private media with byte ranges, so a video can be scrubbed without downloading it whole."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
CHUNK = 1 << 16
MAX_DIGITS = 18  # 10^18 bytes is an exabyte: more digits can only mean "past the end"
BEYOND_ANY_FILE = 10**MAX_DIGITS


def ranged_file_response(request: HttpRequest, field_file, content_type: str) -> HttpResponse:
    try:
        handle = field_file.open("rb")
        size = field_file.size
    except FileNotFoundError:
        raise Http404("No such file.") from None
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        response = FileResponse(handle, content_type=content_type)
    else:
        first, last = (_position(text) for text in match.groups())
        if first is not None:
            start = first
            end = min(last, size - 1) if last is not None else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(0, size - last), size - 1
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        response = FileResponse(
            _read(handle, end - start + 1), content_type=content_type, status=206
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _position(text: str) -> int | None:
    """A byte position from the header; past any file when it has more digits than a file
    size can (int() refuses thousands of digits, and a number that long is past the end)."""
    if not text:
        return None
    return int(text) if len(text) <= MAX_DIGITS else BEYOND_ANY_FILE


def _read(handle, remaining: int):
    try:
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()
