"""The hero frame goes only where downloads may come from: https to Higgsfield's hosts on a
public address (checked, then pinned), or the simulator's own origin; never via a redirect.

The simulator plays Higgsfield; each test makes its upload-URL answer hostile. Resolvers are
patched and every other address is a loopback server that counts connections.
"""

import socket

import pytest

import providers.simulator.higgsfield as sim_module
from providers.core.base import ProviderError
from providers.higgsfield.adapter import UPLOAD_HOSTS, HiggsfieldProvider
from providers.simulator.core import Response
from tests.providers.conftest import account
from tests.support.loopback import loopback_server, resolver


@pytest.fixture
def upload_url_is(monkeypatch):
    """Make the simulator answer POST /files/generate-upload-url with `url` to PUT to."""

    def answer_with(url: str) -> None:
        real = sim_module.handle

        def handle(sim, request):
            if request.path == "/files/generate-upload-url":
                return Response(200, {"upload_url": url, "public_url": url})
            return real(sim, request)

        monkeypatch.setattr(sim_module, "handle", handle)

    return answer_with


def refused(simulator, make_provider, make_request, match: str) -> ProviderError:
    with pytest.raises(ProviderError, match=match) as caught:
        make_provider().submit(make_request())
    assert "HIGGSFIELD_UPLOAD_HOSTS" in caught.value.message
    assert simulator.sim.submissions == []  # the paid request was never sent
    return caught.value


def test_another_loopback_port_is_refused(simulator, make_provider, make_request, upload_url_is):
    with loopback_server() as elsewhere:
        upload_url_is(f"{elsewhere.url}/put")
        refused(simulator, make_provider, make_request, "non-https")
        upload_url_is("http://127.0.0.1:6379/")
        refused(simulator, make_provider, make_request, "non-https")
    assert elsewhere.connections == []


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("10.0.0.7", r"resolves to 10\.0\.0\.7"),
        ("64:ff9b::a00:7", "NAT64"),
        ("2002:a00:7::1", "carries the private IPv4 address 10.0.0.7"),
    ],
)
def test_a_higgsfield_host_on_a_private_address_is_refused(
    simulator, make_provider, make_request, upload_url_is, monkeypatch, address, why
):
    monkeypatch.setattr(socket, "getaddrinfo", resolver({"upload.higgsfield.ai": address}))
    upload_url_is("https://upload.higgsfield.ai/hero.png?signature=x")
    refused(simulator, make_provider, make_request, why)


def test_a_host_that_is_not_higgsfields_is_refused(
    simulator, make_provider, make_request, upload_url_is
):
    upload_url_is("https://uploads.evil.example/hero.png")
    refused(simulator, make_provider, make_request, "uploads.evil.example: not the provider's")


def test_dns_rebinding_between_the_check_and_the_put_gets_nowhere(
    simulator, make_provider, make_request, upload_url_is, monkeypatch
):
    with loopback_server() as internal:
        answers = {"upload.higgsfield.ai": ["93.184.216.34", "127.0.0.1"]}
        monkeypatch.setattr(socket, "getaddrinfo", resolver(answers))
        upload_url_is(f"https://upload.higgsfield.ai:{internal.port}/hero.png")
        refused(simulator, make_provider, make_request, r"resolves to 127\.0\.0\.1")
    assert internal.connections == []


def test_a_redirect_is_not_followed(simulator, make_provider, make_request, monkeypatch):
    with loopback_server() as elsewhere:
        # The simulator's own signed upload URL, answering with a redirect to another port.
        moved = Response(307, b"", headers={"Location": f"{elsewhere.url}/put"})
        monkeypatch.setattr(sim_module, "_upload", lambda sim, request: moved)
        refused(simulator, make_provider, make_request, "redirected elsewhere; not followed")
    assert elsewhere.connections == []


def test_the_simulators_own_upload_gets_the_frame_and_not_our_key(
    simulator, make_provider, make_request
):
    make_provider().submit(make_request())
    uploads = simulator.sim.state["higgsfield"]["uploads"]
    ((content_type, body),) = uploads.values()
    assert content_type == "image/png" and body.startswith(b"\x89PNG")
    ((_, submitted),) = simulator.sim.submissions
    assert submitted["input_images"][0]["image_url"].startswith(simulator.url + "/higgsfield/")


def test_upload_hosts_default_to_higgsfields_and_read_a_comma_list():
    assert HiggsfieldProvider().upload_hosts == UPLOAD_HOSTS
    hosts = HiggsfieldProvider(
        account(upload_hosts=" uploads.example.com, ,cdn.example.net ")
    ).upload_hosts
    assert hosts == ("uploads.example.com", "cdn.example.net")
