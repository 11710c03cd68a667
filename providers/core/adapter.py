"""What every HTTP adapter shares: built from one ProviderConfig, one ProviderHTTP client, one
key check, one guarded download. A provider package's adapter.py says only what is its own
(auth headers, paths, how its errors read); its contract.py builds and parses the bodies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import httpx

from providers.core import http
from providers.core.base import AuthFailed, CancelPolicy, ConnectionCheck
from providers.core.config import ProviderConfig

DOWNLOAD_TIMEOUT = 120.0  # seconds: a result is megabytes, never cut off sooner than this


class HTTPProvider:
    """Base of the adapters that speak to a provider's HTTP API (all but previz)."""

    slug: ClassVar[str]  # the VIDEO_PROVIDERS key, catalog.PROVIDER_NAMES key, webhook path
    # Class attributes, readable without building the provider (no keys needed):
    cancel_policy: ClassVar[CancelPolicy]
    result_ttl_seconds: ClassVar[float]
    label: ClassVar[str]  # the provider's name at the start of every error message
    default_base_url: ClassVar[str]
    default_download_hosts: ClassVar[tuple[str, ...]]
    default_max_concurrent: ClassVar[int]
    required_keys: ClassVar[tuple[str, ...]] = ()  # ProviderConfig.credentials that must be set
    http_class: ClassVar[type[http.ProviderHTTP]] = http.ProviderHTTP

    def __init__(
        self,
        config: ProviderConfig | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ):
        """`transport` is for tests: a mock API. `sleep` is accepted and never called: no
        adapter waits between tries any more, the pipeline schedules them (decision 011).
        Adapters adjust the config in prepare() and add their own state in setup(), so this
        one constructor serves them all."""
        self.config = config = self.prepare(config or ProviderConfig())
        self.base_url = (config.base_url or self.default_base_url).rstrip("/")
        self.download_hosts = config.download_hosts or self.default_download_hosts
        self.simulator_origin = config.simulator_origin
        self.timeout = config.timeout
        self.max_concurrent = int(config.max_concurrent or self.default_max_concurrent)
        self.transport = transport
        self.http = self.http_class(
            provider=self.label,
            base_url=self.base_url,
            headers=self.auth_headers,
            timeout=config.timeout,
            describe_error=self.describe_error,
            transport=transport,
        )
        self.setup()

    @classmethod
    def prepare(cls, config: ProviderConfig) -> ProviderConfig:
        """The config as this adapter reads it (e.g. a key given in another form)."""
        return config

    def setup(self) -> None:
        """State of the adapter's own, from self.config, once the HTTP client exists."""

    # --- what each adapter says for itself -----------------------------------------------
    def auth_headers(self) -> dict[str, str]:
        """Headers for every API call (a fresh token where the provider wants one)."""
        return {}

    @staticmethod
    def describe_error(response: httpx.Response) -> str:
        """The provider's own words for a failed response; the shared reading by default."""
        return http.default_message(response)

    def missing_keys_message(self, missing: list[str]) -> str:
        """Why the adapter cannot be used without `missing` (credential names), for people."""
        return f"{self.label} needs {', '.join(missing)}."

    # --- shared behaviour ----------------------------------------------------------------
    def availability(self) -> tuple[bool, str]:
        """(usable, reason) — e.g. (False, "No API key: set KLING_ACCESS_KEY.")."""
        missing = self.config.missing(self.required_keys)
        if missing:
            return False, self.missing_keys_message(missing)
        return True, ""

    def check_connection(self) -> ConnectionCheck:
        """Whether the keys work, by a free call. This default says only what is missing:
        each adapter overrides it with its own free endpoint (a model list, a task list)."""
        usable, reason = self.availability()
        if not usable:
            return ConnectionCheck(ok=False, message=reason)
        return ConnectionCheck(
            ok=False,
            message=f"The keys are set, but Shot Studio has no free call to check them at "
            f"{self.label} yet: generate a cheap take to be sure.",
        )

    def require_keys(self) -> None:
        """AuthFailed (with `availability`'s reason) before a call that needs the keys."""
        usable, reason = self.availability()
        if not usable:
            raise AuthFailed(reason)

    def download_headers(self) -> dict[str, str] | None:
        """Auth a result download needs (Veo's Files API); None for a signed URL."""
        return None

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        """Stream the result to `destination` under core.http's rules; return the byte count."""
        return http.download(
            url,
            destination,
            allowed_hosts=self.download_hosts,
            max_bytes=max_bytes,
            simulator_origin=self.simulator_origin,
            timeout=max(self.timeout, DOWNLOAD_TIMEOUT),
            headers=self.download_headers(),
            transport=self.transport,
        )
