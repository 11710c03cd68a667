"""Reads that views share. Every lookup starts from the user's memberships."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from .models import FINISHED_TAKE_STATES, LedgerEntry, Membership, Project, Scene, Shot, Take


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


def project_moved_money(project: Project) -> bool:
    """Did any money ever move on this project? Then deleting it would erase its books, so it
    is archived instead. Free previz takes leave $0 ledger rows: those are not money."""
    entries = LedgerEntry.objects.filter(project=project)
    return entries.exclude(reserved_change=0, spent_change=0).exists()


def takes_in_flight(**lookup) -> QuerySet[Take]:
    """Takes not finished yet (they may hold money), e.g. takes_in_flight(shot=shot)."""
    return Take.objects.filter(**lookup).exclude(state__in=FINISHED_TAKE_STATES)


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
