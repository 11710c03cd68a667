"""Addresses a download or upload may connect to: public ones only, whatever IPv6 form an
answer takes. The resolver is patched (nothing here leaves the machine)."""

import socket

import pytest

from providers.core.base import ProviderError
from providers.core.http import check_download_url, public_address
from tests.support.loopback import resolver

HOST = "cdn.provider.test"


def check(monkeypatch, address: str) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", resolver({HOST: address}))
    check_download_url(f"https://{HOST}/result.mp4", allowed_hosts=("provider.test",))


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("64:ff9b::a00:1", "a NAT64 address"),  # NAT64 of 10.0.0.1, the well-known prefix
        ("64:ff9b::7f00:1", "a NAT64 address"),  # NAT64 of 127.0.0.1
        ("64:ff9b::5db8:d822", "a NAT64 address"),  # even a public IPv4 behind the gateway
        ("64:ff9b:1::a00:1", "a NAT64 address"),  # the local-use prefix (RFC 8215)
        ("2002:a00:1::1", "carries the private IPv4 address 10.0.0.1"),  # 6to4
        ("2002:7f00:1::", "carries the private IPv4 address 127.0.0.1"),  # 6to4 loopback
        ("2002:a9fe:a9fe::", "carries the private IPv4 address 169.254.169.254"),  # metadata
        ("::10.0.0.1", "carries the private IPv4 address 10.0.0.1"),  # IPv4-compatible
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "not a public address"),  # Teredo, 10.0.0.1
        ("::ffff:10.0.0.1", "10.0.0.1, which is not a public address"),  # IPv4-mapped
        ("::1", "not a public address"),
        ("fd00::1", "not a public address"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
    ],
)
def test_private_networks_behind_ipv6_forms_are_refused(monkeypatch, address, why):
    with pytest.raises(ProviderError, match=f"resolves to .*{why}"):
        check(monkeypatch, address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "2002:5db8:d822::1"])
def test_public_addresses_pass(monkeypatch, address):
    check(monkeypatch, address)  # 6to4 of a public IPv4 is as public as the IPv4 itself
    # ...and the address a download then connects to is the one the name resolved to.
    assert public_address(HOST, 443) == address


def test_the_simulator_exception_admits_loopback_only(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolver({"localhost": ["::1"]}))
    assert public_address("localhost", 8000, allow_local=True) == "::1"
    monkeypatch.setattr(socket, "getaddrinfo", resolver({"localhost": ["93.184.216.34"]}))
    with pytest.raises(ProviderError, match="which is not loopback"):
        public_address("localhost", 8000, allow_local=True)
