"""The account side of Higgsfield: its catalogue (`GET /models`, cached for minutes), its spend
(`GET /models/usage`) and the free connection check, mixed into HiggsfieldProvider
(docs/providers.md 5.4, 9). Parsing is catalogue.py's; this is the HTTP and the cache."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from providers.core.base import AuthFailed, ConnectionCheck, ProviderError, Transient
from providers.core.capabilities import Capabilities, StillCapabilities
from providers.core.http import ProviderHTTP
from providers.higgsfield.capabilities import MODELS
from providers.higgsfield.catalogue import CatalogueEntry, Usage, parse_catalogue, parse_usage

# The account's catalogue is asked at most every 5 minutes: the studio's pages ask whether a
# model is offered on every render, and a plan change should show up within minutes, not hours.
CATALOGUE_TTL = 300.0
CATALOGUE_RETRY = 60.0  # after a failed read, wait this long before asking again
CATALOGUE_TIMEOUT = 5.0  # a page waits on this read: never the 30 s a paid call may take


class CatalogueAccount:
    """Needs `http` and `availability()` from HTTPProvider; call `setup_catalogue()` in setup."""

    http: ProviderHTTP  # and availability(), HTTPProvider's: not declared here, or it would
    # shadow the real one (this class comes first in HiggsfieldProvider's bases)

    def setup_catalogue(self) -> None:
        self._catalogue: dict[str, CatalogueEntry] | None = None
        self._catalogue_at = self._catalogue_failed_at = -CATALOGUE_TTL
        self._catalogue_lock = threading.Lock()

    def list_models(self, *, refresh: bool = False) -> dict[str, CatalogueEntry]:
        """The account's catalogue, `GET /models` (free), cached for CATALOGUE_TTL."""
        with self._catalogue_lock:
            fresh = time.monotonic() - self._catalogue_at < CATALOGUE_TTL
            if self._catalogue is not None and fresh and not refresh:
                return self._catalogue
            # One try, short timeout, no retries: a page may be waiting on this answer.
            response = self.http.request(
                "GET", "/models", idempotent=False, timeout=CATALOGUE_TIMEOUT
            )
            self._catalogue = parse_catalogue(_json(response))
            self._catalogue_at = time.monotonic()
            return self._catalogue

    def usage(self) -> Usage:
        """`GET /models/usage`: Higgsfield's estimate of the account's spend, in USD."""
        response = self.http.request("GET", "/models/usage", idempotent=True)
        return parse_usage(_json(response))

    def catalogue_availability(self, caps: Capabilities | StillCapabilities) -> tuple[bool, str]:
        """(usable, reason) for a catalogue model: False only when a catalogue we could read
        does not list it. An unreadable catalogue says nothing; the submit will answer."""
        if not caps.catalogue_id or not self.availability()[0]:
            return True, ""
        if time.monotonic() - self._catalogue_failed_at < CATALOGUE_RETRY:
            return True, ""  # the last read failed moments ago: do not hold up every page
        try:
            catalogue = self.list_models()
        except ProviderError:
            self._catalogue_failed_at = time.monotonic()
            return True, ""
        if caps.catalogue_id in catalogue:
            return True, ""
        return False, (
            f"your Higgsfield account's catalogue does not list {caps.name} "
            f"({caps.catalogue_id}). Ask Higgsfield to enable it, or pick another model."
        )

    def check_connection(self) -> ConnectionCheck:
        """GET /models, free: is the key right, and which of our models the account has."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(ok=False, message=reason)
        try:
            catalogue = self.list_models(refresh=True)
        except AuthFailed as error:
            return ConnectionCheck(
                ok=False, message=f"Higgsfield refused the API key and secret: {error.message}"
            )
        except ProviderError as error:
            return ConnectionCheck(ok=False, message=f"Could not read Higgsfield: {error.message}")
        has = [caps.name for caps in MODELS if caps.catalogue_id in catalogue]
        lacks = [caps.name for caps in MODELS if caps.catalogue_id not in catalogue]
        message = f"Connected: {len(catalogue)} models in this account's catalogue. "
        if not has:
            message += f"Your Higgsfield account has none of ours ({_names(lacks)})."
        else:
            message += f"Your Higgsfield account has {_names(has)}"
            message += f" but not {_names(lacks)}." if lacks else "."
        return ConnectionCheck(ok=True, message=message, models=tuple(sorted(catalogue)))

    def _entry_or_none(self, catalogue_id: str) -> CatalogueEntry | None:
        try:
            return self.list_models().get(catalogue_id)
        except ProviderError:
            return None  # the slug is the path [3P]; the POST itself will say if it is not

    def _forget_catalogue(self) -> None:
        with self._catalogue_lock:
            self._catalogue, self._catalogue_at = None, -CATALOGUE_TTL


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise Transient(f"Higgsfield answered with something that is not JSON: {error}") from error


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
