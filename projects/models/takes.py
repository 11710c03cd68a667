"""Takes: one generation of a shot each, and its history."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.models import choices
from projects.registry import result_ttl_seconds

from . import cancels
from .film import Project, Shot, media_path
from .money import LEDGER_AMOUNT
from .states import FINISHED_TAKE_STATES, TakeState


class TakeQuerySet(models.QuerySet):
    def with_charges(self) -> TakeQuerySet:
        """Each take's money from the ledger: `charged` (spent net of refunds) and `refunded`."""
        zero = models.Value(Decimal(0), output_field=LEDGER_AMOUNT)
        refunds = models.Q(ledger__kind="refund")
        return self.annotate(
            charged=Coalesce(models.Sum("ledger__spent_change"), zero),
            refunded=Coalesce(-models.Sum("ledger__spent_change", filter=refunds), zero),
        )


class TakeKind(models.TextChoices):
    VIDEO = "video", "Video"
    FRAME = "frame", "Hero frame candidate"


class Take(models.Model):
    """One generation of a shot, with everything needed to reproduce and audit it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="takes")
    shot = models.ForeignKey(Shot, on_delete=models.CASCADE, related_name="takes")
    number = models.PositiveIntegerField()
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retries"
    )
    promoted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promotions",
        help_text="The draft this final render was made from.",
    )
    extends = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extensions",
        help_text="The take this one continues (scene extension).",
    )
    # A video take makes a clip; a frame take makes a still that can become the hero frame.
    kind = models.CharField(max_length=8, choices=TakeKind.choices, default=TakeKind.VIDEO)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # What was asked, frozen at request time: later edits to the shot do not change it.
    model = models.CharField(max_length=40, choices=choices.take_models)
    provider = models.CharField(max_length=40)
    prompt = models.TextField()
    params = models.JSONField(default=dict)
    spec = models.JSONField(default=dict)
    input_images = models.JSONField(default=list)  # [{"role", "sha256", "name"}]
    seed = models.BigIntegerField(null=True, blank=True)
    # The team's prompt template version that phrased `prompt` (NULL: the shipped formula), and
    # how the camera report names it, frozen like the prompt: "Kling · project v3 · ana".
    prompt_template = models.ForeignKey(
        "PromptTemplateVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    prompt_template_label = models.CharField(max_length=200, blank=True)

    # Sent as the idempotency key / external id where an API takes one. Random, not the primary
    # key: two studios sharing a provider account would collide on integers.
    request_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(max_length=12, choices=TakeState.choices, default=TakeState.QUEUED)
    # What is true now ("provider busy, trying again in 4 s"); cleared on every state change.
    # The history lives in TakeEvent, shown in the camera report.
    status_note = models.CharField(max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    remote_id = models.CharField(max_length=200, blank=True)
    raw_status = models.CharField(max_length=200, blank=True)
    result_url = models.TextField(blank=True)
    error_kind = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    # When the studio asked the provider to stop, and what the provider answered (or why it
    # was not asked: some providers cannot stop a job once sent). Only the provider's own
    # status makes a sent take "canceled".
    cancel_sent_at = models.DateTimeField(null=True, blank=True)
    cancel_answer = models.CharField(max_length=300, blank=True)
    submit_attempts = models.PositiveSmallIntegerField(default=0)
    poll_errors = models.PositiveSmallIntegerField(default=0)
    # Waiting lives here, not in the broker: the sweeper wakes what is due.
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When the message now waiting in the broker for this take was sent; NULL once a worker
    # picked it up (or none was sent). The sweeper sends no second copy while one waits,
    # unless it has waited so long it must be lost (docs/decisions/011).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # One fetch of the result at a time, on any machine: a download claims the take until this
    # moment (a conditional UPDATE) and clears it when done; a dead worker's claim runs out.
    download_claimed_until = models.DateTimeField(null=True, blank=True)

    queued_at = models.DateTimeField(auto_now_add=True)
    submitting_at = models.DateTimeField(null=True, blank=True)
    running_at = models.DateTimeField(null=True, blank=True)
    downloading_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    estimated_cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    actual_cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)

    video = models.FileField(upload_to=media_path, blank=True)
    still = models.ImageField(upload_to=media_path, blank=True)  # a frame take's image
    poster = models.ImageField(upload_to=media_path, blank=True)
    thumbnail = models.ImageField(upload_to=media_path, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Frames per second of the saved video: frame notes count frames at this rate.
    fps = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    objects = TakeQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["shot", "number"], name="take_number_unique_in_shot")
        ]
        indexes = [models.Index(fields=["state", "next_poll_at"])]

    def __str__(self) -> str:
        return f"{self.shot.label} take {self.number}"

    DEFAULT_FPS = 24.0  # takes saved before the rate was kept, and stills

    @property
    def frame_rate(self) -> float:
        return self.fps or self.DEFAULT_FPS

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_TAKE_STATES

    @property
    def can_cancel(self) -> bool:
        return self.state in (
            TakeState.AWAITING_APPROVAL,
            TakeState.QUEUED,
            TakeState.SUBMITTING,
            TakeState.RUNNING,
        )

    @property
    def can_retry(self) -> bool:
        return self.state in (
            TakeState.FAILED,
            TakeState.REJECTED,
            TakeState.CANCELED,
            TakeState.NEEDS_CHECK,
            TakeState.RESULT_LOST,
        )

    @property
    def cancel_warning(self) -> str:
        """What pressing Cancel will do for this take on its provider, said before the click."""
        return cancels.what_cancel_does(self)

    @property
    def cancel_progress(self) -> str:
        """After the click: what the provider is doing about it, while the take is in flight."""
        return cancels.cancel_progress(self)

    @property
    def result_link_expires_at(self) -> datetime | None:
        """When the provider's link to the finished video stops working, at the latest.

        Counted from when the provider reported it finished (the move to "saving", kept as it
        was by "fetch again"), by the provider's documented lifetime of result links."""
        seen = self.downloading_at or self.running_at
        ttl = result_ttl_seconds(self.provider)
        return seen + timedelta(seconds=ttl) if seen and ttl else None

    @property
    def can_fetch_again(self) -> bool:
        """A lost result may still be at the provider: fetching it again costs nothing."""
        expires = self.result_link_expires_at
        if self.state != TakeState.RESULT_LOST or not self.result_url:
            return False  # no link was ever given: there is nothing to fetch again
        return bool(expires and timezone.now() < expires)


class TakeEvent(models.Model):
    """One line of a take's history: a state reached, or a note on the way (append-only)."""

    take = models.ForeignKey(Take, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=TakeState.choices)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["take", "at"])]

    def __str__(self) -> str:
        return f"{self.take_id} {self.state} @ {self.at:%H:%M:%S}"
