"""Money: prices before submitting, and a budget that holds worst-case costs while takes run.

Every movement is a LedgerEntry and the project's `reserved` / `spent` columns move in the same
transaction, by conditional UPDATEs, so the cap holds under concurrent requests (PostgreSQL
re-checks the WHERE clause on the locked row; SQLite runs writers one at a time).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from providers.core.catalog import provider_name
from providers.core.prices import Quote, Rate
from providers.core.spec import ShotSpec
from providers.prices import quote
from studio.models import ProviderAccount

from .models import (
    LedgerEntry,
    LedgerKind,
    Membership,
    MemberSpend,
    Project,
    ProviderSpend,
    RateCard,
    Scene,
    Take,
)

WARN_AT = Decimal("0.8")
LEDGER_PLACES = Decimal("0.0001")
# SQLite does decimal arithmetic in floats (1.20 - 0.50 - 0.50 < 0.20 there): cap checks allow
# half a ledger unit, which no real excess (a whole 0.0001 at least) fits in.
SLACK = Decimal("0.00005")


class BudgetExceeded(Exception):
    pass


def rate_cards() -> list[Rate]:
    today = timezone.localdate()
    return [
        Rate(
            card.model,
            card.resolution,
            card.audio,
            card.unit,
            card.price,
            card.currency,
            card.effective,
            card.source,
        )
        for card in RateCard.objects.filter(effective__lte=today)
    ]


def take_quote(model: str, spec: ShotSpec) -> Quote:
    """Raises providers.prices.Unpriced with a message when no rate card matches."""
    return quote(model, spec, rate_cards())


def _fits(amount: Decimal, cap: str = "budget") -> Q:
    used = F("spent") + F("reserved") + amount - SLACK
    return Q(**{f"{cap}__isnull": True}) | Q(**{f"{cap}__gte": used})


def budget_reserve(*, project: Project, take: Take, amount: Decimal, user=None) -> None:
    """Hold the worst-case cost of a take against the project's budget, the scene's budget and
    the member's monthly quota, or refuse (and hold nothing) if any of them would be passed."""
    scene = take.shot.scene
    month = timezone.localdate().replace(day=1)
    with transaction.atomic():
        if not Project.objects.filter(_fits(amount), pk=project.pk).update(
            reserved=F("reserved") + amount
        ):
            project.refresh_from_db(fields=["budget", "spent", "reserved"])
            raise BudgetExceeded(_refusal(amount, project, "the project's"))
        if not Scene.objects.filter(_fits(amount), pk=scene.pk).update(
            reserved=F("reserved") + amount
        ):
            scene.refresh_from_db(fields=["budget", "spent", "reserved"])
            raise BudgetExceeded(_refusal(amount, scene, f"scene {scene.number}'s"))
        quota = (
            Membership.objects.filter(project=project, user=user)
            .values_list("monthly_quota", flat=True)
            .first()
            if user
            else None
        )
        if quota is not None:
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
        _provider_hold(take.provider, month, amount)
        LedgerEntry.objects.create(
            project=project,
            take=take,
            user=user,
            scene=scene,
            month=month,
            provider=take.provider,
            kind=LedgerKind.RESERVE,
            reserved_change=amount,
            note=f"hold for take {take.number} of {take.shot.label}",
        )


def provider_cap(provider: str) -> Decimal | None:
    """The studio-wide monthly cap of the provider account, if an admin set one."""
    return (
        ProviderAccount.objects.filter(slug=provider).values_list("monthly_cap", flat=True).first()
    )


def _provider_hold(provider: str, month, amount: Decimal) -> None:
    """Hold `amount` against the provider account's studio-wide cap for the month, or refuse.
    The same conditional UPDATE as the member quota: PostgreSQL re-checks the WHERE clause on
    the locked row, SQLite runs writers one at a time, so k takes fit a cap for k."""
    cap = provider_cap(provider)
    rows = ProviderSpend.objects.filter(provider=provider, month=month)
    if cap is None:
        # No cap now, but a row kept from an earlier cap must keep following the ledger.
        rows.update(reserved=F("reserved") + amount)
        return
    _provider_month_row(provider, month)
    if not rows.filter(spent__lte=cap + SLACK - amount - F("reserved")).update(
        reserved=F("reserved") + amount
    ):
        row = rows.get()
        used = row.spent + row.reserved
        raise BudgetExceeded(_provider_refusal(provider, month, cap, used, amount))


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


def _provider_refusal(provider: str, month, cap: Decimal, used: Decimal, amount: Decimal) -> str:
    left = max(Decimal(0), cap - used)
    name = provider_name(provider)
    return (
        f"{name}'s studio-wide cap for {month:%B} is ${cap:.2f} and only ${left:.2f} is left; "
        f"this take may cost up to ${amount:.2f}."
    )


def provider_cap_refusal(provider: str, amount: Decimal) -> str:
    """Before the click: why the provider's monthly cap would refuse a take costing up to
    `amount`, or "" when it fits (read only; the hold itself re-checks under the lock)."""
    cap = provider_cap(provider)
    if cap is None:
        return ""
    month = timezone.localdate().replace(day=1)
    row = ProviderSpend.objects.filter(provider=provider, month=month).first()
    if row is not None:
        used = row.spent + row.reserved
    else:
        sums = LedgerEntry.objects.filter(provider=provider, month=month).aggregate(
            reserved=Sum("reserved_change"), spent=Sum("spent_change")
        )
        used = ledger_amount(sums["reserved"]) + ledger_amount(sums["spent"])
    if used + amount <= cap:
        return ""
    return _provider_refusal(provider, month, cap, used, amount)


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


def ledger_amount(total) -> Decimal:
    """A ledger sum at the ledger's own precision: SQLite sums decimals as floats
    (2.78 - 2.78 can come back as -3.9e-31)."""
    return Decimal(total or 0).quantize(LEDGER_PLACES)


def held_for(take_id: int) -> Decimal:
    """What the take still holds against its budgets."""
    total = LedgerEntry.objects.filter(take_id=take_id).aggregate(s=Sum("reserved_change"))["s"]
    return ledger_amount(total)


def charged_for(take_id: int) -> Decimal:
    """What the take costs the project now: settled spending net of refunds."""
    total = LedgerEntry.objects.filter(take_id=take_id).aggregate(s=Sum("spent_change"))["s"]
    return ledger_amount(total)


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


def budget_warning(project: Project) -> str:
    """A sentence when 80 % or more of the budget is spent or held, else ""."""
    if not project.budget:
        return ""
    used = project.spent + project.reserved
    if used < project.budget * WARN_AT:
        return ""
    share = int(used / project.budget * 100)
    return (
        f"{share} % of the ${project.budget:.2f} budget is spent or held "
        f"(${project.spent:.2f} spent, ${project.reserved:.2f} held for running takes)."
    )


def scene_estimate(scene, rates: list[Rate]) -> tuple[Decimal, list[str]]:
    """Worst-case total of the scene's ready shots, and the labels that have no price."""
    from providers.core.prices import Unpriced

    from .models import ShotStatus
    from .shot_spec import shot_spec

    total, unpriced = Decimal(0), []
    for shot in scene.shots.all():  # prefetched by the storyboard
        if shot.status != ShotStatus.READY:
            continue
        spec = shot_spec(shot, reference_count=0)  # price does not depend on references
        try:
            total += quote(shot.target_model, spec, rates).amount
        except Unpriced:
            unpriced.append(shot.label)
    return total, unpriced
