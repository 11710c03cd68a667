"""previz-still: the local, free still model. One frame of what previz would draw for the shot
(its slate, at the shot's aspect ratio), so a studio with no keys can still make hero-frame
candidates and every test can run the frame pipeline end to end.

Answered synchronously: drawing one frame takes milliseconds, so `submit` returns the finished
JPEG in `Submitted.finished.inline_result` and no job is written. That is the same shape a
synchronous paid image API has (the pipeline stores the bytes at once), and a second submit of
the same take only draws the same free picture again.
"""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

from PIL import Image

from providers.core.base import GenerationRequest, Progress, Rejected, State, Submitted
from providers.previz.render import (
    RenderError,
    RenderJob,
    _Framer,
    camera_pose,
    title_card,
)

STILL_SLUG = "previz-still"  # providers.stills lists its capabilities with the others'
JPEG_QUALITY = 90


def render_still(request: GenerationRequest) -> bytes:
    """The frame as JPEG bytes; Rejected when the shape cannot be drawn."""
    job = RenderJob.from_request(request)
    # A still holds one moment: no move, no burn-in. Each candidate (a take of its own) gets its
    # own seed, so candidates differ in colour as paid models' candidates differ in content.
    job = dataclasses.replace(
        job,
        camera=dataclasses.replace(job.camera, pan=0, tilt=0, roll=0, zoom=0, truck=0, dolly=0),
        seed=request.take_id,
        burn_in=False,
    )
    try:
        size = job.size
        picture = title_card(job, footer="PREVIZ STILL · A FREE STAND-IN FOR AN IMAGE MODEL")
    except RenderError as error:
        raise Rejected(str(error)) from error
    pose = camera_pose(job.camera, 0.0)
    frame: Image.Image = _Framer(picture, size, [pose]).frame(pose)
    buffer = io.BytesIO()
    frame.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def submit_still(request: GenerationRequest) -> Submitted:
    data = render_still(request)
    done = Progress(
        state=State.SUCCEEDED,
        raw_status="succeeded",
        percent=100,
        cost=Decimal("0"),
        poll_after=0.0,
        raw={"bytes": len(data)},
        inline_result=data,
    )
    return Submitted(
        f"still-{request.take_id}", raw_status="succeeded", cost=Decimal("0"), finished=done
    )
