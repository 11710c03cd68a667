"""Reads of the storyboard: scenes with their shots, takes still in flight, money moved."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from projects.models import (
    FINISHED_TAKE_STATES,
    LedgerEntry,
    Project,
    Scene,
    Shot,
    Take,
)
from projects.selectors.versions import with_version_counts


def storyboard_scenes(project: Project) -> QuerySet[Scene]:
    """Scenes in order with their shots in order: two queries whatever the number of shots."""
    return project.scenes.prefetch_related(
        Prefetch(
            "shots",
            # The approver's name and the version stack read on the card, in the same query.
            queryset=with_version_counts(
                Shot.objects.select_related("circled_take", "approved_take", "approved_by")
            ).order_by("order", "pk"),
        )
    )


def takes_in_flight(**lookup) -> QuerySet[Take]:
    """Takes not finished yet (they may hold money), e.g. takes_in_flight(shot=shot)."""
    return Take.objects.filter(**lookup).exclude(state__in=FINISHED_TAKE_STATES)


def project_moved_money(project: Project) -> bool:
    """Did any money ever move on this project? Then deleting it would erase its books, so it
    is archived instead. Free previz takes leave $0 ledger rows: those are not money."""
    entries = LedgerEntry.objects.filter(project=project)
    return entries.exclude(reserved_change=0, spent_change=0).exists()
