"""Reads that views share. Every lookup starts from the user's memberships."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import Membership, Project, Scene, Shot


def projects_for(user) -> QuerySet[Project]:
    return Project.objects.for_user(user)


def membership_for(user, project_id: int) -> Membership:
    """The user's membership of a project, with the project; 404 for anyone not in it."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    try:
        return Membership.objects.select_related("project").get(project_id=project_id, user=user)
    except Membership.DoesNotExist:
        raise Http404("No such project.") from None


def storyboard_scenes(project: Project) -> QuerySet[Scene]:
    """Scenes in order with their shots in order: two queries whatever the number of shots."""
    return project.scenes.prefetch_related(
        Prefetch(
            "shots", queryset=Shot.objects.select_related("circled_take").order_by("order", "pk")
        )
    )


def project_members(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("user__username")
