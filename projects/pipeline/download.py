"""Saving a finished take's video: fetch, probe, poster and thumbnail; a result the provider made
but that could not be saved is "result lost" (billed, and may be fetched again)."""

from __future__ import annotations

import fcntl
import os
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline.follow import MAX_POLL_ERRORS
from projects.pipeline.submit import error_fields
from projects.registry import (
    provider_by_slug,
)
from projects.services.take_states import move, note
from providers.core.base import (
    ProviderError,
    Transient,
)
from providers.core.http import backoff
from providers.core.media import InvalidVideo, extract_poster, probe


# --- download -------------------------------------------------------------------------------
def take_download(take_id: int) -> None:
    """Fetch the result into media storage right away (provider URLs expire). Safe to repeat."""
    take = Take.objects.filter(pk=take_id, state=TakeState.DOWNLOADING).first()
    if take is None:
        return
    folder = Path(settings.MEDIA_ROOT) / "takes" / str(take.project_id)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"take-{take.pk}.lock", "a") as lock:
        # One fetch per take at a time: a second copy (a redelivery, a sweep) steps aside; the
        # kernel drops the lock if the worker dies, so the next sweep can try again.
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        take.refresh_from_db()
        if take.state == TakeState.DOWNLOADING:
            _fetch(take, folder)


def _fetch(take: Take, folder: Path) -> None:
    take_id = take.pk
    if not take.result_url:
        _result_lost(take, "The provider reported the video finished but gave no link to it.")
        return
    provider = provider_by_slug(take.provider)
    final = folder / f"take-{take.pk}.mp4"
    partial = folder / f"take-{take.pk}-{uuid.uuid4().hex[:8]}.mp4.part"
    try:
        size = provider.download(
            take.result_url, str(partial), max_bytes=settings.TAKE_MAX_VIDEO_BYTES
        )
        info = probe(str(partial))
        os.replace(partial, final)
        poster = folder / f"take-{take.pk}-poster.jpg"
        thumb = folder / f"take-{take.pk}-thumb.jpg"
        extract_poster(str(final), str(poster), str(thumb))
    except Transient as error:
        partial.unlink(missing_ok=True)
        _download_later(take, error)
        return
    except (ProviderError, InvalidVideo, OSError) as error:
        # Expired or refused link, over the size cap, not a video we can read: the provider
        # made it and billed it, so this is a lost result, not a failed generation.
        partial.unlink(missing_ok=True)
        _result_lost(take, error)
        return
    media = Path(settings.MEDIA_ROOT)
    move(
        take_id,
        TakeState.DOWNLOADING,
        TakeState.SUCCEEDED,
        video=str(final.relative_to(media)),
        poster=str(poster.relative_to(media)),
        thumbnail=str(thumb.relative_to(media)),
        duration_seconds=info.duration_seconds,
        width=info.width,
        height=info.height,
        file_size=size,
        progress=100,
    )


def _download_later(take: Take, error: ProviderError) -> None:
    """A hiccup while fetching: try again soon, while the provider's link is still valid."""
    if take.poll_errors + 1 >= MAX_POLL_ERRORS:
        _result_lost(take, error)
        return
    wait = error.retry_after or backoff(take.poll_errors + 1, first=2, cap=60)
    note(
        take.pk,
        TakeState.DOWNLOADING,
        f"Saving the video was interrupted, trying again in {wait:.0f} s: {error.message}",
        poll_errors=F("poll_errors") + 1,
        next_poll_at=timezone.now() + timedelta(seconds=wait),
    )


def _result_lost(take: Take, error: Exception | str) -> None:
    """The provider finished (and charged) but the studio has no video: settle the hold as
    spent and keep the take as "result lost", which can be fetched again while the provider's
    link may still work."""
    fields = error_fields(error) if isinstance(error, Exception) else {"error_message": error}
    fields["error_kind"] = "result_lost"
    move(take.pk, TakeState.DOWNLOADING, TakeState.RESULT_LOST, **fields)
