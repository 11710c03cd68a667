"""The take card's poll: a card in flight asks every 2 s whether anything changed.

One query answers who is asking (their role on the project) and what the card shows (the take,
its shot, its money, its history). `card_version` names what the card shows, so a poll that
finds nothing new is answered 304 Not Modified.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.db.models import Expression, OuterRef, Subquery, TextField
from django.http import Http404
from django.utils import timezone
from django.utils.timesince import timesince

from projects.models import Membership, Take, TakeEvent


class History(Expression):
    """The take's history lines, oldest first, as one JSON text [[id, at, state, message],
    ...]: a card sent again needs no second query for them (with_history)."""

    output_field = TextField()

    def _lines(self, compiler, array: str) -> str:
        take = compiler.quote_name_unless_alias(Take._meta.db_table)
        line = f"{array}(e.id, e.at, e.state, e.message) AS line, e.at, e.id"
        return f"SELECT {line} FROM {TakeEvent._meta.db_table} e WHERE e.take_id = {take}.id"  # noqa: S608

    def as_sql(self, compiler, connection):  # SQLite: aggregates in the order rows come
        lines = self._lines(compiler, "json_array")
        return f"(SELECT json_group_array(json(line)) FROM ({lines} ORDER BY at, id))", []  # noqa: S608

    def as_postgresql(self, compiler, connection):
        lines = self._lines(compiler, "json_build_array")
        aggregate = "CAST(json_agg(line ORDER BY at, id) AS TEXT)"
        return f"(SELECT {aggregate} FROM ({lines}) AS h)", []  # noqa: S608


def with_history(take: Take) -> None:
    """Hands the lines the History annotation read to `take.events.all()`, as a prefetch would."""
    lines = []
    for pk, at, state, message in json.loads(take.history or "[]"):
        moment = datetime.fromisoformat(at)
        if timezone.is_naive(moment):  # SQLite keeps UTC without the offset
            moment = timezone.make_aware(moment, UTC)
        lines.append(TakeEvent(pk=pk, take_id=take.pk, at=moment, state=state, message=message))
    take._prefetched_objects_cache = {
        **getattr(take, "_prefetched_objects_cache", {}),
        TakeEvent._meta.get_field("take").remote_field.cache_name: lines,
    }


def take_card_of(user, project_id: int, take_id: int) -> tuple[Membership, Take]:
    """The user's membership (with its project) and the take, or 404 for anyone not in it."""
    if not user.is_authenticated:
        raise Http404("No such project.")
    role = Membership.objects.filter(project_id=OuterRef("project_id"), user=user).values("role")
    newest_event = TakeEvent.objects.filter(take=OuterRef("pk")).order_by("-pk").values("pk")
    take = (
        Take.objects.filter(project_id=project_id, pk=take_id)
        .select_related("project", "shot", "requested_by", "promoted_from", "retry_of", "extends")
        .with_charges()
        .annotate(
            member_role=Subquery(role[:1]),
            newest_event=Subquery(newest_event[:1]),
            history=History(),
        )
        .first()
    )
    if take is None or take.member_role is None:
        # The same answer whether the take or the membership is missing.
        raise Http404("No such project.")
    return Membership(project=take.project, user=user, role=take.member_role), take


def card_version(membership: Membership, take: Take) -> str:
    """An ETag for the card of a take in flight: every column of the take, its money, the
    newest event, the viewer's rights, and the "started 3 minutes ago" the card prints (so
    a long wait still ticks over). Columns rather than updated_at: workers write with
    update() and update_fields, which leave auto_now alone."""
    columns = [getattr(take, field.attname) for field in Take._meta.concrete_fields]
    seen = (
        columns,
        take.charged,
        take.refunded,
        take.newest_event,
        take.shot.circled_take_id,
        take.shot.label,
        membership.role,
        membership.project.is_archived,
        timesince(take.queued_at) if take.queued_at else "",
    )
    return hashlib.blake2b(repr(seen).encode(), digest_size=12).hexdigest()


def markup_key(*parts: object) -> str:
    """A short key for shared markup (templatetags/fragments.py) from everything it shows."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def rows(objects) -> list[list]:
    """Every column of each model instance: what a page shows of them, for a markup key."""
    return [[getattr(obj, f.attname) for f in obj._meta.concrete_fields] for obj in objects]


def newest_event(take: Take) -> int | None:
    """The newest line of the take's history (lines are only ever added): the annotation
    when the query made one, else from the history already read."""
    if hasattr(take, "newest_event"):
        return take.newest_event
    return max((event.pk for event in take.events.all()), default=None)


def card_markup_key(take: Take, membership: Membership, *, promote_models) -> str:
    """Everything a take card shows, for the shared markup cache (templatetags/fragments.py):
    every column of the take, its money, history, lineage and offers, the shot's label and
    circled take, and the viewer's rights. The "3 minutes ago" and "fetch again until…" it
    prints are in it too, so the card still ticks over with the clock."""
    shot = take.shot
    columns = [getattr(take, field.attname) for field in Take._meta.concrete_fields]
    lineage = [
        getattr(getattr(take, name), "number", None) if getattr(take, f"{name}_id") else None
        for name in ("promoted_from", "retry_of", "extends")
    ]
    return markup_key(
        columns,
        getattr(take, "charged", None),
        getattr(take, "refunded", None),
        newest_event(take),
        lineage,
        getattr(take, "version", None),
        [child.number for child in getattr(take, "extended_by", None) or ()],
        getattr(take, "extend_offer", None),
        getattr(take, "extend_error", ""),
        getattr(take, "extend_again", False),
        getattr(take, "swap_oob", False),
        take.requested_by.username if take.requested_by_id else None,
        take.can_fetch_again,
        take.cancel_warning,
        take.cancel_progress if take.cancel_requested else "",
        timesince(take.queued_at) if take.queued_at else "",
        shot.circled_take_id,
        shot.label,
        membership.role,
        membership.project.is_archived,
        promote_models,
    )
