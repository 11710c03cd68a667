"""Loopback HTTP servers for network-guard tests: they answer as told and count every TCP
connection they accept, so a test can prove a refused address was never even connected to."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (method, path, headers, body) -> (status, headers, body)
Answer = Callable[[str, str, dict, bytes], tuple[int, dict, bytes]]


@dataclass
class Loopback:
    port: int
    connections: list = field(default_factory=list)
    requests: list = field(default_factory=list)  # (method, path, headers, body)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def ok(method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "video/mp4"}, b"\x00\x00\x00\x18ftypmp42" * 100


@contextlib.contextmanager
def loopback_server(answer: Answer = ok) -> Iterator[Loopback]:
    state: Loopback

    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append((self.command, self.path, dict(self.headers), body))
            status, headers, content = answer(self.command, self.path, dict(self.headers), body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_PUT = do_POST = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Loopback(port=server.server_address[1])
    accept = server.get_request

    def counted():
        request = accept()
        state.connections.append(request[1])
        return request

    server.get_request = counted
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def resolver(answers: dict[str, str | list[str]]):
    """A getaddrinfo that answers `answers[host]` (one address, or a list used in turn, the
    last repeated) and asks the real one about anything else: no DNS server runs here."""
    real = socket.getaddrinfo
    queues = {host: [a] if isinstance(a, str) else list(a) for host, a in answers.items()}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in queues:
            return real(host, port, *args, **kwargs)
        queue = queues[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    return getaddrinfo
