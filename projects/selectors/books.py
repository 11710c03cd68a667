"""Checking the books: the running totals must equal the ledger they were moved with.

Every money movement updates a total and appends a ledger entry in one transaction, so the
two cannot drift through the studio. This check is for everything else (a hand-run SQL fix,
a restored backup, a bug): it runs daily from beat and on demand (`manage.py check_books`),
and says in words what is off.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Sum

from projects.models import (
    FINISHED_TAKE_STATES,
    LedgerEntry,
    LedgerKind,
    MemberSpend,
    Project,
    ProviderSpend,
    Scene,
    TakeState,
)
from projects.selectors.money import ledger_amount
from providers.core.catalog import provider_name

ZERO = (Decimal(0), Decimal(0))


def _ledger_by(*keys: str) -> dict[tuple, tuple[Decimal, Decimal]]:
    rows = LedgerEntry.objects.values(*keys).annotate(
        reserved=Sum("reserved_change"), spent=Sum("spent_change")
    )
    return {
        tuple(row[key] for key in keys): (
            ledger_amount(row["reserved"]),
            ledger_amount(row["spent"]),
        )
        for row in rows
    }


def _compare(what: str, totals: Iterable[tuple], ledger: dict) -> list[str]:
    problems = []
    for key, name, reserved, spent in totals:
        expected = ledger.get(key, ZERO)
        actual = (ledger_amount(reserved), ledger_amount(spent))
        if actual != expected:
            problems.append(
                f"{what} {name}: held ${actual[0]}, spent ${actual[1]}, but the ledger "
                f"says held ${expected[0]}, spent ${expected[1]}."
            )
    return problems


def books_out_of_balance() -> list[str]:
    """Every place where a total disagrees with the ledger, or a hold outlived its take."""
    projects = (
        ((p.pk,), f'"{p.name}"', p.reserved, p.spent)
        for p in Project.objects.only("name", "reserved", "spent")
    )
    scenes = (
        ((s.pk,), f'scene {s.number} of "{s.project.name}"', s.reserved, s.spent)
        for s in Scene.objects.select_related("project").only(
            "number", "reserved", "spent", "project__name"
        )
    )
    months = (
        (
            (m.project_id, m.user_id, m.month),
            f'{m.user.get_username()} in {m.month:%B %Y} on "{m.project.name}"',
            m.reserved,
            m.spent,
        )
        for m in MemberSpend.objects.select_related("project", "user")
    )
    problems = _compare("Project", projects, _ledger_by("project_id"))
    problems += _compare("Budget of", scenes, _ledger_by("scene_id"))
    problems += _compare("Quota of", months, _ledger_by("project_id", "user_id", "month"))
    providers = (
        (
            (row.provider, row.month),
            f"{provider_name(row.provider)} in {row.month:%B %Y}",
            row.reserved,
            row.spent,
        )
        for row in ProviderSpend.objects.all()
    )
    problems += _compare("Studio-wide spending on", providers, _ledger_by("provider", "month"))
    problems += _stale_holds()
    problems += _settled_twice()
    return problems


def _stale_holds() -> list[str]:
    """A finished take keeps no hold, except "needs check", which waits for a person. A lost
    result counts as finished: its hold was settled as spent, like a success's."""
    done = set(FINISHED_TAKE_STATES) - {TakeState.NEEDS_CHECK}
    rows = (
        LedgerEntry.objects.filter(take__state__in=done)
        .values("take_id", "take__number", "take__shot__label", "take__state")
        .annotate(held=Sum("reserved_change"))
    )
    return [
        f"Take {row['take__number']} of shot {row['take__shot__label']} is "
        f"{row['take__state']} but still holds ${ledger_amount(row['held'])}."
        for row in rows
        if ledger_amount(row["held"]) != 0
    ]


def _settled_twice() -> list[str]:
    """A take is settled once: a lost result fetched again must not be charged again."""
    rows = (
        LedgerEntry.objects.filter(kind=LedgerKind.SETTLE, take__isnull=False)
        .values("take_id", "take__number", "take__shot__label")
        .annotate(settlements=Count("pk"))
        .filter(settlements__gt=1)
    )
    return [
        f"Take {row['take__number']} of shot {row['take__shot__label']} was settled "
        f"{row['settlements']} times."
        for row in rows
    ]
