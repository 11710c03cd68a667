"""Money moves: a budget that holds worst-case costs while takes run, and settles, releases
or refunds them.

Every movement is a LedgerEntry and the project's `reserved` / `spent` columns move in the same
transaction, by conditional UPDATEs, so the cap holds under concurrent requests (PostgreSQL
re-checks the WHERE clause on the locked row; SQLite runs writers one at a time)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from projects.models import (
    LedgerEntry,
    LedgerKind,
    Membership,
    MemberSpend,
    Project,
    ProviderSpend,
    Scene,
    Take,
    TakeState,
)
from projects.selectors.money import held_for, ledger_amount, provider_cap_message
from studio.models import ProviderAccount

# SQLite does decimal arithmetic in floats (1.20 - 0.50 - 0.50 < 0.20 there): cap checks allow
# half a ledger unit, which no real excess (a whole 0.0001 at least) fits in.
SLACK = Decimal("0.00005")


class BudgetExceeded(Exception):
    pass


def _fits(amount: Decimal, cap: str = "budget") -> Q:
    used = F("spent") + F("reserved") + amount - SLACK
    return Q(**{f"{cap}__isnull": True}) | Q(**{f"{cap}__gte": used})


def budget_reserve(
    *, project: Project, take: Take, amount: Decimal, user=None, savepoint: bool = True
) -> None:
    """Hold the worst-case cost of a take against the project's budget, the scene's budget,
    the member's monthly quota and the provider account's monthly cap, or refuse (and hold
    nothing) if any of them would be passed.

    `savepoint=False` when the caller's transaction rolls back whole on BudgetExceeded (a take
    request): a refusal after the first UPDATE then needs no savepoint to undo it."""
    scene_id = take.shot.scene_id
    month = timezone.localdate().replace(day=1)
    with transaction.atomic(savepoint=savepoint):
        if not Project.objects.filter(_fits(amount), pk=project.pk).update(
            reserved=F("reserved") + amount
        ):
            project.refresh_from_db(fields=["budget", "spent", "reserved"])
            raise BudgetExceeded(_refusal(amount, project, "the project's"))
        if not Scene.objects.filter(_fits(amount), pk=scene_id).update(
            reserved=F("reserved") + amount
        ):
            scene = Scene.objects.get(pk=scene_id)
            raise BudgetExceeded(_refusal(amount, scene, f"scene {scene.number}'s"))
        limits = _limits(project, user, take.provider, month)
        if limits["quota"] is not None:
            _member_hold(project, user, month, amount, limits["quota"], limits["member_row"])
        _provider_hold(take.provider, month, amount, limits["cap"], limits["provider_row"])
        LedgerEntry.objects.create(
            project=project,
            take=take,
            user=user,
            scene_id=scene_id,
            month=month,
            provider=take.provider,
            kind=LedgerKind.RESERVE,
            reserved_change=amount,
            note=f"hold for take {take.number} of {take.shot.label}",
        )


# One round trip for every limit a hold checks after the budgets, hand-written because the ORM
# spends longer building this statement (four subqueries) than the database takes to run it.
# Table names come from the models; every value is a parameter.
LIMITS_SQL = f"""
SELECT
    (SELECT monthly_quota FROM {Membership._meta.db_table} WHERE project_id = %s AND user_id = %s),
    EXISTS (SELECT 1 FROM {MemberSpend._meta.db_table}
            WHERE project_id = %s AND user_id = %s AND month = %s),
    (SELECT monthly_cap FROM {ProviderAccount._meta.db_table} WHERE slug = %s),
    EXISTS (SELECT 1 FROM {ProviderSpend._meta.db_table} WHERE provider = %s AND month = %s)
"""  # noqa: S608


def _limits(project: Project, user, provider: str, month) -> dict:
    """The member's monthly quota, the provider account's monthly cap, and whether their rows
    for the month exist yet."""
    user_id = user.pk if user is not None else None
    month_value = connection.ops.adapt_datefield_value(month)
    with connection.cursor() as cursor:
        member, account = [project.pk, user_id], [provider]
        cursor.execute(LIMITS_SQL, [*member, *member, month_value, *account, *account, month_value])
        quota, member_row, cap, provider_row = cursor.fetchone()
    quota_field = Membership._meta.get_field("monthly_quota")
    cap_field = ProviderAccount._meta.get_field("monthly_cap")
    return {
        "quota": quota_field.to_python(quota) if quota is not None else None,
        "member_row": bool(member_row),
        "cap": cap_field.to_python(cap) if cap is not None else None,
        "provider_row": bool(provider_row),
    }


def _member_hold(project: Project, user, month, amount: Decimal, quota, row_exists) -> None:
    """Hold `amount` against the member's monthly quota on the project, or refuse."""
    if not row_exists:
        _month_row(project, user, month)
    fits = Q(spent__lte=quota + SLACK - amount - F("reserved"))
    if not MemberSpend.objects.filter(fits, project=project, user=user, month=month).update(
        reserved=F("reserved") + amount
    ):
        row = MemberSpend.objects.get(project=project, user=user, month=month)
        left = max(Decimal(0), quota - row.spent - row.reserved)
        raise BudgetExceeded(
            f"This take would cost up to ${amount:.2f} but only ${left:.2f} of your "
            f"${quota:.2f} monthly quota on this project is left."
        )


def _provider_hold(
    provider: str, month, amount: Decimal, cap: Decimal | None, row_exists: bool
) -> None:
    """Hold `amount` against the provider account's studio-wide cap for the month, or refuse.
    The same conditional UPDATE as the member quota: PostgreSQL re-checks the WHERE clause on
    the locked row, SQLite runs writers one at a time, so k takes fit a cap for k."""
    rows = ProviderSpend.objects.filter(provider=provider, month=month)
    if cap is None:
        # No cap now, but a row kept from an earlier cap must keep following the ledger.
        if row_exists:
            rows.update(reserved=F("reserved") + amount)
        return
    if not row_exists:
        _provider_month_row(provider, month)
    if not rows.filter(spent__lte=cap + SLACK - amount - F("reserved")).update(
        reserved=F("reserved") + amount
    ):
        row = rows.get()
        used = row.spent + row.reserved
        raise BudgetExceeded(provider_cap_message(provider, month, cap, used, amount))


def _provider_month_row(provider: str, month) -> None:
    """The provider's row for the month, started from the ledger: a cap set mid-month counts
    what the studio already spent and held on that account that month."""
    if ProviderSpend.objects.filter(provider=provider, month=month).exists():
        return
    sums = LedgerEntry.objects.filter(provider=provider, month=month).aggregate(
        reserved=Sum("reserved_change"), spent=Sum("spent_change")
    )
    ProviderSpend.objects.get_or_create(
        provider=provider,
        month=month,
        defaults={
            "reserved": ledger_amount(sums["reserved"]),
            "spent": ledger_amount(sums["spent"]),
        },
    )


def _month_row(project: Project, user, month) -> None:
    """The member's row for the month, started from the ledger: a quota set mid-month counts
    what was already spent and held that month."""
    if MemberSpend.objects.filter(project=project, user=user, month=month).exists():
        return
    sums = LedgerEntry.objects.filter(project=project, user=user, month=month).aggregate(
        reserved=Sum("reserved_change"), spent=Sum("spent_change")
    )
    MemberSpend.objects.get_or_create(
        project=project,
        user=user,
        month=month,
        defaults={
            "reserved": ledger_amount(sums["reserved"]),
            "spent": ledger_amount(sums["spent"]),
        },
    )


def _refusal(amount: Decimal, holder, whose: str) -> str:
    left = max(Decimal(0), holder.budget - holder.spent - holder.reserved)
    return (
        f"This take would cost up to ${amount:.2f} but only ${left:.2f} of {whose} "
        f"${holder.budget:.2f} budget is left."
    )


def _move(take: Take, *, reserved: Decimal, spent: Decimal, kind: str, note: str) -> None:
    """Apply one movement to the project, the scene and the member month of the take's hold."""
    hold = LedgerEntry.objects.filter(take=take, kind=LedgerKind.RESERVE).first()
    scene_id = hold.scene_id if hold else None
    user_id = hold.user_id if hold else None
    month = hold.month if hold else None
    provider = (hold.provider if hold else "") or take.provider
    changes = {"reserved": F("reserved") + reserved, "spent": F("spent") + spent}
    Project.objects.filter(pk=take.project_id).update(**changes)
    if scene_id:
        Scene.objects.filter(pk=scene_id).update(**changes)
    if user_id and month:
        MemberSpend.objects.filter(project_id=take.project_id, user_id=user_id, month=month).update(
            **changes
        )
    if month:
        ProviderSpend.objects.filter(provider=provider, month=month).update(**changes)
    LedgerEntry.objects.create(
        project_id=take.project_id,
        take=take,
        user_id=user_id,
        scene_id=scene_id,
        month=month,
        provider=provider,
        kind=kind,
        reserved_change=reserved,
        spent_change=spent,
        note=note[:200],
    )


def budget_settle(*, take: Take, actual: Decimal | None) -> None:
    """The take succeeded: its hold becomes spending (the provider's figure where it gives one)."""
    with transaction.atomic():
        held = held_for(take.pk)
        if held <= 0 and LedgerEntry.objects.filter(take=take, kind=LedgerKind.SETTLE).exists():
            return  # settled already
        spent = actual if actual is not None else held
        note = "provider's figure" if actual is not None else "estimate (provider gave none)"
        _move(take, reserved=-held, spent=spent, kind=LedgerKind.SETTLE, note=note)


def budget_release(*, take: Take, note: str) -> None:
    """The take failed, was rejected or canceled: let go of its hold."""
    with transaction.atomic():
        held = held_for(take.pk)
        if held > 0:
            _move(take, reserved=-held, spent=Decimal(0), kind=LedgerKind.RELEASE, note=note)


def budget_refund(*, take: Take, amount: Decimal, note: str) -> None:
    """The provider gave money back for a settled take."""
    with transaction.atomic():
        _move(take, reserved=Decimal(0), spent=-amount, kind=LedgerKind.REFUND, note=note)


def take_settle(*, take_id: int, state: str) -> None:
    """Settlement: a take has finished (take_states.move calls this in the same transaction).

    Success spends the hold, and so does a result the provider made (and billed) but we could
    not fetch; a failure lets it go; "needs check" keeps it until a person decides, because
    the provider may have charged for it. Settling twice (a result fetched again
    after it was lost) changes nothing: budget_settle settles a take once."""
    take = Take.objects.get(pk=take_id)
    if state in (TakeState.SUCCEEDED, TakeState.RESULT_LOST):
        budget_settle(take=take, actual=take.actual_cost)
    elif state != TakeState.NEEDS_CHECK:
        budget_release(take=take, note=f"take {take.number} {take.get_state_display().lower()}")
