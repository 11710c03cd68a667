"""The film: a project of scenes of shots, and who may work on it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from providers.core import catalog
from providers.core.motions import MOTIONS

RESOLUTIONS = [
    ("preview", "Preview"),
    ("480p", "480p"),
    ("720p", "720p"),
    ("1080p", "1080p"),
    ("4k", "4K"),
]
MOTION_CHOICES = [("", "None (use the sliders)")] + [(m.slug, m.name) for m in MOTIONS.values()]

CAMERA_VALIDATORS = [
    MinValueValidator(catalog.CAMERA_RANGE[0]),
    MaxValueValidator(catalog.CAMERA_RANGE[1]),
]


def media_path(instance: models.Model, filename: str) -> str:
    # Server-generated names only: a user's filename never reaches the filesystem.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"images/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{extension}"


class CameraAxes(models.Model):
    """A camera move on six axes, each -10..+10 (signs: providers.core.spec.CameraMove)."""

    pan = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)
    tilt = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)
    roll = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)
    zoom = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)
    truck = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)
    dolly = models.SmallIntegerField(default=0, validators=CAMERA_VALIDATORS)

    class Meta:
        abstract = True

    @property
    def camera(self) -> dict[str, int]:
        return {axis: getattr(self, axis) for axis in catalog.CAMERA_AXES}

    @property
    def camera_summary(self) -> str:
        return catalog.describe_camera(self.camera)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


LEDGER_AMOUNT = models.DecimalField(max_digits=12, decimal_places=4)


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Project(models.Model):
    name = models.CharField(max_length=120)
    logline = models.TextField(blank=True)
    aspect_ratio = models.CharField(
        "default aspect ratio", max_length=8, choices=catalog.ASPECT_RATIOS, default="16:9"
    )
    default_model = models.CharField(
        max_length=40, choices=catalog.VIDEO_MODELS, default=catalog.DEFAULT_MODEL
    )
    budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Spending cap in USD. Leave empty for no cap.",
    )
    approval_threshold = models.DecimalField(
        "owner approval above",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Takes that may cost more than this wait for an owner's approval.",
    )
    # Kept equal to the ledger's sums by projects.money; conditional UPDATEs guard the cap.
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0, editable=False)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A project that ever moved money is archived instead of deleted, so its books survive:
    # hidden from the list, read-only, restorable by its owners and staff.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    monthly_quota = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What this member may spend on the project per calendar month, in USD.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")
        ]
        ordering = ["project", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.project}"

    # What this member may do now: an archived project is read-only for everyone, so pages
    # that ask these render their view-only form and views refuse the change.
    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR) and not self.project.is_archived

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER and not self.project.is_archived

    @property
    def can_restore(self) -> bool:
        """Owners bring an archived project back."""
        return self.role == Role.OWNER and self.project.is_archived


class Scene(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenes")
    number = models.PositiveIntegerField(help_text="Scene number from the script.")
    title = models.CharField(max_length=120)
    location = models.CharField(max_length=120, blank=True)
    time_of_day = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    budget = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Optional cap for this scene, in USD.",
    )
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0, editable=False)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def heading(self) -> str:
        """A slugline in screenplay form: "3. The Lamp Room — Lighthouse, Night"."""
        where = ", ".join(part for part in (self.location, self.time_of_day) if part)
        return f"{self.number}. {self.title}" + (f" — {where}" if where else "")


class ShotStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready"
    GENERATING = "generating", "Generating"
    REVIEW = "review", "In review"
    APPROVED = "approved", "Approved"


class Shot(CameraAxes):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shots")
    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="shots")
    label = models.CharField(max_length=12, help_text='Stable name such as "3A".')
    order = models.PositiveIntegerField(default=0)

    subject = models.CharField(max_length=300, blank=True)
    action = models.TextField(blank=True)
    context = models.TextField("context / setting", blank=True)
    style = models.TextField("style & mood", blank=True)
    shot_size = models.CharField(max_length=8, choices=catalog.SHOT_SIZES, default="ms")
    camera_angle = models.CharField(max_length=10, choices=catalog.CAMERA_ANGLES, default="eye")
    lens_mm = models.PositiveSmallIntegerField(
        "lens (mm)", default=35, validators=[MinValueValidator(8), MaxValueValidator(800)]
    )
    duration_seconds = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    aspect_ratio = models.CharField(max_length=8, choices=catalog.ASPECT_RATIOS, default="16:9")
    target_model = models.CharField(
        max_length=40, choices=catalog.VIDEO_MODELS, default=catalog.DEFAULT_MODEL
    )
    resolution = models.CharField(max_length=8, choices=RESOLUTIONS, default="720p")
    dialogue = models.TextField(
        blank=True,
        help_text="One line per row, as SPEAKER: words, or SPEAKER (fr): words for another "
        "language. Lines without a speaker are fine.",
    )
    dialogue_language = models.CharField(
        max_length=2, choices=catalog.DIALOGUE_LANGUAGES, default="en"
    )
    beats = models.TextField(
        "timestamp beats",
        blank=True,
        help_text="One per row, the second it happens then the action: 2s: she turns to the sea.",
    )
    audio = models.BooleanField("audio on", default=False)
    sound_effects = models.CharField(max_length=300, blank=True)
    ambience = models.CharField(max_length=300, blank=True)
    voice_sample = models.FileField(upload_to=media_path, blank=True)
    negative_prompt = models.CharField(
        max_length=500, blank=True, help_text="What the model should avoid, where it listens."
    )
    seed = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(4_294_967_295)],
        help_text="Same seed, same request: a repeatable take where the model supports it.",
    )
    motion_preset = models.CharField(
        "named move", max_length=40, choices=MOTION_CHOICES, blank=True, default=""
    )
    camera_notes = models.CharField(
        max_length=200, blank=True, help_text='How the move feels, e.g. "shakes with the impact".'
    )
    status = models.CharField(max_length=12, choices=ShotStatus.choices, default=ShotStatus.DRAFT)
    notes = models.TextField(blank=True)

    hero_frame = models.ImageField(upload_to=media_path, blank=True)
    hero_thumbnail = models.ImageField(upload_to=media_path, blank=True, editable=False)
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    circled_take = models.ForeignKey(
        "Take", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The frame the shot should end on, for models that interpolate first → last.
    last_frame = models.ImageField(upload_to=media_path, blank=True)
    last_thumbnail = models.ImageField(upload_to=media_path, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scene__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "label"], name="shot_label_unique_in_project"
            )
        ]
        indexes = [models.Index(fields=["scene", "order"])]

    def __str__(self) -> str:
        return f"Shot {self.label}"


class ReferenceImage(models.Model):
    MAX_PER_SHOT = 3

    shot = models.ForeignKey(Shot, on_delete=models.CASCADE, related_name="references")
    image = models.ImageField(upload_to=media_path)
    thumbnail = models.ImageField(upload_to=media_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Reference {self.pk} of {self.shot}"


class TeamPreset(CameraAxes):
    """A project's own "click to video" preset: a camera move, style, duration and model."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="presets")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=200, blank=True)
    target_model = models.CharField(max_length=40, choices=catalog.VIDEO_MODELS)
    duration_seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    resolution = models.CharField(max_length=8, choices=RESOLUTIONS, default="720p")
    style = models.TextField(blank=True)
    shot_size = models.CharField(max_length=8, choices=catalog.SHOT_SIZES, default="ms")
    camera_angle = models.CharField(max_length=10, choices=catalog.CAMERA_ANGLES, default="eye")
    motion_preset = models.CharField(max_length=40, choices=MOTION_CHOICES, blank=True)
    audio = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="preset_name_unique_in_project"
            )
        ]

    def __str__(self) -> str:
        return self.name


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


class TakeQuerySet(models.QuerySet):
    def with_charges(self) -> TakeQuerySet:
        """Each take's money from the ledger: `charged` (spent net of refunds) and `refunded`."""
        zero = models.Value(Decimal(0), output_field=LEDGER_AMOUNT)
        refunds = models.Q(ledger__kind="refund")
        return self.annotate(
            charged=Coalesce(models.Sum("ledger__spent_change"), zero),
            refunded=Coalesce(-models.Sum("ledger__spent_change", filter=refunds), zero),
        )


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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # What was asked, frozen at request time: later edits to the shot do not change it.
    model = models.CharField(max_length=40, choices=catalog.VIDEO_MODELS)
    provider = models.CharField(max_length=40)
    prompt = models.TextField()
    params = models.JSONField(default=dict)
    spec = models.JSONField(default=dict)
    input_images = models.JSONField(default=list)  # [{"role", "sha256", "name"}]
    seed = models.BigIntegerField(null=True, blank=True)

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

    queued_at = models.DateTimeField(auto_now_add=True)
    submitting_at = models.DateTimeField(null=True, blank=True)
    running_at = models.DateTimeField(null=True, blank=True)
    downloading_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    estimated_cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    actual_cost = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)

    video = models.FileField(upload_to=media_path, blank=True)
    poster = models.ImageField(upload_to=media_path, blank=True)
    thumbnail = models.ImageField(upload_to=media_path, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
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
        from .generation.cancels import what_cancel_does

        return what_cancel_does(self)

    @property
    def cancel_progress(self) -> str:
        """After the click: what the provider is doing about it, while the take is in flight."""
        from .generation.cancels import cancel_progress

        return cancel_progress(self)

    @property
    def result_link_expires_at(self) -> datetime | None:
        """When the provider's link to the finished video stops working, at the latest.

        Counted from when the provider reported it finished (the move to "saving", kept as it
        was by "fetch again"), by the provider's documented lifetime of result links."""
        from .generation.registry import result_ttl_seconds

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


class RateCard(models.Model):
    """A price per second, per million tokens or per unit; staff keep these current."""

    model = models.CharField(max_length=40, choices=catalog.VIDEO_MODELS)
    resolution = models.CharField(max_length=8, default="*", help_text="* matches any.")
    audio = models.BooleanField(null=True, blank=True, help_text="Empty matches both.")
    unit = models.CharField(
        max_length=20,
        choices=[
            ("second", "per second"),
            ("million_tokens", "per million tokens"),
            ("unit", "per unit"),
        ],
    )
    price = models.DecimalField(max_digits=12, decimal_places=6)
    currency = models.CharField(max_length=3, default="USD")
    effective = models.DateField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["model", "resolution", "-effective"]

    def __str__(self) -> str:
        price = f"{self.price} {self.currency}/{self.unit}"
        return f"{self.get_model_display()} {self.resolution}: {price}"


class LedgerKind(models.TextChoices):
    RESERVE = "reserve", "Reserved"
    SETTLE = "settle", "Spent"
    RELEASE = "release", "Released"
    REFUND = "refund", "Refunded"


class LedgerEntry(models.Model):
    """Append-only money movements. Project.reserved and Project.spent always equal their sums:
    reserve +reserved; settle -reserved +spent; release -reserved; refund -spent."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ledger")
    take = models.ForeignKey("Take", on_delete=models.SET_NULL, null=True, related_name="ledger")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scene = models.ForeignKey(
        Scene, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger"
    )
    month = models.DateField(null=True, blank=True, help_text="Quota month of the hold.")
    # The provider account the money went to, kept even if the take is deleted later: the
    # studio-wide monthly cap per provider account is checked against these sums.
    provider = models.CharField(max_length=40, blank=True, db_index=True)
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    reserved_change = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    spent_change = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reserved_change}/{self.spent_change}"


class MemberSpend(models.Model):
    """A member's spending on a project in one calendar month, against their quota."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="member_spend")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "month"], name="one_row_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.month:%Y-%m}: {self.spent}"


class ProviderSpend(models.Model):
    """What the whole studio spent and holds on one provider account in one calendar month,
    against the account's optional monthly cap (studio.ProviderAccount.monthly_cap)."""

    provider = models.CharField(max_length=40)
    month = models.DateField()
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "month"], name="one_provider_row_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.month:%Y-%m}: {self.spent}"
