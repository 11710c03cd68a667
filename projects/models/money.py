"""Money: rate cards, the append-only ledger, and the running sums it keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.models import choices

from .film import Project, Scene

LEDGER_AMOUNT = models.DecimalField(max_digits=12, decimal_places=4)


class RateCard(models.Model):
    """A price per second, per million tokens, per image or per unit; staff keep these current."""

    model = models.CharField(max_length=40, choices=choices.take_models)
    resolution = models.CharField(max_length=8, default="*", help_text="* matches any.")
    audio = models.BooleanField(null=True, blank=True, help_text="Empty matches both.")
    unit = models.CharField(
        max_length=20,
        choices=[
            ("second", "per second"),
            ("million_tokens", "per million tokens"),
            ("unit", "per unit"),
            ("image", "per image"),
        ],
    )
    price = models.DecimalField(max_digits=12, decimal_places=6)
    currency = models.CharField(max_length=3, default="USD")
    effective = models.DateField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["model", "resolution", "-effective"]

    def __str__(self) -> str:
        price = f"{self.price} {self.currency}/{self.unit}"
        return f"{self.get_model_display()} {self.resolution}: {price}"


class LedgerKind(models.TextChoices):
    RESERVE = "reserve", "Reserved"
    SETTLE = "settle", "Spent"
    RELEASE = "release", "Released"
    REFUND = "refund", "Refunded"


class LedgerEntry(models.Model):
    """Append-only money movements. Project.reserved and Project.spent always equal their sums:
    reserve +reserved; settle -reserved +spent; release -reserved; refund -spent."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ledger")
    take = models.ForeignKey("Take", on_delete=models.SET_NULL, null=True, related_name="ledger")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    scene = models.ForeignKey(
        Scene, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger"
    )
    month = models.DateField(null=True, blank=True, help_text="Quota month of the hold.")
    # The provider account the money went to, kept even if the take is deleted later: the
    # studio-wide monthly cap per provider account is checked against these sums.
    provider = models.CharField(max_length=40, blank=True, db_index=True)
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    reserved_change = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    spent_change = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reserved_change}/{self.spent_change}"


class MemberSpend(models.Model):
    """A member's spending on a project in one calendar month, against their quota."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="member_spend")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "month"], name="one_row_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.month:%Y-%m}: {self.spent}"


class ProviderSpend(models.Model):
    """What the whole studio spent and holds on one provider account in one calendar month,
    against the account's optional monthly cap (studio.ProviderAccount.monthly_cap)."""

    provider = models.CharField(max_length=40)
    month = models.DateField()
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    reserved = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "month"], name="one_provider_row_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.month:%Y-%m}: {self.spent}"
