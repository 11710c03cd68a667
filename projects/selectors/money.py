"""What things cost and what is left: rate cards, quotes, the ledger's sums, budget warnings.

Reads only; the writes that move money are in projects.services.money."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from projects.models import (
    LedgerEntry,
    Project,
    ProviderSpend,
    RateCard,
)
from providers.core.catalog import provider_name
from providers.core.prices import Quote, Rate
from providers.core.spec import ShotSpec
from providers.prices import quote, quote_still
from studio.models import ProviderAccount

WARN_AT = Decimal("0.8")


LEDGER_PLACES = Decimal("0.0001")


def rate_cards(*models: str) -> list[Rate]:
    """The rate cards in force today; only those of `models` when named (a quote for one model
    reads its own few cards, not the whole table: a take request does this every time)."""
    today = timezone.localdate()
    cards = RateCard.objects.filter(effective__lte=today)
    if models:
        cards = cards.filter(model__in=models)
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
        for card in cards
    ]


def take_quote(model: str, spec: ShotSpec) -> Quote:
    """Raises providers.prices.Unpriced with a message when no rate card matches."""
    return quote(model, spec, rate_cards(model))


def frame_quote(model: str, resolution: str) -> Quote:
    """The price of one hero-frame candidate on still model `model` at its `resolution` word,
    from the rate cards; providers.prices.Unpriced (with a message) when none matches."""
    return quote_still(model, resolution, rate_cards(model))


def provider_cap(provider: str) -> Decimal | None:
    """The studio-wide monthly cap of the provider account, if an admin set one."""
    return (
        ProviderAccount.objects.filter(slug=provider).values_list("monthly_cap", flat=True).first()
    )


def provider_cap_message(provider: str, month, cap: Decimal, used: Decimal, amount: Decimal) -> str:
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
    return provider_cap_message(provider, month, cap, used, amount)


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
    from projects.models import ShotStatus
    from projects.selectors.shot_spec import shot_spec
    from providers.core.prices import Unpriced

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
