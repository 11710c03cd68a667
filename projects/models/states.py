"""Where a take is, from the click to its end: the states every layer speaks of."""

from __future__ import annotations

from django.db import models


class TakeState(models.TextChoices):
    AWAITING_APPROVAL = "approval", "Awaiting an owner's approval"
    QUEUED = "queued", "Waiting its turn"
    SUBMITTING = "submitting", "Sending to the provider"
    RUNNING = "running", "Generating"
    DOWNLOADING = "downloading", "Saving the video"
    SUCCEEDED = "succeeded", "Ready to review"
    # The provider finished (and billed) but the video could not be fetched or read.
    RESULT_LOST = "result_lost", "Result lost"
    FAILED = "failed", "Failed"
    REJECTED = "rejected", "Rejected by the provider"
    CANCELED = "canceled", "Canceled"
    NEEDS_CHECK = "needs_check", "Needs a check"


FINISHED_TAKE_STATES = (
    TakeState.SUCCEEDED,
    TakeState.RESULT_LOST,
    TakeState.FAILED,
    TakeState.REJECTED,
    TakeState.CANCELED,
    TakeState.NEEDS_CHECK,
)
