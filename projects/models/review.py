"""Team review: comments and frame notes, the project's activity, notifications, review links.

Activity is append-only: one row per thing that happened, written by the service that did it
(projects/services/activity.py), read by the activity page, the notifications and the live
board (its newest id is the board's change cursor)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .film import Project, Scene, Shot
from .takes import Take


class ReviewLink(models.Model):
    """A link for people without an account: a scene or the whole project, read-only, with
    comments under a typed name. Revocable; optionally expiring and password-protected."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_links")
    scene = models.ForeignKey(
        Scene, on_delete=models.CASCADE, null=True, blank=True, related_name="review_links"
    )
    # A bearer secret, like a session key: 256 random bits, looked up as a whole.
    token = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(max_length=120, blank=True)
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    allow_comments = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    views = models.PositiveIntegerField(default=0, editable=False)
    last_viewed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"Review link {self.pk}"

    @property
    def works(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or timezone.now() < self.expires_at


class Comment(models.Model):
    """A comment on a shot, or a note on one of its takes: pinned to a moment (and a frame at
    the take's frame rate), optionally to a point, box or freehand drawing on the frame.

    Replies point at the thread's first comment (`parent`); threads are one level deep, as in
    Frame.io. A guest from a review link has no account: `guest_name` is what they typed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    shot = models.ForeignKey(Shot, on_delete=models.CASCADE, related_name="comments")
    take = models.ForeignKey(
        Take, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=80, blank=True)
    review_link = models.ForeignKey(
        ReviewLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    body = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # The moment on the take: seconds from its start, and the frame at the take's frame rate.
    at_seconds = models.FloatField(null=True, blank=True)
    at_frame = models.PositiveIntegerField(null=True, blank=True)
    # {"shape": "point" | "box" | "path", "points": [[x, y], ...]}, x and y from 0 to 1 of the
    # frame's width and height, so a drawing fits the video at any size.
    drawing = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A deleted comment that has replies stays as "deleted" so the thread still reads.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["shot", "created_at"]),
            models.Index(fields=["take", "at_seconds"]),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.shot_id}"

    @property
    def who(self) -> str:
        if self.author_id is not None:
            return self.author.get_username()
        return f"{self.guest_name} (guest)" if self.guest_name else "someone"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class ActivityKind(models.TextChoices):
    SHOT_CREATED = "shot_created", "Shot added"
    SHOT_EDITED = "shot_edited", "Shot edited"
    SHOT_DELETED = "shot_deleted", "Shot deleted"
    TAKE_REQUESTED = "take_requested", "Take requested"
    TAKE_FINISHED = "take_finished", "Take finished"
    TAKE_FAILED = "take_failed", "Take failed"
    TAKE_CIRCLED = "take_circled", "Take circled"
    SHOT_APPROVED = "shot_approved", "Shot approved"
    APPROVAL_WAITING = "approval_waiting", "Take waiting for approval"
    BUDGET_CHANGED = "budget_changed", "Budget changed"
    ROLE_CHANGED = "role_changed", "Team changed"
    COMMENTED = "commented", "Comment"
    COMMENT_RESOLVED = "comment_resolved", "Comment resolved"
    REVIEW_LINK = "review_link", "Review link"


class Activity(models.Model):
    """One thing that happened in a project (append-only)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activity")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who, as shown: kept when the account goes, and a guest's typed name.
    actor_name = models.CharField(max_length=150, blank=True)
    scene = models.ForeignKey(
        Scene, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shot = models.ForeignKey(
        Shot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    take = models.ForeignKey(
        Take, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    # Shot edits: {"field": [before, after]} as the filmmaker reads them.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["project", "-id"], name="activity_project_newest"),
            models.Index(fields=["project", "kind", "-id"], name="activity_project_kind"),
            models.Index(fields=["project", "shot", "-id"], name="activity_project_shot"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"


class NotificationReason(models.TextChoices):
    MENTION = "mention", "Mentioned you"
    REPLY = "reply", "Replied to you"
    TAKE_FINISHED = "take_finished", "Your take finished"
    TAKE_FAILED = "take_failed", "Your take failed"
    APPROVAL = "approval", "Waiting for your approval"


class Notification(models.Model):
    """Something a person should see: one row per person per activity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=16, choices=NotificationReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "activity"], name="one_notification_each")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_reason_display()}"


class EmailChoice(models.TextChoices):
    OFF = "off", "Off"
    INSTANT = "instant", "Right away"
    DAILY = "daily", "A daily digest"


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.CharField(
        "e-mail me", max_length=8, choices=EmailChoice.choices, default=EmailChoice.INSTANT
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"
