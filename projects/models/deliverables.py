"""Deliverables: what a worker made for the film to leave the studio (the rendered animatic,
the editor package), kept on the project with a manifest of what went into them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.deliver.names import safe_stem

from .film import Project, Scene


def deliverable_path(instance: models.Model, filename: str) -> str:
    # Server-chosen names only; the download gives the file a readable name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"deliverables/{instance.project_id}/{instance.pk or 'new'}-{instance.kind}.{extension}"


class DeliverableKind(models.TextChoices):
    ANIMATIC = "animatic", "Animatic (MP4)"
    PACKAGE = "package", "Editor package (zip)"


class DeliverableState(models.TextChoices):
    QUEUED = "queued", "Queued"
    MAKING = "making", "Making"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Deliverable(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    scene = models.ForeignKey(
        Scene, on_delete=models.CASCADE, null=True, blank=True, related_name="deliverables"
    )
    kind = models.CharField(max_length=10, choices=DeliverableKind.choices)
    # {"resolution": "720p" | "1080p", "burn_in": bool}: what was asked, kept as asked.
    options = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=8, choices=DeliverableState.choices, default=DeliverableState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=deliverable_path, blank=True, max_length=200)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Which take or frame each segment came from, in order: [{"shot", "label", "source", ...}].
    manifest = models.JSONField(default=list, blank=True)
    # A worker holds the job until this time; a second copy of the task stands aside.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the sweeper next sends it again if no worker holds it (a lost message, a dead worker).
    wake_at = models.DateTimeField(null=True, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.project}"

    @property
    def finished(self) -> bool:
        return self.state in (DeliverableState.READY, DeliverableState.FAILED)

    @property
    def download_name(self) -> str:
        """The name the browser saves it under: film, scope and kind, no server paths."""
        scope = f"scene{self.scene.number}" if self.scene_id else "film"
        extension = "mp4" if self.kind == DeliverableKind.ANIMATIC else "zip"
        return f"{safe_stem(self.project.name)}-{scope}-{self.kind}-{self.pk}.{extension}"
