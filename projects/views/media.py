"""Private media with byte ranges, so a video can be scrubbed without downloading it whole."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 1 << 16


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
        start_text, end_text = match.groups()
        if start_text:
            start = int(start_text)
            end = min(int(end_text), size - 1) if end_text else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(0, size - int(end_text)), size - 1
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
