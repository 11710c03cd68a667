"""Making a deliverable on a worker: the animatic rendered to one MP4, or the editor package.

Like a take's download: the worker copies the media it needs from storage into a private
scratch folder (so media may live in object storage and the worker on another machine), makes
the file there and saves it back through the storage API. One worker at a time holds the job
by a lease in the database (services/deliverables.py); a copy of the task that finds it held
or finished steps aside, so running the task twice is safe."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from datetime import datetime

from django.core.files import File
from django.core.files.storage import default_storage

from projects.deliver.animatic import render_animatic
from projects.deliver.cut import TITLE, Cut
from projects.deliver.errors import DeliveryError
from projects.deliver.package import write_package
from projects.models import Deliverable, DeliverableKind, DeliverableState
from projects.selectors.cut import cut_of
from projects.services.deliverables import (
    deliverable_claim,
    deliverable_finish,
    deliverable_progress,
)

logger = logging.getLogger(__name__)


class ClaimLost(Exception):
    """Another worker took the job over (ours looked dead): stop, leave it to them."""


def deliverable_make(deliverable_id: int) -> None:
    claim = deliverable_claim(deliverable_id)
    if claim is None:
        return
    deliverable = Deliverable.objects.select_related("project", "scene").get(pk=deliverable_id)
    try:
        with tempfile.TemporaryDirectory(prefix="deliverable-") as scratch:
            _make(deliverable, claim, scratch)
    except ClaimLost:
        logger.info("deliverable %s: taken over by another worker", deliverable_id)
    except DeliveryError as error:
        deliverable_finish(deliverable_id, claim, error=str(error)[:500])
    except Exception:
        logger.exception("deliverable %s failed", deliverable_id)
        deliverable_finish(
            deliverable_id, claim, error="Something went wrong making this; try again."
        )


def cut_with_local_media(cut: Cut, folder: str) -> Cut:
    """The cut with each segment's media copied out of storage into `folder`."""
    os.makedirs(folder, exist_ok=True)
    segments = []
    for segment in cut.segments:
        if segment.source == TITLE:
            segments.append(segment)
            continue
        local = os.path.join(folder, segment.media_name)
        try:
            with default_storage.open(segment.media, "rb") as source, open(local, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        except OSError as error:
            raise DeliveryError(f"Shot {segment.label}: its media could not be read.") from error
        segments.append(dataclasses.replace(segment, path=local))
    return dataclasses.replace(cut, segments=tuple(segments))


def manifest_of(cut: Cut) -> list[dict]:
    """Which take or frame each segment came from, and where it sits on the cut."""
    return [
        {
            "shot": segment.shot_id,
            "label": segment.label,
            "scene": segment.scene_number,
            "source": segment.source,
            "take": segment.take_id,
            "take_number": segment.take_number,
            "start": round(start, 3),
            "duration": segment.duration,
            "media": segment.media_name,
        }
        for segment, start in zip(cut.segments, cut.starts(), strict=True)
    ]


def _make(deliverable: Deliverable, claim: datetime, scratch: str) -> None:
    cut = cut_of(deliverable.project, deliverable.scene)
    if not cut.segments:
        raise DeliveryError("There are no shots to put in it yet.")
    held = {"claim": claim}

    def on_progress(percent: int) -> None:
        renewed = deliverable_progress(deliverable.pk, held["claim"], percent)
        if renewed is None:
            raise ClaimLost
        held["claim"] = renewed

    local = cut_with_local_media(cut, os.path.join(scratch, "media"))
    out = os.path.join(scratch, "out")
    duration = None
    if deliverable.kind == DeliverableKind.ANIMATIC:
        options = deliverable.options
        result = render_animatic(
            local,
            out,
            resolution=options.get("resolution", "720p"),
            burn_in=options.get("burn_in", True),
            on_progress=on_progress,
        )
        duration, name = result.duration_seconds, "animatic.mp4"
    else:
        write_package(local, out, animatic_path=_latest_animatic(deliverable, scratch))
        name = "package.zip"
    _save(deliverable, held["claim"], out, name, cut, duration)


def _latest_animatic(deliverable: Deliverable, scratch: str) -> str | None:
    """The newest rendered animatic of the same scope goes into the package when there is one."""
    animatic = (
        Deliverable.objects.filter(
            project=deliverable.project_id,
            scene=deliverable.scene_id,
            kind=DeliverableKind.ANIMATIC,
            state=DeliverableState.READY,
        )
        .exclude(file="")
        .first()
    )
    if animatic is None:
        return None
    local = os.path.join(scratch, "animatic.mp4")
    try:
        with animatic.file.open("rb") as source, open(local, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except OSError:
        return None  # the package is still whole without it
    return local


def _save(
    deliverable: Deliverable,
    claim: datetime,
    path: str,
    name: str,
    cut: Cut,
    duration: float | None,
) -> None:
    with open(path, "rb") as handle:
        deliverable.file.save(name, File(handle), save=False)
    saved = deliverable_finish(
        deliverable.pk,
        claim,
        file=deliverable.file.name,
        file_size=os.path.getsize(path),
        duration_seconds=duration,
        manifest=manifest_of(cut),
    )
    if not saved:  # taken over while saving: the other copy's file is the one kept
        default_storage.delete(deliverable.file.name)
