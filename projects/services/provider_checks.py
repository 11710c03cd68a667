"""Staff's "Test connection" on a provider account: one free call to the provider, answered in
plain words, whatever went wrong, and never with a key in the words or the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx

from projects.registry import ProviderUnavailable, provider_by_slug, unreadable_keys_reason
from providers.core.base import ConnectionCheck, ProviderError
from providers.core.catalog import provider_name

log = logging.getLogger(__name__)

# Shorter values are not secrets worth hiding (and would blank out ordinary words).
MIN_SECRET_LENGTH = 6


def provider_check(*, slug: str) -> ConnectionCheck:
    """Ask the provider set up as `slug` whether its keys work (its `check_connection`)."""
    name = provider_name(slug)
    try:
        provider = provider_by_slug(slug)
    except ProviderUnavailable as error:
        return ConnectionCheck(ok=False, message=str(error))
    secrets = list(_secrets(getattr(getattr(provider, "config", None), "credentials", {})))
    unreadable = unreadable_keys_reason(slug)
    if unreadable:
        return ConnectionCheck(ok=False, message=f"{name}: {unreadable}")
    try:
        check = provider.check_connection()
    except ProviderError as error:
        check = ConnectionCheck(ok=False, message=f"{name} answered: {error.message}")
    except httpx.HTTPError as error:
        check = ConnectionCheck(
            ok=False,
            message=f"Could not reach {name} ({type(error).__name__}): check the network "
            "and the provider's address, then try again.",
        )
    except Exception as error:
        # A check is a button for staff, never a 500: whatever broke is said in words.
        log.exception("Connection check for %s raised", slug)
        check = ConnectionCheck(
            ok=False, message=f"The check of {name} failed unexpectedly ({type(error).__name__})."
        )
    check = ConnectionCheck(
        ok=check.ok, message=scrub(check.message, secrets), models=tuple(check.models)
    )
    log.info("Connection check for %s: %s", slug, "ok" if check.ok else "failed")
    return check


def _secrets(value: Any) -> Iterator[str]:
    """Every string inside the credentials (a service account's JSON holds several)."""
    if isinstance(value, str):
        if len(value.strip()) >= MIN_SECRET_LENGTH:
            yield value.strip()
    elif isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            yield from _secrets(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secrets(item)


def scrub(message: str, secrets: list[str]) -> str:
    """`message` with every secret replaced by its last four characters, as the admin shows
    keys: a provider that echoes the key it refused must not put it on the page."""
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, f"…{secret[-4:]}")
    return message
