"""System checks for production settings (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .secrets import encryption_keys


@register(Tags.security, deploy=True)
def encryption_key_set(app_configs=None, **kwargs) -> list:
    """Stored provider keys need a key of their own: derived from SECRET_KEY, rotating
    SECRET_KEY would make every stored key unreadable."""
    if settings.DEBUG:
        return []
    keys = encryption_keys()
    if not keys:
        return [
            Error(
                "STUDIO_ENCRYPTION_KEY is not set: provider keys and webhook tokens stored in "
                "the studio would be encrypted with a key derived from SECRET_KEY.",
                hint="Set STUDIO_ENCRYPTION_KEY to a long random string, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`, and keep it "
                "with your other secrets.",
                id="studio.E001",
            )
        ]
    if any(len(key) < 32 for key in keys):
        return [
            Warning(
                "A key in STUDIO_ENCRYPTION_KEY is shorter than 32 characters.",
                hint="Use long random strings; add the new key first, run "
                "`manage.py rotate_encryption_key`, then drop the old one.",
                id="studio.W001",
            )
        ]
    return []
