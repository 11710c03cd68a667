"""Result downloads reach only the provider's public hosts, even when DNS changes its answer."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from providers.base import ProviderError
from providers.http import check_download_url, download


class _Origin(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_GET(self):
        type(self).seen.append(dict(self.headers))
        body = b"\x00\x00\x00\x18ftypmp42" * 100
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def origin():
    """A loopback server that counts every TCP connection it accepts."""
    _Origin.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    server.daemon_threads = True
    connections = []
    accept = server.get_request

    def counted():
        request = accept()
        connections.append(request[1])
        return request

    server.get_request = counted
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], connections
    server.shutdown()
    server.server_close()


def test_only_https_to_the_providers_hosts():
    with pytest.raises(ProviderError, match="non-https"):
        check_download_url(
            "http://cdn.example.com/a.mp4", allowed_hosts=("example.com",), allow_local=False
        )
    with pytest.raises(ProviderError, match="not the provider's"):
        check_download_url(
            "https://example.com.evil.test/a.mp4", allowed_hosts=("example.com",), allow_local=False
        )


def test_a_provider_host_that_resolves_to_loopback_is_refused():
    with pytest.raises(ProviderError, match=r"resolves to 127\.0\.0\.1"):
        check_download_url(
            "https://localhost/a.mp4", allowed_hosts=("localhost",), allow_local=False
        )


def test_a_download_streams_the_bytes_and_sends_the_providers_headers(origin, tmp_path):
    port, connections = origin
    written = download(
        f"http://127.0.0.1:{port}/result.mp4",
        str(tmp_path / "out.mp4"),
        allowed_hosts=("127.0.0.1",),
        max_bytes=10_000,
        allow_local=True,
        headers={"x-goog-api-key": "sim-key"},
    )
    assert written == 1200 == (tmp_path / "out.mp4").stat().st_size
    assert _Origin.seen[0]["x-goog-api-key"] == "sim-key"
    assert len(connections) == 1


def test_dns_rebinding_between_the_check_and_the_connection_gets_nowhere(
    origin, tmp_path, monkeypatch
):
    # No DNS server runs here, so the rebinding resolver is played by getaddrinfo itself: a
    # public address for the first question, loopback (where `origin` listens) after that.
    port, connections = origin
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, port_, *args, **kwargs):
        if host != "cdn.provider.test":
            return real(host, port_, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port_))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with pytest.raises(ProviderError, match=r"resolves to 127\.0\.0\.1"):
        download(
            f"https://cdn.provider.test:{port}/result.mp4",
            str(tmp_path / "out.mp4"),
            allowed_hosts=("provider.test",),
            max_bytes=10_000,
        )
    assert connections == []  # the loopback server was never even connected to
    assert not (tmp_path / "out.mp4").exists()
