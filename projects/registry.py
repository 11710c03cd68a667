"""Providers by slug, built from the VIDEO_PROVIDERS setting, whose keys are the adapter
classes' own slugs: a dotted path, options, and where each credential comes from (an
environment variable, else the key an admin entered in the studio, stored encrypted); each
provider is built from one ProviderConfig. Built providers are cached per process and rebuilt
when the setting or the stored account changes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

from providers.capabilities import CAPABILITIES
from providers.core.base import CancelPolicy, VideoProvider
from providers.core.config import ProviderConfig
from providers.core.http import loopback_origin
from providers.design.preflight import gone_message, retired_reason
from studio.models import UNREADABLE_KEYS, ProviderAccount

logger = logging.getLogger(__name__)
# Options that are ProviderConfig's own fields; any other option goes to ProviderConfig.options.
CONFIG_FIELDS = ("base_url", "timeout", "max_concurrent", "download_hosts", "simulator_origin")


# Set inside accounts_read_once(): every provider account, read in one query.
_accounts: ContextVar[dict[str, ProviderAccount] | None] = ContextVar("accounts", default=None)


@contextmanager
def accounts_read_once() -> Iterator[None]:
    """Within the block, provider accounts come from one query instead of one per look-up: a
    page that asks about every model (compare, recommendations) reads them all at once."""
    token = _accounts.set({account.slug: account for account in ProviderAccount.objects.all()})
    try:
        yield
    finally:
        _accounts.reset(token)


def _account(slug: str) -> ProviderAccount | None:
    read = _accounts.get()
    if read is not None:
        return read.get(slug)
    return ProviderAccount.objects.filter(slug=slug).first()


class ProviderUnavailable(Exception):
    """This model cannot be generated here; the message says why, for the filmmaker."""


def _import(path: str, setting: str = "VIDEO_PROVIDERS"):
    module, _, name = path.rpartition(".")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise ImproperlyConfigured(f"{setting}: cannot import {path!r}: {error}") from error


def provider_config(slug: str, account: ProviderAccount | None) -> ProviderConfig:
    """The account's ProviderConfig: OPTIONS, then credentials from the environment or the
    account, the webhook address, limits, and the simulator's origin in tests."""
    config = settings.VIDEO_PROVIDERS[slug]
    options = dict(config.get("OPTIONS", {}))
    stored = account.credentials if account else {}
    # Missing keys are passed as "" so the provider can say which ones it needs.
    credentials = {
        argument: os.environ.get(variable) or stored.get(argument) or ""
        for argument, variable in config.get("CREDENTIALS", {}).items()
    }
    for argument, variable in config.get("OPTIONS_FROM_ENV", {}).items():
        if os.environ.get(variable):
            options[argument] = os.environ[variable]
    if account and account.max_concurrent:
        options["max_concurrent"] = account.max_concurrent
    if slug == "previz":
        options.setdefault("jobs_dir", str(settings.PREVIZ_JOBS_DIR))
    else:
        options.setdefault("timeout", settings.PROVIDER_TIMEOUT_SECONDS)
    if settings.PROVIDER_SIMULATOR_DOWNLOADS and slug != "previz":
        options.update(simulator_options(slug, options))
    fields = {name: options.pop(name) for name in CONFIG_FIELDS if name in options}
    return ProviderConfig(
        credentials=credentials,
        webhook_url=webhook_url(slug) if config.get("WEBHOOKS") else "",
        options=options,
        **fields,
    )


def webhook_url(slug: str) -> str:
    """Where this provider sends callbacks, with its secret token; "" when webhooks are off
    (no STUDIO_PUBLIC_URL) or the stored token cannot be read (polling still follows jobs)."""
    if not settings.STUDIO_PUBLIC_URL or slug == "previz":
        return ""
    token = ProviderAccount.webhook_token_for(slug)
    return f"{settings.STUDIO_PUBLIC_URL}/hooks/{slug}/{token}/" if token else ""


def simulator_options(slug: str, options: dict) -> dict:
    """Tests and offline demos: results (and uploads) may go to the simulator this provider is
    pointed at — its exact scheme, host and port, taken from the configured base URL — and only
    when that base URL is on loopback. Anything else keeps the provider's production rules."""
    origin = loopback_origin(str(options.get("base_url") or ""))
    if not origin:
        logger.warning(
            "PROVIDER_SIMULATOR_DOWNLOADS is on but %s's base URL is not on loopback: "
            "its downloads keep the production rules.",
            slug,
        )
        return {}
    return {"simulator_origin": origin}


def provider_by_slug(slug: str) -> VideoProvider:
    if slug not in settings.VIDEO_PROVIDERS:
        raise ProviderUnavailable(f"No provider called “{slug}” is set up in this studio.")
    account = _account(slug)
    return _build(slug, account.updated_at.isoformat() if account else "")


@lru_cache(maxsize=64)
def _build(slug: str, account_version: str) -> VideoProvider:
    account = _account(slug) if account_version else None
    provider = provider_class(slug)(provider_config(slug, account))
    for path in settings.VIDEO_PROVIDER_WRAPPERS:
        provider = _import(path, "VIDEO_PROVIDER_WRAPPERS")(provider)
    return provider


def provider_for_model(model: str) -> VideoProvider:
    """The provider that makes `model`, or ProviderUnavailable with the reason."""
    capabilities = CAPABILITIES.get(model)
    if capabilities is None:
        raise ProviderUnavailable(f"“{model}” is not a model this studio knows.")
    # Before the keys: a retired model cannot run whatever account it is on, and nothing may
    # be held for it (services.takes asks here before any money moves).
    retired = model_retired_reason(model)
    if retired:
        raise ProviderUnavailable(retired)
    if capabilities.provider not in settings.VIDEO_PROVIDERS:
        raise ProviderUnavailable(
            f"{capabilities.name} is not connected in this studio yet: "
            "an admin needs to set up its provider."
        )
    provider = provider_by_slug(capabilities.provider)
    usable, reason = provider.availability()
    if not usable:
        reason = unreadable_keys_reason(capabilities.provider) or reason
        raise ProviderUnavailable(f"{capabilities.name} is unavailable: {reason}")
    # Some accounts serve only part of their provider's models: Kling 3.0 takes another key
    # than 2.6; the Gemini API no longer serves Veo's preview ids. Asked before money is held.
    model_availability = getattr(provider, "model_availability", None)
    if model_availability is not None:
        usable, reason = model_availability(model)
        if not usable:
            raise ProviderUnavailable(f"{capabilities.name} is unavailable: {reason}")
    # A model served from an aggregator's catalogue: offered only while the account's
    # catalogue lists it. The adapter caches the catalogue (minutes) and says nothing when it
    # cannot read it, so a flaky catalogue never blocks a take the submit could still make.
    in_catalogue = getattr(provider, "catalogue_availability", None)
    if capabilities.catalogue_id and in_catalogue is not None:
        usable, reason = in_catalogue(capabilities)
        if not usable:
            raise ProviderUnavailable(f"{capabilities.name} is unavailable: {reason}")
    return provider


def model_retired_reason(model: str) -> str:
    """Why `model` can no longer be generated (retired, or past its shutdown date), "" if it
    still runs. Dates are the studio's own calendar day."""
    if model not in CAPABILITIES:
        return ""
    return retired_reason(model, today=timezone.localdate())


def model_gone_take_message(model: str, said: str = "") -> str:
    """A take's error message when the provider answered ModelRetired for `model`."""
    if model not in CAPABILITIES:
        return said or "The provider no longer serves this model: choose another one."
    return gone_message(model, said)


def model_runnable(model: str) -> bool:
    """Whether a take of `model` could be asked for now: known, not retired, its provider set
    up here and its keys present. For offers (the recommender): never raises."""
    try:
        provider_for_model(model)
    except ProviderUnavailable:
        return False
    return True


def provider_class(slug: str) -> type | None:
    """The adapter class set up for `slug`, imported but not built: no keys, no database."""
    config = settings.VIDEO_PROVIDERS.get(slug)
    if not config:
        return None
    backend = _import(config["BACKEND"])
    # As Django's password hashers are found by their own `algorithm`: the setting's key is
    # the adapter's own slug, so takes, ledger rows and webhook URLs all say the same name.
    own = getattr(backend, "slug", None)
    if own != slug:
        raise ImproperlyConfigured(
            f"VIDEO_PROVIDERS[{slug!r}] names {backend.__name__}, whose slug is {own!r}"
        )
    return backend


def can_look_up(slug: str) -> bool:
    """Whether the provider can find a job by our request key (see VideoProvider.lookup)."""
    return callable(getattr(provider_class(slug), "lookup", None))


def unreadable_keys_reason(slug: str) -> str:
    """Why a provider has no keys when keys are stored but cannot be decrypted: a wrong
    STUDIO_ENCRYPTION_KEY must not look like "no key entered"."""
    account = _account(slug)
    return f"{UNREADABLE_KEYS}." if account and account.keys_unreadable else ""


def cancel_policy(slug: str) -> CancelPolicy:
    """What the provider does when asked to stop a job it has. A provider no longer set up
    here is assumed to finish and bill: never promise a cancel we cannot check."""
    backend = provider_class(slug)
    return CancelPolicy(getattr(backend, "cancel_policy", CancelPolicy.NEVER))


def result_ttl_seconds(slug: str) -> float:
    """How long the provider keeps a finished job's result fetchable (0 when unknown)."""
    return float(getattr(provider_class(slug), "result_ttl_seconds", 0) or 0)


def concurrency_limit(slug: str) -> int:
    return int(getattr(provider_by_slug(slug), "max_concurrent", 0) or 0)


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs) -> None:
    if setting in (
        "VIDEO_PROVIDERS",
        "VIDEO_PROVIDER_WRAPPERS",
        "PREVIZ_JOBS_DIR",
        "PROVIDER_SIMULATOR_DOWNLOADS",
    ):
        _build.cache_clear()
