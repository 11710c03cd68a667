"""Encrypting what the studio stores for providers: keys an admin enters, webhook tokens.

STUDIO_ENCRYPTION_KEY (required in production, see studio/checks.py) is a comma-separated
list: the first key encrypts, every key decrypts (MultiFernet), so a new key goes first and the
old ones stay listed until `manage.py rotate_encryption_key` has re-encrypted everything.
When it is set, SECRET_KEY plays no part: rotating SECRET_KEY (sessions, CSRF, password
resets) must never make stored provider keys unreadable. Without it (local development only)
the key is derived from SECRET_KEY and SECRET_KEY_FALLBACKS, as before.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UnreadableSecret(Exception):
    """A stored secret that no configured key decrypts: the keys changed, or it is damaged."""


def _fernet_key(secret: str) -> bytes:
    # Any long random string is a key: hashed to the 32 bytes Fernet needs. Keys that were set
    # before the list existed were derived the same way, so they keep working.
    digest = hashlib.sha256(b"shot-studio provider keys:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encryption_keys() -> list[str]:
    """The configured STUDIO_ENCRYPTION_KEY list, first (encrypting) key first."""
    value = getattr(settings, "STUDIO_ENCRYPTION_KEY", "") or ""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def _legacy_keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _box(*, with_legacy: bool = False) -> MultiFernet:
    keys = encryption_keys()
    if not keys:
        keys = _legacy_keys()
    elif with_legacy:
        # Only while re-encrypting: secrets stored before STUDIO_ENCRYPTION_KEY was set.
        keys = [*keys, *_legacy_keys()]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in keys])


def encrypt_text(value: str) -> str:
    return _box().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    """The stored value, or UnreadableSecret; an empty token is an empty value."""
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as error:
        raise UnreadableSecret("No key in STUDIO_ENCRYPTION_KEY decrypts this value.") from error


def encrypt(values: dict[str, str]) -> str:
    return encrypt_text(json.dumps(values))


def decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        values = json.loads(decrypt_text(token))
    except ValueError as error:
        raise UnreadableSecret("A stored value decrypted to something that is not JSON.") from error
    if not isinstance(values, dict):
        raise UnreadableSecret("A stored value decrypted to something that is not a mapping.")
    return values


def reencrypt(token: str) -> str:
    """The same secret encrypted with the first key (UnreadableSecret if no key reads it)."""
    if not token:
        return ""
    try:
        return _box(with_legacy=True).rotate(token.encode()).decode()
    except (InvalidToken, ValueError) as error:
        raise UnreadableSecret("No configured key decrypts this value.") from error
