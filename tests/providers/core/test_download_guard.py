"""Result downloads reach only the provider's public hosts, even when DNS changes its answer."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from providers.core.base import ProviderError
from providers.core.http import check_download_url, download, loopback_origin
from tests.support.loopback import loopback_server, resolver


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
        check_download_url("http://cdn.example.com/a.mp4", allowed_hosts=("example.com",))
    with pytest.raises(ProviderError, match="not the provider's"):
        check_download_url("https://example.com.evil.test/a.mp4", allowed_hosts=("example.com",))


def test_a_provider_host_that_resolves_to_loopback_is_refused():
    with pytest.raises(ProviderError, match=r"resolves to 127\.0\.0\.1"):
        check_download_url("https://localhost/a.mp4", allowed_hosts=("localhost",))


def test_a_download_streams_the_bytes_and_sends_the_providers_headers(origin, tmp_path):
    port, connections = origin
    written = download(
        f"http://127.0.0.1:{port}/result.mp4",
        str(tmp_path / "out.mp4"),
        allowed_hosts=(),
        max_bytes=10_000,
        simulator_origin=f"http://127.0.0.1:{port}",
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


# --- the simulator switch: its own origin, nothing else ----------------------------------------
def test_the_simulator_origin_passes_but_not_other_loopback_ports(tmp_path):
    with loopback_server() as simulator, loopback_server() as redis_like:
        origin = loopback_origin(simulator.url + "/gemini")
        assert origin == simulator.url
        target = str(tmp_path / "out.mp4")
        assert (
            download(
                simulator.url + "/files/r.mp4",
                target,
                allowed_hosts=(),
                max_bytes=10_000,
                simulator_origin=origin,
            )
            == 1200
        )
        refused = [
            "http://127.0.0.1:6379/",  # a Redis port, the URL that used to pass
            f"{redis_like.url}/files/r.mp4",  # another loopback port that answers
            f"http://127.0.0.2:{simulator.port}/files/r.mp4",  # another loopback address
            f"http://localhost:{simulator.port}/files/r.mp4",  # another host name
            f"https://127.0.0.1:{simulator.port}/files/r.mp4",  # another scheme
        ]
        for url in refused:
            with pytest.raises(ProviderError, match="Refused to download from"):
                download(url, target, allowed_hosts=(), max_bytes=10_000, simulator_origin=origin)
        assert redis_like.connections == []
        assert len(simulator.connections) == 1


def test_a_redirect_from_the_simulator_origin_is_not_followed(tmp_path):
    with loopback_server() as elsewhere:

        def moved(method, path, headers, body):
            return 302, {"Location": f"{elsewhere.url}/secret"}, b""

        with (
            loopback_server(moved) as simulator,
            pytest.raises(ProviderError, match="redirected elsewhere; not followed"),
        ):
            download(
                simulator.url + "/files/r.mp4",
                str(tmp_path / "out.mp4"),
                allowed_hosts=(),
                max_bytes=10_000,
                simulator_origin=simulator.url,
            )
        assert elsewhere.connections == []


def test_a_simulator_origin_off_loopback_is_refused(tmp_path, monkeypatch):
    assert loopback_origin("http://10.0.0.5:8000/kling") == ""
    assert loopback_origin("http://sim.internal:8000/kling") == ""
    assert loopback_origin("https://api-singapore.klingai.com") == ""
    assert loopback_origin("http://[::1]:9000/x") == "http://[::1]:9000"
    assert loopback_origin("http://localhost/x") == "http://localhost:80"
    # Even handed to a download directly, a non-loopback "simulator" gets no exception.
    monkeypatch.setattr(socket, "getaddrinfo", resolver({"sim.internal": "10.0.0.5"}))
    with pytest.raises(ProviderError, match=r"resolves to 10\.0\.0\.5, which is not loopback"):
        download(
            "http://sim.internal:8000/r.mp4",
            str(tmp_path / "out.mp4"),
            allowed_hosts=(),
            max_bytes=10,
            simulator_origin="http://sim.internal:8000",
        )
