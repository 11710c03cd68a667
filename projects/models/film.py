"""The film: a project of scenes of shots, and who may work on it."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from projects.models import choices
from providers.core import catalog

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


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)


class Project(models.Model):
    name = models.CharField(max_length=120)
    logline = models.TextField(blank=True)
    aspect_ratio = models.CharField(
        "default aspect ratio", max_length=8, choices=choices.aspect_ratios, default="16:9"
    )
    default_model = models.CharField(
        max_length=40, choices=choices.video_models, default=catalog.DEFAULT_MODEL
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
    # Kept equal to the ledger's sums by projects.services.money; conditional UPDATEs guard the cap.
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
    shot_size = models.CharField(max_length=8, choices=choices.shot_sizes, default="ms")
    camera_angle = models.CharField(max_length=10, choices=choices.camera_angles, default="eye")
    lens_mm = models.PositiveSmallIntegerField(
        "lens (mm)", default=35, validators=[MinValueValidator(8), MaxValueValidator(800)]
    )
    duration_seconds = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    aspect_ratio = models.CharField(max_length=8, choices=choices.aspect_ratios, default="16:9")
    target_model = models.CharField(
        max_length=40, choices=choices.video_models, default=catalog.DEFAULT_MODEL
    )
    resolution = models.CharField(max_length=8, choices=choices.resolutions, default="720p")
    dialogue = models.TextField(
        blank=True,
        help_text="One line per row, as SPEAKER: words, or SPEAKER (fr): words for another "
        "language. Lines without a speaker are fine.",
    )
    dialogue_language = models.CharField(
        max_length=2, choices=choices.dialogue_languages, default="en"
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
        "named move", max_length=40, choices=choices.motions, blank=True, default=""
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

    # An owner's decision for final: the circled take, who, when and why (carried into exports).
    approved_take = models.ForeignKey(
        "Take", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approval_note = models.CharField(max_length=500, blank=True, editable=False)
    # Bumped by every save of the shot's fields: a form posted from an older version is an edit
    # conflict, resolved field by field (services/shot_edits.py), never a silent overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)

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
    target_model = models.CharField(max_length=40, choices=choices.video_models)
    duration_seconds = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    resolution = models.CharField(max_length=8, choices=choices.resolutions, default="720p")
    style = models.TextField(blank=True)
    shot_size = models.CharField(max_length=8, choices=choices.shot_sizes, default="ms")
    camera_angle = models.CharField(max_length=10, choices=choices.camera_angles, default="eye")
    motion_preset = models.CharField(max_length=40, choices=choices.motions, blank=True)
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
