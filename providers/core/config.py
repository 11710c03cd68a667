"""One provider account, as the adapter is built from it: keys, where the API is, and limits.

Every adapter takes one `ProviderConfig` (the studio's registry builds it from the
VIDEO_PROVIDERS setting and the keys an admin entered), the way each of Saleor's payment
gateways takes one GatewayConfig: the constructor, the key check and its message are written
once, here and in core/adapter.py, not five times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class ProviderConfig:
    # Credentials by name ("api_key", "access_key", "service_account_info"...):
    # strings, except where an adapter documents otherwise (Vertex takes parsed JSON too).
    credentials: Mapping[str, Any] = field(default_factory=dict)
    base_url: str = ""  # "" = the provider's production address
    timeout: float = 30.0  # seconds to wait for an answer; a paid POST that times out "needs check"
    max_concurrent: int = 0  # jobs at once on this account; 0 = the adapter's default
    webhook_url: str = ""  # where the provider may call back; "" = polling only
    # Hosts results may be downloaded from; () = the provider's own list.
    download_hosts: tuple[str, ...] = ()
    # Tests and offline demos: the one loopback origin (scheme://host:port) downloads and
    # uploads may also go to; "" in production.
    simulator_origin: str = ""
    # Anything only one provider takes (Kling's usd_per_unit, Vertex's project and location,
    # Higgsfield's upload_hosts, previz's jobs_dir...), read with `option()`.
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frozen all the way down: a built adapter cannot see its account change under it.
        object.__setattr__(self, "credentials", _frozen(self.credentials))
        object.__setattr__(self, "options", _frozen(self.options))
        object.__setattr__(self, "download_hosts", tuple(self.download_hosts))

    def credential(self, name: str) -> Any:
        """The credential `name`, stripped when it is text; "" when it is missing."""
        value = self.credentials.get(name) or ""
        return value.strip() if isinstance(value, str) else value

    def missing(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Which of the credentials `names` are empty, in the order asked."""
        return [name for name in names if not self.credential(name)]

    def option(self, name: str, default: Any = None) -> Any:
        value = self.options.get(name)
        return default if value in (None, "") else value
