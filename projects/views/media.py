"""Private media with byte ranges, so a video can be scrubbed without downloading it whole.

Every caller has checked who may see the file. Media on disk is streamed from here. Media in
object storage (studio/storage.py) is a redirect to a signed link that works for a short while:
the bucket answers byte ranges itself (seeking a take costs the web process nothing), a video
never ties up a web worker, and the file comes from another origin, so nothing in it can script
the studio's pages. The cost: a link, once handed out, works until it expires (an hour by
default, MEDIA_LINK_SECONDS), even for someone removed from the project meanwhile.
"""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
CHUNK = 1 << 16
MAX_DIGITS = 18  # 10^18 bytes is an exabyte: more digits can only mean "past the end"
BEYOND_ANY_FILE = 10**MAX_DIGITS


def ranged_file_response(
    request: HttpRequest, field_file, content_type: str, *, download_name: str | None = None
) -> HttpResponse:
    """The file, or the byte range asked for; saved as `download_name` when one is given."""
    redirect = signed_redirect(field_file, content_type, download_name=download_name)
    if redirect is not None:
        return redirect
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
    if download_name:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=download_name
        )
    return response


def signed_redirect(
    field_file, content_type: str, *, download_name: str | None = None
) -> HttpResponse | None:
    """A redirect to a signed link when the file's storage makes them, else None (stream it)."""
    storage = field_file.storage
    if not hasattr(storage, "signed_link"):
        return None
    link = storage.signed_link(
        field_file.name, content_type=content_type, download_name=download_name
    )
    response = HttpResponseRedirect(link)
    # The browser may reuse the redirect while the link has life left (board thumbnails load
    # once, not on every page); review links override this with no-store.
    response["Cache-Control"] = f"private, max-age={storage.link_cache_seconds}"
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
