"""Saving a finished take's video: fetch, probe, poster and thumbnail; a result the provider made
but that could not be saved is "result lost" (billed, and may be fetched again).

The fetch works in a private scratch folder (the adapter and the prober need a local file) and
the results go into media through the storage API, so media may live in object storage and the
worker on another machine. One fetch per take at a time is a lease in the database, not a lock
on a shared disk."""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from projects.models import Take, TakeKind, TakeState
from projects.pipeline.follow import MAX_POLL_ERRORS
from projects.pipeline.submit import STORED_RESULT, error_fields
from projects.registry import (
    provider_by_slug,
)
from projects.services.frames import clean_still
from projects.services.take_states import move, note
from providers.core.base import (
    ProviderError,
    Transient,
)
from providers.core.http import backoff
from providers.core.media import InvalidVideo, extract_poster, probe

# Long enough for a 1 GB fetch on a slow link; a dead worker's claim runs out after this, and
# the sweeper's next wake-up fetches again. A live fetch that overruns it is still safe: the
# move to "succeeded" is a compare-and-swap, and the copy that loses deletes what it saved.
DOWNLOAD_CLAIM_SECONDS = 15 * 60

# Take fields -> the file in the scratch folder and the suffix of its stored name.
SAVED_FILES = (
    ("video", "video.mp4", ".mp4"),
    ("poster", "poster.jpg", "-poster.jpg"),
    ("thumbnail", "thumb.jpg", "-thumb.jpg"),
)


# --- download -------------------------------------------------------------------------------
def take_download(take_id: int) -> None:
    """Fetch the result into media storage right away (provider URLs expire). Safe to repeat."""
    claim = _claim(take_id)
    if claim is None:
        return  # not saving, or another copy (a redelivery, a sweep) is fetching it now
    try:
        take = Take.objects.get(pk=take_id)
        if take.state == TakeState.DOWNLOADING:
            _fetch(take)
    except Exception:
        # A crash, not a provider's answer: woken again after the short lease, not the claim.
        retry = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
        Take.objects.filter(pk=take_id, download_claimed_until=claim).update(next_poll_at=retry)
        raise
    finally:
        # Only our own claim: one that ran out and was taken over belongs to the other copy.
        Take.objects.filter(pk=take_id, download_claimed_until=claim).update(
            download_claimed_until=None
        )


def _claim(take_id: int) -> datetime | None:
    """Claim the take's fetch for DOWNLOAD_CLAIM_SECONDS in one conditional UPDATE; the claim's
    end is its token. None when the take is not being saved or someone else holds it.

    The sweeper's next wake-up moves to the claim's end too: a long fetch is not sent again
    while it runs, and a dead worker's is sent again when its claim runs out."""
    now = timezone.now()
    until = now + timedelta(seconds=DOWNLOAD_CLAIM_SECONDS)
    free = Q(download_claimed_until__isnull=True) | Q(download_claimed_until__lte=now)
    claimed = Take.objects.filter(free, pk=take_id, state=TakeState.DOWNLOADING).update(
        download_claimed_until=until, next_poll_at=until
    )
    return until if claimed else None


def _fetch(take: Take) -> None:
    if take.kind == TakeKind.FRAME:
        _fetch_still(take)
        return
    if not take.result_url:
        _result_lost(take, "The provider reported the video finished but gave no link to it.")
        return
    provider = provider_by_slug(take.provider)
    with tempfile.TemporaryDirectory(prefix=f"take-{take.pk}-download-") as scratch:
        local = {field: os.path.join(scratch, file) for field, file, _ in SAVED_FILES}
        try:
            size = provider.download(
                take.result_url, local["video"], max_bytes=settings.TAKE_MAX_VIDEO_BYTES
            )
            info = probe(local["video"])
            extract_poster(local["video"], local["poster"], local["thumbnail"])
        except Transient as error:
            _download_later(take, error)
            return
        except (ProviderError, InvalidVideo, OSError) as error:
            # Expired or refused link, over the size cap, not a video we can read: the provider
            # made it and billed it, so this is a lost result, not a failed generation.
            _result_lost(take, error)
            return
        try:
            names = _store(take, local)
        except OSError as error:
            _result_lost(take, error)
            return
    _succeed(
        take,
        names,
        duration_seconds=info.duration_seconds,
        fps=info.fps or None,
        width=info.width,
        height=info.height,
        file_size=size,
    )


def _succeed(take: Take, names: dict[str, str], leftovers: tuple[str, ...] = (), **measures):
    """The take is saved: move it on with its stored files' names and what was measured.
    Files no one needs afterwards are deleted once that commits: an earlier save's (a fetch
    again replaces them) and `leftovers`; if another copy saved it first, ours go instead."""
    before = Take.objects.filter(pk=take.pk).values_list(*names).first() or ()
    if not move(
        take.pk,
        TakeState.DOWNLOADING,
        TakeState.SUCCEEDED,
        **names,
        **measures,
        download_claimed_until=None,
        progress=100,
    ):
        _delete(names.values())  # another copy saved it first (or it was fetched away)
        return
    old = [name for name in before if name and name not in names.values()] + list(leftovers)
    if old:
        transaction.on_commit(lambda: _delete(old))


def _fetch_still(take: Take) -> None:
    """A frame take's result is an image: checked and re-encoded exactly as an uploaded hero
    frame is, then saved as the take's still and its thumbnail."""
    if not take.result_url:
        _result_lost(take, "The provider reported the image finished but gave no link to it.")
        return
    try:
        data = _still_bytes(take)
        image = clean_still(data)
    except Transient as error:
        _download_later(take, error)
        return
    except (ProviderError, OSError) as error:
        _result_lost(take, error)
        return
    except ValidationError as error:
        _result_lost(take, "The provider's image could not be used: " + " ".join(error.messages))
        return
    base = _new_base_name(take)
    names: dict[str, str] = {}
    try:
        names["still"] = _storage().save(base + "-still.jpg", image.full)
        names["thumbnail"] = _storage().save(base + "-thumb.jpg", image.thumbnail)
    except OSError as error:
        _delete(names.values())
        _result_lost(take, error)
        return
    # The provider's answer, kept in storage until it was saved: no one's afterwards.
    stored = take.result_url.startswith(STORED_RESULT)
    _succeed(
        take,
        names,
        (take.result_url.removeprefix(STORED_RESULT),) if stored else (),
        width=image.width,
        height=image.height,
        file_size=image.full.size,
    )


def _still_bytes(take: Take) -> bytes:
    """The result's bytes: from storage when the provider answered with them, else fetched
    from its link (at most the size of an upload)."""
    if take.result_url.startswith(STORED_RESULT):
        with _storage().open(take.result_url.removeprefix(STORED_RESULT), "rb") as handle:
            return handle.read(settings.IMAGE_UPLOAD_MAX_BYTES + 1)
    provider = provider_by_slug(take.provider)
    with tempfile.TemporaryDirectory(prefix=f"take-{take.pk}-download-") as scratch:
        local = os.path.join(scratch, "still")
        provider.download(take.result_url, local, max_bytes=settings.IMAGE_UPLOAD_MAX_BYTES)
        with open(local, "rb") as handle:
            return handle.read()


def _store(take: Take, local: dict[str, str]) -> dict[str, str]:
    """Save the scratch files into the take's storage under names the server makes (random, so
    a second fetch never overwrites a file someone is watching); return field -> stored name.
    On a failure part-way, what was saved is deleted again."""
    base = _new_base_name(take)
    names: dict[str, str] = {}
    try:
        for field, _, suffix in SAVED_FILES:
            with open(local[field], "rb") as handle:
                names[field] = _storage().save(base + suffix, File(handle))
    except BaseException:
        _delete(names.values())
        raise
    return names


def _new_base_name(take: Take) -> str:
    # Random, so a second fetch never overwrites a file someone is watching.
    return f"takes/{take.project_id}/take-{take.pk}-{secrets.token_hex(4)}"


def _storage():
    # The video, poster and thumbnail fields share one storage (the default one).
    return Take._meta.get_field("video").storage


def _delete(names) -> None:
    for name in names:
        _storage().delete(name)


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
    fields["download_claimed_until"] = None  # free at once for a fetch again
    move(take.pk, TakeState.DOWNLOADING, TakeState.RESULT_LOST, **fields)
