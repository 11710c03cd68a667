"""The one HTTP layer every adapter goes through: typed errors, safe retries, safe downloads.

Rules (see docs/decisions/004): only idempotent requests (GET status, DELETE cancel) are retried,
with backoff, jitter and Retry-After. A paid POST is sent once; if we cannot tell whether the
provider took it (timeout after sending, a 5xx, a reply we cannot read) that is UnknownOutcome.
"""

from __future__ import annotations

import ipaddress
import json
import random
import socket
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from providers.base import (
    AuthFailed,
    ProviderError,
    QuotaExceeded,
    Rejected,
    Transient,
    UnknownOutcome,
)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0  # far below the broker's visibility timeout; longer waits go to the DB


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class ProviderHTTP:
    """httpx with the studio's error rules, for one provider account."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        headers: Callable[[], dict[str, str]] | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        describe_error: Callable[[httpx.Response], str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.provider = provider
        self.headers = headers or dict
        self.retries = retries
        self.describe_error = describe_error or _default_message
        self.sleep = sleep
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def request(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.client.request(method, path, headers=self.headers(), **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # Nothing reached the provider: safe to try again later, even for a POST.
                failure: ProviderError = Transient(
                    f"{self.provider} could not be reached ({type(error).__name__})."
                )
            except httpx.TimeoutException as error:
                if not idempotent:
                    raise UnknownOutcome(
                        f"{self.provider} did not answer in time after the request was sent."
                    ) from error
                failure = Transient(f"{self.provider} timed out.")
            except httpx.HTTPError as error:
                if not idempotent:
                    raise UnknownOutcome(f"{self.provider}: {error}") from error
                failure = Transient(f"{self.provider}: {error}")
            else:
                if response.status_code < 400:
                    return response
                failure = self.error_for(response, idempotent=idempotent)
            if not (idempotent and isinstance(failure, Transient)) or attempt > self.retries:
                raise failure
            wait = failure.retry_after
            if wait is None:
                wait = min(8.0, 0.5 * 2 ** (attempt - 1)) * (0.5 + random.random())
            self.sleep(min(wait, MAX_RETRY_AFTER))

    def error_for(self, response: httpx.Response, *, idempotent: bool) -> ProviderError:
        status = response.status_code
        message = f"{self.provider}: {self.describe_error(response)}"
        raw = _body(response)
        if status == 429 or status == 503:
            return Transient(message, raw=raw, retry_after=retry_after_seconds(response))
        if status in (401, 403):
            return AuthFailed(message, raw=raw)
        if status == 402:
            return QuotaExceeded(message, raw=raw)
        if status >= 500:
            if idempotent:
                return Transient(message, raw=raw, retry_after=retry_after_seconds(response))
            return UnknownOutcome(message, raw=raw)
        return Rejected(message, raw=raw)

    def json(self, response: httpx.Response, *, after_submit: bool = False) -> dict[str, Any]:
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            text = response.text[:200]
            if after_submit:
                raise UnknownOutcome(
                    f"{self.provider} answered with something that is not JSON: {text!r}"
                ) from error
            raise Transient(f"{self.provider} answered with malformed JSON: {text!r}") from error
        if not isinstance(data, dict):
            error_class = UnknownOutcome if after_submit else Transient
            raise error_class(f"{self.provider} answered with unexpected JSON: {data!r}"[:300])
        return data

    def close(self) -> None:
        self.client.close()


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]


def _default_message(response: httpx.Response) -> str:
    body = _body(response)
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "msg"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("code")
            if value:
                return f"{value} (HTTP {response.status_code})"
    return f"HTTP {response.status_code}"


# --- downloads ------------------------------------------------------------------------------
def check_download_url(url: str, *, allowed_hosts: tuple[str, ...], allow_local: bool) -> None:
    """Refuse anything but https to a host the provider uses, resolving to a public address.

    `allow_local` (tests and the simulator only) admits http and loopback addresses.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise ProviderError(f"Refused to download from a non-https address: {url[:100]}")
    host = (parts.hostname or "").lower()
    if not any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts):
        raise ProviderError(f"Refused to download from {host or 'no host'}: not the provider's.")
    public_address(host, parts.port or 443, allow_local=allow_local)


def public_address(host: str, port: int, *, allow_local: bool) -> str:
    """The address to connect to for `host`, if every address it resolves to is public."""
    try:
        addresses = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except socket.gaierror as error:
        raise Transient(f"Could not resolve {host}: {error}") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        private = not ip.is_global or ip.is_multicast
        if private and not (allow_local and ip.is_loopback):
            raise ProviderError(f"Refused to download from {host}: it resolves to {ip}.")
    return addresses[0]


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the address it has just vetted, not to whatever the name resolves to next:
    a host that answers the check with a public address and the connection with a private one
    (DNS rebinding) gets nowhere. TLS still verifies the certificate against the host name."""

    def __init__(self, *, allow_local: bool):
        self.allow_local = allow_local

    def connect_tcp(self, host: str, port: int, timeout=None, local_address=None, **options):
        address = public_address(host, port, allow_local=self.allow_local)
        return super().connect_tcp(address, port, timeout, local_address, **options)


def pinned_transport(*, allow_local: bool) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through `_PinnedBackend`."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx takes no network backend of its own; its pool is where httpcore accepts one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_PinnedBackend(allow_local=allow_local),
    )
    return transport


def download(
    url: str,
    destination: str,
    *,
    allowed_hosts: tuple[str, ...],
    max_bytes: int,
    allow_local: bool = False,
    timeout: float = 120.0,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Stream a result to `destination` with a byte cap; no redirects are followed.

    `headers` (a provider's auth) only ever reach an allowed host: the host is checked first
    and redirects are refused.
    """
    check_download_url(url, allowed_hosts=allowed_hosts, allow_local=allow_local)
    transport = transport or pinned_transport(allow_local=allow_local)
    written = 0
    try:
        with (
            httpx.Client(
                timeout=timeout,
                follow_redirects=False,
                transport=transport,
                headers=headers,
                trust_env=False,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.is_redirect:
                raise ProviderError("The result address redirected elsewhere; not followed.")
            if response.status_code in (403, 404, 410):
                raise ProviderError(
                    f"The result is no longer at the provider (HTTP {response.status_code}): "
                    "its link has probably expired."
                )
            if response.status_code >= 400:
                raise Transient(f"Download failed with HTTP {response.status_code}.")
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise ProviderError(f"The result is {declared} bytes, over the {max_bytes} cap.")
            with open(destination, "wb") as handle:
                for chunk in response.iter_bytes(1 << 16):
                    written += len(chunk)
                    if written > max_bytes:
                        raise ProviderError(f"The result is over the {max_bytes}-byte cap.")
                    handle.write(chunk)
    except httpx.HTTPError as error:
        raise Transient(f"Download interrupted: {error}") from error
    return written
