import logging
from decimal import Decimal
from secrets import token_urlsafe

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

UNREADABLE_KEYS = "the stored keys could not be read — check STUDIO_ENCRYPTION_KEY"


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
        """The stored keys; {} when none are stored or when they cannot be decrypted (which is
        logged as an error: it is a configuration problem, not "no key")."""
        from .secrets import UnreadableSecret, decrypt

        try:
            return decrypt(self.encrypted_credentials)
        except UnreadableSecret:
            logger.error(
                "The stored keys of provider account %s could not be decrypted: check "
                "STUDIO_ENCRYPTION_KEY (a key that encrypted them is missing from the list).",
                self.slug,
            )
            return {}

    @property
    def keys_unreadable(self) -> bool:
        """Keys are stored but no configured encryption key reads them."""
        from .secrets import UnreadableSecret, decrypt

        try:
            decrypt(self.encrypted_credentials)
        except UnreadableSecret:
            return True
        return False

    def set_credentials(self, values: dict[str, str]) -> None:
        from .secrets import encrypt

        kept = {name: value for name, value in values.items() if value}
        self.encrypted_credentials = encrypt(kept) if kept else ""
        self.credential_hint = " ".join(f"…{value[-4:]}" for value in kept.values())[:40]

    def stored_webhook_token(self) -> str:
        """The current webhook token, or "" when there is none or it cannot be decrypted."""
        from .secrets import UnreadableSecret, decrypt_text

        try:
            return decrypt_text(self.encrypted_webhook_token)
        except UnreadableSecret:
            logger.error(
                "The webhook token of provider account %s could not be decrypted: check "
                "STUDIO_ENCRYPTION_KEY. Its webhooks are refused; polling still follows jobs.",
                self.slug,
            )
            return ""

    def rotate_webhook_token(self) -> None:
        """A new random token: URLs handed out before stop nudging (polling is the backstop)."""
        from .secrets import encrypt_text

        now = timezone.now()
        self.encrypted_webhook_token = encrypt_text(token_urlsafe(32))
        self.webhook_token_rotated_at = self.updated_at = now
        # updated_at too: cached providers are rebuilt with the new webhook URL.
        ProviderAccount.objects.filter(pk=self.pk).update(
            encrypted_webhook_token=self.encrypted_webhook_token,
            webhook_token_rotated_at=now,
            updated_at=now,
        )

    @classmethod
    def webhook_token_for(cls, slug: str) -> str:
        """The provider's webhook token, made on first use (and kept: racing callers all get
        the one that was stored first). "" when the stored one cannot be decrypted."""
        from .secrets import encrypt_text

        account, _ = cls.objects.get_or_create(slug=slug)
        if not account.encrypted_webhook_token:
            cls.objects.filter(pk=account.pk, encrypted_webhook_token="").update(
                encrypted_webhook_token=encrypt_text(token_urlsafe(32)),
                webhook_token_rotated_at=timezone.now(),
            )
            account.refresh_from_db(fields=["encrypted_webhook_token", "webhook_token_rotated_at"])
        return account.stored_webhook_token()
