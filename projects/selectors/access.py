"""Who may see what: every lookup starts from the user's memberships."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.http import Http404

from projects.models import (
    Membership,
    Project,
)


def projects_for(user) -> QuerySet[Project]:
    return Project.objects.for_user(user)


def active_projects_for(user) -> QuerySet[Project]:
    """The project list: archived projects are kept out of the way (see archived_projects_for)."""
    return projects_for(user).filter(archived_at__isnull=True).order_by("-updated_at")


def archived_projects_for(user) -> QuerySet[Project]:
    return (
        projects_for(user)
        .filter(archived_at__isnull=False)
        .select_related("archived_by")
        .annotate(my_role=F("memberships__role"))
        .order_by("-archived_at")
    )


def membership_for(user, project_id: int) -> Membership:
    """The user's membership of a project, with the project; 404 for anyone not in it."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    try:
        return Membership.objects.select_related("project").get(project_id=project_id, user=user)
    except Membership.DoesNotExist:
        raise Http404("No such project.") from None


def project_members(project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("user").order_by("user__username")
