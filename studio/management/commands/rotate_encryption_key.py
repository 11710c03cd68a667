"""Re-encrypt every stored secret with the first key of STUDIO_ENCRYPTION_KEY.

Rotation: put the new key first in STUDIO_ENCRYPTION_KEY, keep the old ones after it, deploy,
run this, then drop the old keys. It also moves secrets stored before STUDIO_ENCRYPTION_KEY
was set (encrypted with a key derived from SECRET_KEY) onto it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from studio.models import ProviderAccount
from studio.secrets import UnreadableSecret, encryption_keys, reencrypt

FIELDS = {"encrypted_credentials": "keys", "encrypted_webhook_token": "webhook token"}


class Command(BaseCommand):
    help = "Re-encrypt stored provider keys and webhook tokens with the first encryption key."

    def handle(self, *args, **options) -> None:
        if not encryption_keys():
            raise CommandError("Set STUDIO_ENCRYPTION_KEY first: the new key, then the old ones.")
        done = unreadable = 0
        for account in ProviderAccount.objects.order_by("slug"):
            for field, what in FIELDS.items():
                stored = getattr(account, field)
                if not stored:
                    continue
                try:
                    fresh = reencrypt(stored)
                except UnreadableSecret:
                    unreadable += 1
                    self.stderr.write(
                        f"{account.slug}: the stored {what} could not be read with any key in "
                        "STUDIO_ENCRYPTION_KEY (or SECRET_KEY); left as it was."
                    )
                    continue
                # Only if nobody changed it meanwhile (an admin typing a new key, a rotation).
                done += ProviderAccount.objects.filter(pk=account.pk, **{field: stored}).update(
                    **{field: fresh}
                )
        self.stdout.write(f"Re-encrypted {done} stored secret(s) with the first key.")
        if unreadable:
            raise CommandError(f"{unreadable} stored secret(s) could not be read; see above.")
