"""What the export commands share: a project by id and, optionally, one of its scenes by number,
or a one-line reason (CommandError exits non-zero)."""

from __future__ import annotations

from django.core.management.base import CommandError

from projects.models import Project, Scene


def project_and_scene(project_id: str, scene_number: int | None) -> tuple[Project, Scene | None]:
    try:
        project = Project.objects.get(pk=int(project_id))
    except (ValueError, OverflowError, Project.DoesNotExist):
        raise CommandError(f"No project with id {project_id}.") from None
    if scene_number is None:
        return project, None
    scene = project.scenes.filter(number=scene_number).order_by("order", "pk").first()
    if scene is None:
        raise CommandError(f"Project {project.pk} has no scene number {scene_number}.")
    return project, scene
