"""The one HTTP layer every adapter goes through: typed errors, no waiting, safe downloads.

Rules (see docs/decisions/004 and 011): every request is tried once. A failure worth trying
again is Transient, carrying the provider's Retry-After; the pipeline schedules the next try in
the database, so no worker ever sleeps to wait. A paid POST is never tried again if we cannot
tell whether the provider took it (timeout after sending, a 5xx, a reply we cannot read): that
is UnknownOutcome.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import random
import socket
import ssl
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from providers.core.base import (
    AuthFailed,
    ProviderError,
    QuotaExceeded,
    Rejected,
    Transient,
    UnknownOutcome,
)


def backoff(attempt: int, *, first: float, cap: float, jitter: bool = False) -> float:
    """Seconds to wait before try number `attempt` + 1: `first`, doubling each time, at most
    `cap`; with `jitter`, spread over 0.5-1.5x so clients that failed together do not retry
    together. The one backoff rule for the pipeline's next tries (polls, downloads, lookups)."""
    wait = min(cap, first * 2 ** (attempt - 1))
    return wait * (0.5 + random.random()) if jitter else wait


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
        describe_error: Callable[[httpx.Response], str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.provider = provider
        self.headers = headers or dict
        self.describe_error = describe_error or default_message
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def request(self, method: str, path: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        """One try. Transient when it may be tried again later (with the provider's
        Retry-After when it gave one); UnknownOutcome when a paid POST may have been taken."""
        try:
            response = self.client.request(method, path, headers=self.headers(), **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            # Nothing reached the provider: safe to try again later, even for a POST.
            raise Transient(
                f"{self.provider} could not be reached ({type(error).__name__})."
            ) from error
        except httpx.TimeoutException as error:
            if not idempotent:
                raise UnknownOutcome(
                    f"{self.provider} did not answer in time after the request was sent."
                ) from error
            raise Transient(f"{self.provider} timed out.") from error
        except httpx.HTTPError as error:
            if not idempotent:
                raise UnknownOutcome(f"{self.provider}: {error}") from error
            raise Transient(f"{self.provider}: {error}") from error
        if response.status_code < 400:
            return response
        raise self.error_for(response, idempotent=idempotent)

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


def default_message(response: httpx.Response) -> str:
    body = _body(response)
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "msg"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("code")
            if value:
                return f"{value} (HTTP {response.status_code})"
    return f"HTTP {response.status_code}"


# --- downloads and signed uploads -----------------------------------------------------------
# Result downloads and signed uploads go to addresses a provider hands us: only https, only to
# the provider's own hosts, only to public addresses, connecting to the address that was checked
# (no DNS rebinding), never following a redirect. The one exception is the local simulator: its
# exact origin (scheme, host, port), and only on loopback.
DEFAULT_PORTS = {"http": 80, "https": 443}
# NAT64 translates to IPv4 behind a gateway: through it an IPv6 address reaches whatever IPv4
# network the gateway sees, private ones included (RFC 6052's well-known prefix, RFC 8215's
# local-use one). Refused outright: a provider's hosts have addresses of their own.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d, still routable


def loopback_origin(base_url: str) -> str:
    """`scheme://host:port` of a base URL on a loopback address (the simulator's), else ""."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in DEFAULT_PORTS or not host:
        return ""
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                return ""
        except ValueError:  # a name other than localhost: DNS could say anything
            return ""
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return ""
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}:{port}"


def _origin(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme, 0)
    except ValueError:
        return None
    return parts.scheme, (parts.hostname or "").lower(), port


def check_download_url(
    url: str,
    *,
    allowed_hosts: tuple[str, ...],
    simulator_origin: str = "",
    action: str = "download from",
) -> None:
    """Refuse anything but https to a host the provider uses, resolving to a public address.

    `simulator_origin` (tests and offline demos) admits exactly that scheme, host and port, and
    only if it resolves to loopback; any other port or loopback address is still refused.
    """
    origin = _origin(url)
    if origin is None:
        raise ProviderError(f"Refused to {action} an address with an invalid port: {url[:100]}")
    scheme, host, port = origin
    if simulator_origin and origin == _origin(simulator_origin):
        public_address(host, port, allow_local=True)
        return
    if scheme != "https":
        raise ProviderError(f"Refused to {action} a non-https address: {url[:100]}")
    if not any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts):
        raise ProviderError(f"Refused to {action} {host or 'no host'}: not the provider's.")
    public_address(host, port)


def public_address(host: str, port: int, *, allow_local: bool = False) -> str:
    """The address to connect to for `host`, if every address it resolves to is public.

    With `allow_local` (the simulator's own origin only) every address must be loopback instead.
    """
    try:
        addresses = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (socket.gaierror, UnicodeError) as error:
        raise Transient(f"Could not resolve {host}: {error}") from error
    for address in addresses:
        problem = _not_public(ipaddress.ip_address(address.split("%")[0]), allow_local)
        if problem:
            raise ProviderError(f"Refused to connect to {host}: it resolves to {problem}.")
    return addresses[0]


def _not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, local: bool) -> str:
    """Why `ip` may not be connected to, or "" if it may."""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if local:
        return "" if ip.is_loopback else f"{ip}, which is not loopback"
    if not ip.is_global or ip.is_multicast:
        return f"{ip}, which is not a public address"
    if ip.version == 4:
        return ""
    if any(ip in network for network in NAT64):
        return f"{ip}, a NAT64 address (it could reach any IPv4 network behind the gateway)"
    embedded = _embedded_ipv4(ip)
    if embedded is not None and (not embedded.is_global or embedded.is_multicast):
        return f"{ip}, which carries the private IPv4 address {embedded}"
    return ""


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a transition form routes to: 6to4, Teredo or IPv4-compatible."""
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # the client, de-obfuscated
    if ip in IPV4_COMPATIBLE and not (ip.is_loopback or ip.is_unspecified):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the address it has just vetted, not to whatever the name resolves to next:
    a host that answers the check with a public address and the connection with a private one
    (DNS rebinding) gets nowhere. TLS still verifies the certificate against the host name."""

    def __init__(self, *, simulator_origin: str = ""):
        origin = _origin(simulator_origin) if simulator_origin else None
        self.simulator = (origin[1], origin[2]) if origin else None

    def connect_tcp(self, host: str, port: int, timeout=None, local_address=None, **options):
        local = self.simulator == (host.lower().strip("[]"), port)
        address = public_address(host, port, allow_local=local)
        return super().connect_tcp(address, port, timeout, local_address, **options)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # One per process: building one loads the CA bundle, which cost a download up to 0.2 s
    # (issue 15). A context is safe to share between connections and threads.
    return httpx.create_ssl_context(trust_env=False)


def pinned_transport(*, simulator_origin: str = "") -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through `_PinnedBackend`."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx takes no network backend of its own; its pool is where httpcore accepts one.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=_ssl_context(),
        network_backend=_PinnedBackend(simulator_origin=simulator_origin),
    )
    return transport


def _guarded_client(
    *,
    timeout: float,
    simulator_origin: str,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        transport=transport or pinned_transport(simulator_origin=simulator_origin),
        headers=headers,
        trust_env=False,
    )


def download(
    url: str,
    destination: str,
    *,
    allowed_hosts: tuple[str, ...],
    max_bytes: int,
    simulator_origin: str = "",
    timeout: float = 120.0,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    """Stream a result to `destination` with a byte cap; no redirects are followed.

    `headers` (a provider's auth) only ever reach an allowed host: the host is checked first
    and redirects are refused.
    """
    check_download_url(url, allowed_hosts=allowed_hosts, simulator_origin=simulator_origin)
    written = 0
    try:
        with (
            _guarded_client(
                timeout=timeout,
                simulator_origin=simulator_origin,
                headers=headers,
                transport=transport,
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


def upload(
    url: str,
    content: bytes,
    *,
    allowed_hosts: tuple[str, ...],
    headers: dict[str, str],
    simulator_origin: str = "",
    timeout: float = 60.0,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Response:
    """PUT `content` to a signed upload URL, under the same rules as downloads.

    The signed URL carries its own authority: `headers` must not hold the provider's keys.
    Answers with the response (any status below 300); a redirect is refused, not followed.
    """
    check_download_url(
        url, allowed_hosts=allowed_hosts, simulator_origin=simulator_origin, action="upload to"
    )
    try:
        with _guarded_client(
            timeout=timeout, simulator_origin=simulator_origin, transport=transport
        ) as client:
            response = client.put(url, content=content, headers=headers)
    except httpx.HTTPError as error:
        raise Transient(f"The upload was interrupted: {error}") from error
    if response.is_redirect:
        raise ProviderError("The upload address redirected elsewhere; not followed.")
    return response
