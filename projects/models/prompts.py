"""Prompt templates a team edits: one per family of models, per project, with a studio-wide
default above them and the shipped formula (providers.design.compile.FAMILIES) under all.

Every save is a new version, never an edit of an old one, so a take can say which words made
its prompt and any version can be brought back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.models import choices

from .film import Project


class PromptTemplate(models.Model):
    """The template of one family of models, for a project, or the studio when project is
    NULL. `current` is the version in use; a version with no text follows the default."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prompt_templates",
    )
    family = models.CharField(max_length=40, choices=choices.prompt_families)
    current = models.ForeignKey(
        "PromptTemplateVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "family"],
                condition=models.Q(project__isnull=False),
                name="prompt_template_unique_in_project",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(project__isnull=True),
                name="prompt_template_unique_in_studio",
            ),
        ]

    def __str__(self) -> str:
        where = self.project.name if self.project_id else "studio"
        return f"{self.get_family_display()} ({where})"


class PromptTemplateVersion(models.Model):
    template = models.ForeignKey(PromptTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # Empty: this version hands the family back to the default above it.
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # "Revert to v2" makes a new version with v2's text and says so here.
    restores = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="prompt_template_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def follows_default(self) -> bool:
        return not self.text
