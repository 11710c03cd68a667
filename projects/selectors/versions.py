"""Version stacks: a shot's video takes read as v1, v2, … by take number (hero-frame candidates
are not versions), with the circled one on top."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from projects.models import Shot, Take, TakeKind


def stacked(takes: list[Take], *, circled_id: int | None) -> list[Take]:
    """All of a shot's video takes, each with `.version`, circled first, then newest first.
    Pure Python: no query."""
    for version, take in enumerate(sorted(takes, key=lambda take: take.number), start=1):
        take.version = version
    return sorted(takes, key=lambda take: (take.pk != circled_id, -take.number))


def version_numbers(shot: Shot) -> dict[int, int]:
    """take id -> its version in the shot's stack: one query, for pages that show some takes."""
    ids = shot.takes.filter(kind=TakeKind.VIDEO).order_by("number").values_list("pk", flat=True)
    return {pk: version for version, pk in enumerate(ids, start=1)}


def _count(takes: QuerySet[Take]) -> Coalesce:
    counted = takes.order_by().values("shot").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_version_counts(shots: QuerySet[Shot]) -> QuerySet[Shot]:
    """Each shot with `.versions` (its video takes) and `.circled_version` (0 when none is
    circled), as subqueries of the shots' own query: no query per shot or take."""
    videos = Take.objects.filter(shot=OuterRef("pk"), kind=TakeKind.VIDEO)
    return shots.annotate(
        versions=_count(videos),
        circled_version=_count(videos.filter(number__lte=OuterRef("circled_take__number"))),
    )
