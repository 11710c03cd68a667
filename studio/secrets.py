"""Encrypting provider keys an admin enters in the studio (Fernet, keyed from SECRET_KEY).

STUDIO_ENCRYPTION_KEY may set the key explicitly; SECRET_KEY_FALLBACKS keep old keys readable
while a new SECRET_KEY is rolled out.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet_key(secret: str) -> bytes:
    digest = hashlib.sha256(b"shot-studio provider keys:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _box() -> MultiFernet:
    explicit = getattr(settings, "STUDIO_ENCRYPTION_KEY", "")
    secrets = [explicit] if explicit else []
    secrets += [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def encrypt(values: dict[str, str]) -> str:
    return _box().encrypt(json.dumps(values).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        return json.loads(_box().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}  # a key from before a SECRET_KEY change without fallbacks: enter it again
