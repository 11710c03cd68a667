"""The shot page, shared whole while nothing it shows has changed (docs/decisions/014).

Building the page reads a dozen tables and renders a few hundred fields; reloading it, or a
colleague opening it, mostly finds everything as it was. `page_stamp` reads, in one plain SQL
statement, every row the page shows — the shot and its scene, references, takes with who asked,
the takes' newest money and history lines, the team's presets and prompt templates, the rate
cards, the provider accounts and this month's provider spend — plus the viewer's unread count
for the top bar. Its digest, with the project row, the viewer and the minute (the cards print
"3 minutes ago"), keys the page's markup (templatetags/fragments.py). Columns rather than
updated_at: workers write with update(), which leaves auto_now alone.

The stamp is read before the page's own reads, so markup stored under it is never older than it.
"""

# The statement is put together from the models' own table and column names; every value in
# it is a query parameter.
# ruff: noqa: S608
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404
from django.utils import timezone

from projects.models import (
    LedgerEntry,
    Membership,
    Notification,
    Project,
    PromptTemplate,
    ProviderSpend,
    RateCard,
    ReferenceImage,
    Scene,
    Shot,
    Take,
    TakeEvent,
    TeamPreset,
)
from projects.selectors.take_card import markup_key
from studio.models import ProviderAccount


@dataclass(frozen=True)
class PageStamp:
    digest: str
    role: str  # the viewer's on the project
    label: str  # the shot's and the project's names, for the page title
    project_name: str
    unread: int  # the viewer's unread notifications, for the top bar


def _array(alias: str, model, extra: tuple[str, ...] = ()) -> str:
    """Every column of `model` (as `alias`), and `extra` expressions, as one JSON array."""
    quote = connection.ops.quote_name
    columns = [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]
    function = "json_build_array" if connection.vendor == "postgresql" else "json_array"
    # As text: PostgreSQL's UNION will not mix json with the other parts' text.
    return f"CAST({function}({', '.join([*columns, *extra])}) AS TEXT)"


@cache
def _statement(vendor: str) -> str:
    """One statement, one text column: (kind, row as JSON). Built once per database kind."""
    t = lambda model: model._meta.db_table  # noqa: E731
    quote_name = connection.ops.quote_name
    user = get_user_model()._meta.db_table
    shot_takes = f"SELECT id FROM {t(Take)} WHERE shot_id = %(shot)s"
    parts = [
        # Who asks: their role, and the project as it is now (its name, budget, archived...).
        f"SELECT 'w', m.role, {_array('o', Project)} FROM {t(Membership)} m "
        f"JOIN {t(Project)} o ON o.id = m.project_id "
        "WHERE m.user_id = %(user)s AND m.project_id = %(project)s",
        f"SELECT 'o', o.name, '' FROM {t(Project)} o WHERE o.id = %(project)s",
        f"SELECT 's', s.label, {_array('s', Shot)} FROM {t(Shot)} s "
        "WHERE s.id = %(shot)s AND s.project_id = %(project)s",
        f"SELECT 'c', NULL, {_array('c', Scene)} FROM {t(Scene)} c "
        f"WHERE c.id = (SELECT scene_id FROM {t(Shot)} WHERE id = %(shot)s)",
        f"SELECT 'a', NULL, u.{quote_name(get_user_model().USERNAME_FIELD)} FROM {user} u "
        f"WHERE u.id = (SELECT approved_by_id FROM {t(Shot)} WHERE id = %(shot)s)",
        f"SELECT 'r', NULL, {_array('r', ReferenceImage)} FROM {t(ReferenceImage)} r "
        "WHERE r.shot_id = %(shot)s",
        f"SELECT 't', NULL, {_array('k', Take, ('u.username',))} FROM {t(Take)} k "
        f"LEFT JOIN {user} u ON u.id = k.requested_by_id WHERE k.shot_id = %(shot)s",
        # Money and history lines are only ever added: their count and newest id say it all.
        f"SELECT 'l', NULL, COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM {t(LedgerEntry)} "
        f"WHERE take_id IN ({shot_takes})",
        f"SELECT 'e', NULL, COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM {t(TakeEvent)} "
        f"WHERE take_id IN ({shot_takes})",
        f"SELECT 'p', NULL, {_array('p', TeamPreset)} FROM {t(TeamPreset)} p "
        "WHERE p.project_id = %(project)s",
        f"SELECT 'q', NULL, {_array('q', RateCard)} FROM {t(RateCard)} q",
        # The preview's prompt is phrased by the project's or the studio's template.
        f"SELECT 'x', NULL, {_array('x', PromptTemplate)} FROM {t(PromptTemplate)} x "
        "WHERE x.project_id = %(project)s OR x.project_id IS NULL",
        f"SELECT 'v', NULL, {_array('v', ProviderAccount)} FROM {t(ProviderAccount)} v",
        f"SELECT 'm', NULL, {_array('m', ProviderSpend)} FROM {t(ProviderSpend)} m "
        "WHERE m.month = %(month)s",
        # A capped provider with no spend row yet this month is checked against the ledger.
        f"SELECT 'g', NULL, COUNT(*) || ':' || COALESCE(MAX(id), 0) FROM {t(LedgerEntry)} g "
        "WHERE g.month = %(month)s AND g.provider IN "
        f"(SELECT slug FROM {t(ProviderAccount)} WHERE monthly_cap IS NOT NULL) "
        f"AND NOT EXISTS (SELECT 1 FROM {t(ProviderSpend)} n "
        "WHERE n.provider = g.provider AND n.month = %(month)s)",
        f"SELECT 'n', NULL, CAST(COUNT(*) AS TEXT) FROM {t(Notification)} "
        "WHERE user_id = %(user)s AND read_at IS NULL",
    ]
    del vendor  # part of the cache key only: the JSON function differs
    return " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{n}" for n, part in enumerate(parts))


def page_stamp(project_id: int, shot_id: int, user) -> PageStamp:
    """What the shot page of `shot_id` shows to `user`, as a digest. Http404 for anyone not in
    the project (as projects.selectors.access.membership_for) and for a shot not in it."""
    month = timezone.localdate().replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(
            _statement(connection.vendor),
            {"shot": shot_id, "project": project_id, "user": user.pk, "month": month},
        )
        found = cursor.fetchall()
    first = {kind: text for kind, text, _ in reversed(found)}
    if "w" not in first:
        raise Http404("No such project.")
    if "s" not in first:
        raise Http404("No such shot.")
    # Sorted: a UNION's order is the database's choice.
    digest = hashlib.blake2b(repr(sorted(found)).encode(), digest_size=16).hexdigest()
    unread = int(next(row[2] for row in found if row[0] == "n"))
    return PageStamp(digest, first["w"], first["s"], first["o"], unread)


def page_key(stamp: PageStamp, user, *, streaming: bool) -> str:
    """The page's markup key: the stamp (which holds the project and the viewer's role), the
    viewer (their name is on the live bar), and the minute, for the "asked 3 minutes ago"
    on the cards."""
    return markup_key(
        stamp.digest,
        user.pk,
        user.get_username(),
        streaming,
        timezone.now().strftime("%Y-%m-%d %H:%M"),
    )
