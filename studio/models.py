from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


class WorkerHeartbeat(models.Model):
    """Last time each worker answered: the studio shows whether background work is running."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ProviderAccount(models.Model):
    """A provider account's settings kept in the studio: keys entered by an admin (encrypted,
    never shown again), and how many jobs the account may run at once."""

    slug = models.CharField(max_length=40, unique=True)
    encrypted_credentials = models.TextField(blank=True, editable=False)
    credential_hint = models.CharField(
        max_length=40, blank=True, editable=False, help_text="Last four characters of each key."
    )
    max_concurrent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Jobs this account may run at once; empty = default."
    )
    monthly_cap = models.DecimalField(
        "monthly cap (USD)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="What the whole studio may spend on this account per calendar month; "
        "takes beyond it are refused. Empty = no cap.",
    )
    # The secret in this provider's webhook URL: random, stored encrypted, rotated by staff.
    encrypted_webhook_token = models.TextField(blank=True, editable=False)
    webhook_token_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def credentials(self) -> dict[str, str]:
        from .secrets import decrypt

        return decrypt(self.encrypted_credentials)

    def set_credentials(self, values: dict[str, str]) -> None:
        from .secrets import encrypt

        kept = {name: value for name, value in values.items() if value}
        self.encrypted_credentials = encrypt(kept) if kept else ""
        self.credential_hint = " ".join(f"…{value[-4:]}" for value in kept.values())[:40]
