"""Hero-frame candidates (Hero Frame First): ask a still model for a few, choose one.

Each candidate is a take of kind "frame", made through the same path as a video take
(services.takes.add_take): a frozen snapshot, its worst-case price held against the project,
scene, member and provider caps, the approval threshold, the same submit task after commit.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from projects.images import ALLOWED_FORMATS, CleanImage, clean_uploaded_image
from projects.models import FINISHED_TAKE_STATES, Shot, Take, TakeEvent, TakeKind, TakeState
from projects.selectors.frames import (
    CHOSEN_PREFIX,
    MAX_CANDIDATES,
    frame_snapshot,
    frame_takes,
    still_unavailable_reason,
)
from projects.selectors.snapshots import same_request
from projects.services.money import BudgetExceeded
from projects.services.shot_media import shot_set_hero_frame
from projects.services.takes import add_take, next_number
from projects.services.work import enqueue_submit


def frames_request(*, shot: Shot, user, model: str, count: int = 1) -> list[Take]:
    """`count` candidates of the shot's hero frame on still model `model`, all or none."""
    if not 1 <= count <= MAX_CANDIDATES:
        raise ValidationError(f"Ask for 1 to {MAX_CANDIDATES} candidates at a time.")
    reason = still_unavailable_reason(model)
    if reason:
        raise ValidationError(reason)
    snapshot = frame_snapshot(shot, model)
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    for _ in range(3):
        try:
            with transaction.atomic():
                # As services.takes: a double click waits for the first click's candidates,
                # then finds them in flight and is refused.
                Shot.objects.select_for_update().filter(pk=shot.pk).first()
                _refuse_same_in_flight(shot, snapshot)
                first = next_number(shot)
                takes = [
                    add_take(shot, user, snapshot, number=first + i, lease=lease)
                    for i in range(count)
                ]
            break
        except IntegrityError:
            continue  # a video take took the same number at once: count again
        except BudgetExceeded as error:
            raise ValidationError(f"No candidates were asked for: {error}") from None
    else:
        raise ValidationError("Too many takes were requested at once; try again.")
    for take in takes:
        if take.state == TakeState.QUEUED:
            enqueue_submit(take.pk)
    return takes


def _refuse_same_in_flight(shot: Shot, snapshot: dict) -> None:
    # Only candidates still being made: asking again once they are done is how a filmmaker
    # gets more to choose from (each candidate is drawn fresh).
    busy = [
        take.number
        for take in frame_takes(shot).exclude(state__in=FINISHED_TAKE_STATES).order_by("number")
        if same_request(take, snapshot)
    ]
    if busy:
        numbers = ", ".join(str(n) for n in busy)
        raise ValidationError(
            f"Candidates with exactly this request are already being made (take {numbers}): "
            "wait for them, or change the shot first."
        )


def clean_still(data: bytes) -> CleanImage:
    """A still a provider made, checked and re-encoded exactly as an uploaded hero frame is
    (projects.images): whatever the provider sent, only the picture is kept."""
    try:
        with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as image:
            found = image.format
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError("The image is not a JPEG, PNG or WebP image we can read.") from None
    extension = sorted(ALLOWED_FORMATS[found])[0]
    return clean_uploaded_image(ContentFile(data, name=f"still.{extension}"))


def frame_choose(*, take: Take, user) -> Shot:
    """Make a ready candidate the shot's hero frame, validated and re-encoded like an upload."""
    if take.kind != TakeKind.FRAME or take.state != TakeState.SUCCEEDED or not take.still:
        raise ValidationError("Only a ready hero-frame candidate can become the hero frame.")
    try:
        with take.still.open("rb") as handle:
            data = handle.read()
        image = clean_still(data)
    except OSError:
        raise ValidationError(
            f"The image of take {take.number} could not be read from storage; "
            "generate new candidates."
        ) from None
    except ValidationError as error:
        raise ValidationError(
            f"Take {take.number} cannot become the hero frame: {' '.join(error.messages)}"
        ) from None
    shot = take.shot
    who = user.get_username() if user else "the studio"
    with transaction.atomic():
        shot_set_hero_frame(shot=shot, image=image)
        TakeEvent.objects.create(
            take=take,
            state=take.state,
            message=f"{CHOSEN_PREFIX}{shot.hero_frame.name} (by {who})",
        )
    return shot
