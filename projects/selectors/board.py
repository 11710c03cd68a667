"""Reads of the storyboard: scenes with their shots, takes still in flight, money moved.

The board at studio scale (500 shots) reads its cards as plain rows, one pass, with every string
a card shows worked out here: building 500 model instances and letting the template look up,
localise and reverse per card was most of the page's time (docs/decisions/012)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import cast

from django.db.models import CharField, Prefetch, QuerySet
from django.db.models.functions import Cast

from projects.models import (
    FINISHED_TAKE_STATES,
    LedgerEntry,
    Project,
    Scene,
    Shot,
    ShotStatus,
    Take,
    TakeKind,
)
from projects.selectors.versions import with_version_counts
from providers.core.catalog import CAMERA_AXES

# What a card shows, read straight from the shots' query as tuples (no model instances, no
# dates: converting ~1,000 datetimes was a tenth of the board). `approved` is the approval's
# time as text, read only for whether there is one; the hero frame's cache key is its file
# name (a new picture is a new name, models.film.media_path). templatetags/board.py
# CardPainter reads a row by these positions.
CARD_COLUMNS = (
    "pk",
    "scene_id",
    "label",
    "subject",
    "action",
    "dialogue",
    "status",
    "shot_size",
    "duration_seconds",
    "target_model",
    "aspect_ratio",
    "hero_thumbnail",
    "circled_take_id",
    "circled_take__thumbnail",
    "circled_take__number",
    "approved",
    "approved_take__number",
    "approved_by__username",
    "order",
    *CAMERA_AXES,
)
# Each card row ends with its version stack: (..., versions, circled_version).
CARD_ROW = (*CARD_COLUMNS, "versions", "circled_version")


# What shot_spec() and quote() read of a shot: the estimates read only these, as plain rows
# (model instances with every field were most of their time). A field missing here fails the
# board's tests loudly (tests/projects/test_storyboard.py prices ready shots).
SPEC_FIELDS = (
    "scene_id",
    "label",
    "target_model",
    "subject",
    "action",
    "context",
    "style",
    "shot_size",
    "camera_angle",
    "lens_mm",
    "duration_seconds",
    "aspect_ratio",
    "resolution",
    "audio",
    "dialogue",
    "dialogue_language",
    "sound_effects",
    "ambience",
    "beats",
    "hero_frame",
    "last_frame",
    "voice_sample",
    "negative_prompt",
    "seed",
    "motion_preset",
    "camera_notes",
    *CAMERA_AXES,
)


def storyboard_scenes(project: Project, *, shots: bool = True) -> QuerySet[Scene]:
    """Scenes in order, with their shots in order unless shots=False: two queries whatever the
    number of shots. The board itself reads scenes only and its cards with board_cards()."""
    scenes = project.scenes.all()
    if not shots:
        return scenes
    return scenes.prefetch_related(
        Prefetch(
            "shots",
            # The approver's name and the version stack read on the card, in the same query.
            queryset=with_version_counts(
                Shot.objects.select_related("circled_take", "approved_take", "approved_by")
            ).order_by("order", "pk"),
        )
    )


@dataclass
class Estimate:
    total: Decimal = Decimal(0)
    unpriced: list[str] = field(default_factory=list)


def _card_rows(shots: QuerySet[Shot], videos: QuerySet[Take] | None = None) -> list[tuple]:
    """The cards' rows (CARD_ROW), each ending with `versions` (its video takes) and
    `circled_version` (0 when none is circled). With `videos` (the same shots' video takes)
    they are counted here from one read of the takes' numbers: two counting subqueries per shot
    were most of the SQL time at 500 shots. Without, for one card (an edit's answer, a live
    refresh), they are counted in its own query."""
    # When it was approved, as text (only whether it was is shown): a date, or even a yes/no,
    # made Django convert every row in Python.
    shots = shots.annotate(approved=Cast("approved_at", CharField()))
    if videos is None:
        return list(with_version_counts(shots).values_list(*CARD_ROW))
    # Sorted here, not by SQL: SQLite sorted these wide rows in a temporary B-tree, a third
    # of the query's time.
    rows = sorted(shots.order_by().values_list(*CARD_COLUMNS), key=_in_board_order)
    numbers: dict[int, list[int]] = defaultdict(list)
    for shot_id, number in videos.values_list("shot_id", "number"):
        numbers[shot_id].append(number)
    circled_at = CARD_COLUMNS.index("circled_take__number")
    cards = []
    for row in rows:
        taken = numbers.get(row[0])
        if taken is None:  # no video takes: no version stack
            cards.append((*row, 0, 0))
            continue
        circled = row[circled_at]
        counted = sum(n <= circled for n in taken) if circled else 0
        cards.append((*row, len(taken), counted))
    return cards


# A card row's place on the board: (order, pk).
_in_board_order = itemgetter(CARD_COLUMNS.index("order"), 0)


def board_cards(project: Project, *, scene_ids: list[int] | None = None) -> dict[int, list[tuple]]:
    """scene id -> its card rows (CARD_ROW) in order: one query for the shots and one for their
    takes' numbers, for any number of shots (or of the scenes named in scene_ids, for an
    answer that redraws only those)."""
    shots = Shot.objects.filter(project=project)
    # The takes by their own project column: SQLite answers that from an index, where
    # `shot IN (the shots' query)` searched once per shot.
    videos = Take.objects.filter(project=project, kind=TakeKind.VIDEO)
    if scene_ids is not None:
        shots = shots.filter(scene_id__in=scene_ids)
        videos = videos.filter(shot__scene_id__in=scene_ids)
    cards: dict[int, list[tuple]] = defaultdict(list)
    for row in _card_rows(shots, videos):
        cards[row[1]].append(row)
    return cards


def card_for(shot: Shot) -> tuple:
    """One shot's card row (an edit's answer, a live board's refresh): the board's own row."""
    return _card_rows(Shot.objects.filter(pk=shot.pk))[0]


def scene_estimates(project: Project, *, scene_ids: list[int] | None = None) -> dict[int, Estimate]:
    """scene id -> worst-case total of its ready shots and the labels no rate card prices.
    Reads what prices the ready shots (most of their fields) and the rate cards: two queries."""
    from projects.selectors.money import quote, rate_cards
    from projects.selectors.shot_spec import shot_spec
    from providers.core.prices import Unpriced

    ready = Shot.objects.filter(project=project, status=ShotStatus.READY).order_by()
    if scene_ids is not None:
        ready = ready.filter(scene_id__in=scene_ids)
    # In board order for the unpriced labels; sorted here, not by SQL (see _card_rows).
    # shot_spec reads attributes only: a named row costs a fraction of a model instance.
    rows = ready.values_list("pk", "order", *SPEC_FIELDS, named=True)
    rates = rate_cards()
    estimates: dict[int, Estimate] = defaultdict(Estimate)
    for row in sorted(rows, key=lambda r: (r.order, r.pk)):
        shot = cast(Shot, row)
        estimate = estimates[shot.scene_id]
        spec = shot_spec(shot, reference_count=0)  # price does not depend on references
        try:
            estimate.total += quote(shot.target_model, spec, rates).amount
        except Unpriced:
            estimate.unpriced.append(shot.label)
    return estimates


def takes_in_flight(**lookup) -> QuerySet[Take]:
    """Takes not finished yet (they may hold money), e.g. takes_in_flight(shot=shot)."""
    return Take.objects.filter(**lookup).exclude(state__in=FINISHED_TAKE_STATES)


def project_moved_money(project: Project) -> bool:
    """Did any money ever move on this project? Then deleting it would erase its books, so it
    is archived instead. Free previz takes leave $0 ledger rows: those are not money."""
    entries = LedgerEntry.objects.filter(project=project)
    return entries.exclude(reserved_change=0, spent_change=0).exists()
