"""Take -> GenerationRequest: what the adapter is sent, rebuilt from the take's snapshot."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import default_storage

from projects.models import Take
from projects.registry import webhook_url
from projects.selectors.continuations import is_draft, is_final_from_draft
from projects.selectors.snapshots import spec_from_dict
from providers.core.base import Continuation, GenerationRequest, InputImage

# Providers that read the callback address from each request (options["callback_url"]); the
# others with callbacks take it from their config (VIDEO_PROVIDERS' "WEBHOOKS").
CALLBACK_PER_REQUEST = ("kling",)


@contextmanager
def generation_request(take: Take) -> Iterator[GenerationRequest]:
    """The request for this take, its input images copied out of storage into a private
    scratch folder for the adapter to read, removed when the block ends.

    Copied rather than pointed at: media may live in object storage, with no local path, and
    adapters read their inputs during the call only (previz copies them into its job)."""
    with tempfile.TemporaryDirectory(prefix=f"take-{take.pk}-inputs-") as scratch:
        images = tuple(
            InputImage(
                path=_local_copy(image["name"], scratch, index),
                sha256=image["sha256"],
                role=image["role"],
            )
            for index, image in enumerate(take.input_images)
        )
        yield GenerationRequest(
            take_id=take.pk,
            model=take.model,
            prompt=take.prompt,
            params=take.params,
            spec=spec_from_dict(take.spec),
            images=images,
            options=request_options(take),
            request_key=str(take.request_key),
            continues=continuation(take, scratch),
        )


def continuation(take: Take, scratch: str) -> Continuation | None:
    """What this take carries on from at the provider: the clip it extends (its job, its link,
    a copy of our stored video for APIs that want the bytes, its length), or the draft task a
    final is made from (its id only: the draft holds the inputs)."""
    parent = take.extends
    if parent is not None:
        return Continuation(
            kind="extend",
            remote_id=parent.remote_id,
            result_url=parent.result_url,
            video_path=_local_copy(parent.video.name, scratch, "continues") if parent.video else "",
            duration_seconds=parent.duration_seconds,
        )
    if is_final_from_draft(take):
        return Continuation(kind="final_from_draft", remote_id=take.promoted_from.remote_id)
    return None


def _local_copy(name: str, scratch: str, index: int | str) -> str:
    # Our own file name (the extension kept: adapters tell JPEG from PNG by it).
    extension = os.path.splitext(name)[1].lower()
    path = os.path.join(scratch, f"input-{index}{extension}")
    with default_storage.open(name, "rb") as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    return path


def request_options(take: Take) -> dict:
    options: dict = {"burn_in": True}
    if is_draft(take):
        options["draft"] = True
    callback = webhook_url(take.provider)
    if callback:
        options["callback_url"] = callback
    return options


# A job whose provider calls back is polled this seldom, as a backstop for a lost callback:
# the callback's nudge (webhooks.follow_now) is what makes it prompt.
CALLBACK_BACKSTOP_SECONDS = 30.0


def calls_back(provider: str) -> bool:
    """Whether this provider's jobs are sent with our callback address, so it tells us when
    they change (polling is then only the backstop)."""
    takes_one = provider in CALLBACK_PER_REQUEST or bool(
        settings.VIDEO_PROVIDERS.get(provider, {}).get("WEBHOOKS")
    )
    return takes_one and bool(webhook_url(provider))
