"""Who is signing in, for django-axes' per-address throttle."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer, or behind SIGNIN_PROXY_COUNT trusted proxies the entry
    they appended to X-Forwarded-For (entries further left are whatever the client sent)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SIGNIN_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [item.strip() for item in forwarded if item.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        # The attempts table stores an IP address column: anything else would be a 500.
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
