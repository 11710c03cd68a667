"""The cost dashboard's reads: figures aggregated in the database, scoped to what the user runs.

Spending comes from the ledger (settlements minus refunds, dated by the entry's created_at), so
the totals here match the project's `spent` column. Staff see every project; anyone else sees
only the projects they own. Each function is a fixed number of queries whatever the row count.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import ClassVar

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from projects.models import LedgerEntry, LedgerKind, Project, Role, Scene, Take, TakeState
from projects.selectors.money import WARN_AT, budget_warning
from providers.core import catalog

ZERO = Decimal("0")
SPENDING = (LedgerKind.SETTLE, LedgerKind.REFUND)
# Canceled takes are the filmmaker's choice and "needs check" is undecided: neither is the
# provider's success or failure, so neither counts towards a success rate. A lost result (made
# and billed, but never saved) bought no video: it counts as a failure, and a costly one.
DECIDED = (TakeState.SUCCEEDED, TakeState.FAILED, TakeState.REJECTED, TakeState.RESULT_LOST)
WASTED = (TakeState.FAILED, TakeState.REJECTED, TakeState.RESULT_LOST)
# The wasted takes whose hold was let go; a lost result's hold was spent, not released.
RELEASED = (TakeState.FAILED, TakeState.REJECTED)
CSV_HEADER = [
    "date",
    "project",
    "scene",
    "shot",
    "take",
    "member",
    "provider",
    "model",
    "kind",
    "reserved change",
    "spent change",
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def dashboard_projects(user) -> QuerySet[Project]:
    """Staff: every project. Anyone else: the projects they own, never ones they only edit."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all().order_by("name", "pk")
    return Project.objects.filter(memberships__user=user, memberships__role=Role.OWNER).order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    # The calendar the dashboard answers for: wider than any ledger here, and far enough from
    # date.min / date.max that a month either side and the midnight after `end` still exist.
    FIRST: ClassVar[date] = date(2000, 1, 1)
    LAST: ClassVar[date] = date(2999, 12, 31)

    @classmethod
    def last_days(cls, days: int = 30, *, today: date | None = None) -> Period:
        end = today or timezone.localdate()
        return cls(end - timedelta(days=days - 1), end)

    @classmethod
    def from_ends(cls, start: date | None, end: date | None, *, days: int) -> Period:
        """The period between `start` and `end`; a missing end is `days` away from the other."""
        if start is None and end is None:
            return cls.last_days(days)
        end = end or (start + timedelta(days=days - 1))
        start = start or (end - timedelta(days=days - 1))
        return cls(start, end)

    @classmethod
    def allows(cls, day: date) -> bool:
        return cls.FIRST <= day <= cls.LAST

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """Exclusive: midnight after the last day, in the current time zone."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: Decimal


@dataclass
class Dashboard:
    period: Period
    projects: list[Project]
    total: Decimal = ZERO
    per_day: list[dict] = field(default_factory=list)
    day_bars: list[Bar] = field(default_factory=list)
    day_peak: Decimal = ZERO
    per_month: list[dict] = field(default_factory=list)
    by_project: list[dict] = field(default_factory=list)
    by_scene: list[dict] = field(default_factory=list)
    by_member: list[dict] = field(default_factory=list)
    by_provider: list[dict] = field(default_factory=list)
    by_model: list[dict] = field(default_factory=list)
    estimates: list[dict] = field(default_factory=list)
    wasted: list[dict] = field(default_factory=list)
    wasted_spent: Decimal = ZERO
    wasted_held: Decimal = ZERO
    providers: list[dict] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)


def ledger_in(projects: QuerySet[Project], period: Period) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(
        project__in=projects, created_at__gte=period.since, created_at__lt=period.until
    )


def spending_in(projects: QuerySet[Project], period: Period) -> QuerySet[LedgerEntry]:
    return ledger_in(projects, period).filter(kind__in=SPENDING)


def with_bars(rows: list[dict], *, key: str = "spent", width: int = 160) -> list[dict]:
    """Give each row a `bar` length in pixels, scaled to the largest; negatives draw nothing."""
    peak = max((row[key] or ZERO for row in rows), default=ZERO)
    for row in rows:
        value = row[key] or ZERO
        row["bar"] = int(value / peak * width) if peak > 0 and value > 0 else 0
    return rows


def column_chart(
    series: list[tuple[str, Decimal]], *, width: int = 720, height: int = 160, gap: int = 1
) -> list[Bar]:
    """Geometry for a column chart in an SVG of width × height: one column per value."""
    if not series:
        return []
    peak = max((value for _, value in series), default=ZERO)
    step = max(width // len(series), 1)
    bars = []
    for n, (label, value) in enumerate(series):
        tall = int(value / peak * height) if peak > 0 and value > 0 else 0
        bars.append(Bar(n * step, height - tall, max(step - gap, 1), tall, label, value))
    return bars


def _grouped(rows: QuerySet, label) -> list[dict]:
    out = [{"label": label(row), "spent": row["spent"] or ZERO} for row in rows]
    return with_bars(sorted(out, key=lambda row: (-row["spent"], row["label"])))


def spend_per_day(dashboard: Dashboard, spending: QuerySet[LedgerEntry]) -> None:
    rows = (
        spending.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(spent=Sum("spent_change"))
        .order_by("day")
    )
    by_day = {row["day"]: row["spent"] or ZERO for row in rows}
    days = dashboard.period.days()
    dashboard.per_day = [{"day": day, "spent": by_day.get(day, ZERO)} for day in days]
    dashboard.total = sum((row["spent"] for row in dashboard.per_day), ZERO)
    dashboard.day_peak = max((row["spent"] for row in dashboard.per_day), default=ZERO)
    dashboard.day_bars = column_chart(
        [(day.isoformat(), row["spent"]) for day, row in zip(days, dashboard.per_day, strict=True)]
    )
    # Months are sums of the days already fetched: no second query, and they cannot disagree.
    months: dict[date, Decimal] = {}
    for row in dashboard.per_day:
        month = row["day"].replace(day=1)
        months[month] = months.get(month, ZERO) + row["spent"]
    dashboard.per_month = with_bars(
        [{"month": month, "spent": spent} for month, spent in months.items()]
    )


def spend_by(dashboard: Dashboard, spending: QuerySet[LedgerEntry]) -> None:
    no_take = "Not tied to a take"
    dashboard.by_project = _grouped(
        spending.values("project_id", "project__name").annotate(spent=Sum("spent_change")),
        lambda row: row["project__name"],
    )
    dashboard.by_scene = _grouped(
        spending.values(
            "project__name",
            "take__shot__scene_id",
            "take__shot__scene__number",
            "take__shot__scene__title",
        ).annotate(spent=Sum("spent_change")),
        lambda row: (
            f"{row['project__name']} · {row['take__shot__scene__number']}. "
            f"{row['take__shot__scene__title']}"
            if row["take__shot__scene_id"]
            else f"{row['project__name']} · {no_take}"
        ),
    )
    # Settlements are written by the worker, so the member is whoever asked for the take.
    dashboard.by_member = _grouped(
        spending.annotate(
            member=Coalesce("take__requested_by__username", "user__username", Value(""))
        )
        .values("member")
        .annotate(spent=Sum("spent_change")),
        lambda row: row["member"] or "Unknown member",
    )
    dashboard.by_provider = _grouped(
        spending.values("take__provider").annotate(spent=Sum("spent_change")),
        lambda row: row["take__provider"] or no_take,
    )
    dashboard.by_model = _grouped(
        spending.values("take__model").annotate(spent=Sum("spent_change")),
        lambda row: (
            catalog.label_for(catalog.VIDEO_MODELS + catalog.STILL_MODELS, row["take__model"])
            if row["take__model"]
            else no_take
        ),
    )


def estimate_against_actual(dashboard: Dashboard, spending: QuerySet[LedgerEntry]) -> None:
    """Succeeded takes settled in the period: what we estimated against what the ledger says.

    One pass over the period's spending rows with each row's take beside it, added up here.
    Filters sit on the ledger alone, so PostgreSQL walks the ledger and looks each take up by
    its key whatever it believes about the tables: an EXISTS over takes took seconds on a
    freshly loaded database, before ANALYZE had given the planner any statistics."""
    rows = spending.filter(take__isnull=False).values_list(
        "take_id", "kind", "spent_change", "take__model", "take__state", "take__estimated_cost"
    )
    models: dict[str, dict] = {}
    counted: set[int] = set()
    for take_id, kind, spent, model, state, estimate in rows:
        if state != TakeState.SUCCEEDED:
            continue
        figures = models.setdefault(model, {"takes": 0, "estimated": ZERO, "actual": ZERO})
        figures["actual"] += spent or ZERO
        if kind == LedgerKind.SETTLE and take_id not in counted:
            counted.add(take_id)
            figures["takes"] += 1
            figures["estimated"] += estimate or ZERO
    rows = []
    for model, figures in models.items():
        estimated_total, actual_total = figures["estimated"], figures["actual"]
        difference = actual_total - estimated_total
        rows.append(
            {
                "label": catalog.label_for(catalog.VIDEO_MODELS + catalog.STILL_MODELS, model),
                "takes": figures["takes"],
                "estimated": estimated_total,
                "actual": actual_total,
                "difference": difference,
                "off": (
                    (difference / estimated_total * 100).quantize(Decimal("0.1"))
                    if estimated_total
                    else None
                ),
            }
        )
    rows.sort(key=lambda row: row["label"])
    # Both columns share one scale so the two bars compare directly.
    peak = max([row["estimated"] for row in rows] + [row["actual"] for row in rows] + [ZERO])
    for row in rows:
        for key in ("estimated", "actual"):
            row[f"{key}_bar"] = int(row[key] / peak * 160) if peak > 0 and row[key] > 0 else 0
    dashboard.estimates = rows


def cost_of_failures(
    dashboard: Dashboard, projects: QuerySet[Project], spending: QuerySet[LedgerEntry]
) -> None:
    """Money that bought no video: spent on takes that did not succeed, and holds let go."""
    spent = (
        spending.filter(take__isnull=False)
        .exclude(take__state=TakeState.SUCCEEDED)
        .values("take__state")
        .annotate(spent=Sum("spent_change"))
    )
    held = (
        Take.objects.filter(
            project__in=projects,
            state__in=WASTED,
            finished_at__gte=dashboard.period.since,
            finished_at__lt=dashboard.period.until,
        )
        .values("state")
        .annotate(takes=Count("pk"), held=Sum("estimated_cost", filter=Q(state__in=RELEASED)))
    )
    states: dict[str, dict] = {}
    for row in held:
        states[row["state"]] = {"takes": row["takes"], "held": row["held"] or ZERO}
    for row in spent:
        states.setdefault(row["take__state"], {"takes": 0, "held": ZERO})
        states[row["take__state"]]["spent"] = row["spent"] or ZERO
    labels = dict(TakeState.choices)
    rows = [
        {
            "label": labels.get(state, state),
            "takes": figures["takes"],
            "spent": figures.get("spent", ZERO),
            "held": figures["held"],
        }
        for state, figures in sorted(states.items())
    ]
    dashboard.wasted = with_bars(rows)
    dashboard.wasted_spent = sum((row["spent"] for row in rows), ZERO)
    dashboard.wasted_held = sum((row["held"] for row in rows), ZERO)


def provider_reliability(dashboard: Dashboard, projects: QuerySet[Project]) -> None:
    """Success rate over decided takes and the median wait from queue to video, per provider."""
    finished = Take.objects.filter(
        project__in=projects,
        finished_at__gte=dashboard.period.since,
        finished_at__lt=dashboard.period.until,
    )
    counts = (
        finished.filter(state__in=DECIDED)
        .values("provider")
        .annotate(decided=Count("pk"), succeeded=Count("pk", filter=Q(state=TakeState.SUCCEEDED)))
        .order_by("provider")
    )
    # SQLite has no percentile function, so the median is taken here: one query of two
    # timestamps per succeeded take, never one query per provider.
    waits: dict[str, list[float]] = {}
    for provider, queued_at, finished_at in finished.filter(
        state=TakeState.SUCCEEDED, queued_at__isnull=False
    ).values_list("provider", "queued_at", "finished_at"):
        if finished_at >= queued_at:  # a clock step backwards is not a negative wait
            waits.setdefault(provider, []).append((finished_at - queued_at).total_seconds())
    rows = []
    for row in counts:
        rate = Decimal(row["succeeded"] * 100) / row["decided"] if row["decided"] else ZERO
        median = statistics.median(waits[row["provider"]]) if waits.get(row["provider"]) else None
        rows.append(
            {
                "label": row["provider"] or "Unknown provider",
                "decided": row["decided"],
                "succeeded": row["succeeded"],
                "rate": rate.quantize(Decimal("0.1")),
                "bar": int(rate / 100 * 160),
                "median": human_duration(median) if median is not None else "—",
            }
        )
    dashboard.providers = rows


def human_duration(seconds: float) -> str:
    """ "45 s", "3 min 05 s", "2 h 04 min": enough precision to compare providers at a glance."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def budget_use(dashboard: Dashboard) -> None:
    """Today's position of each project, from the columns the ledger keeps equal to its sums."""
    rows = []
    for project in dashboard.projects:
        used = project.spent + project.reserved
        share = (used / project.budget * 100) if project.budget else None
        rows.append(
            {
                "project": project,
                "spent": project.spent,
                "held": project.reserved,
                "budget": project.budget,
                "share": share.quantize(Decimal("0.1")) if share is not None else None,
                "bar": min(int(share / 100 * 200), 200) if share is not None else 0,
                "warn": bool(project.budget) and used >= project.budget * WARN_AT,
                "warning": budget_warning(project),
            }
        )
    dashboard.budgets = rows


def cost_dashboard(*, projects: QuerySet[Project], period: Period) -> Dashboard:
    """Every section of the dashboard for these projects over the period (inclusive dates)."""
    dashboard = Dashboard(period=period, projects=list(projects))
    spending = spending_in(projects, period)
    spend_per_day(dashboard, spending)
    spend_by(dashboard, spending)
    estimate_against_actual(dashboard, spending)
    cost_of_failures(dashboard, projects, spending)
    provider_reliability(dashboard, projects)
    budget_use(dashboard)
    return dashboard


def safe_cell(value) -> str:
    """Text a spreadsheet will not run: a leading = + - @ (or tab/CR) gets a ' in front.

    Amounts we formatted ourselves stay numbers: "-1.25" cannot be a formula, and a quote would
    turn every hold's release into text a spreadsheet cannot add up."""
    if isinstance(value, (Decimal, int)):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def ledger_rows(*, projects: QuerySet[Project], period: Period):
    """The CSV's rows, one query streamed in chunks, every cell already made safe.

    Plain tuples rather than six model instances a row: 10,000 rows stream in well under a
    second."""
    entries = (
        ledger_in(projects, period)
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "project__name",
            "take__shot__scene_id",
            "take__shot__scene__number",
            "take__shot__scene__title",
            "take__shot__scene__location",
            "take__shot__scene__time_of_day",
            "take__shot__label",
            "take__number",
            "take__requested_by__username",
            "user__username",
            "take__provider",
            "take__model",
            "kind",
            "reserved_change",
            "spent_change",
        )
    )
    kinds = dict(LedgerKind.choices)
    current = timezone.get_current_timezone()
    headings: dict[int, str] = {}  # scenes are few and rows many: each slugline made once
    for (
        created_at,
        project,
        scene_id,
        *scene,
        shot,
        take,
        asked_by,
        entered_by,
        provider,
        model,
        kind,
        reserved,
        spent,
    ) in entries.iterator(chunk_size=2000):
        yield [
            safe_cell(value)
            for value in (
                created_at.astimezone(current).date().isoformat(),
                project,
                headings.get(scene_id) or headings.setdefault(scene_id, heading(*scene))
                if scene_id
                else "",
                shot or "",
                take if take is not None else "",
                asked_by or entered_by or "",
                provider or "",
                model or "",
                kinds.get(kind, kind),
                reserved,
                spent,
            )
        ]


def heading(number: int, title: str, location: str, time_of_day: str) -> str:
    return Scene(number=number, title=title, location=location, time_of_day=time_of_day).heading
