"""The simulator's HTTP front: /<provider>/... goes to that provider's module, /files/ serves
results, /_control/ takes faults. Standard library only, threaded, for loopback use."""

from __future__ import annotations

import importlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from providers.simulator import stills
from providers.simulator.core import FAULTS, Request, Response, Simulator

# URL prefix -> module with `handle(sim, request) -> Response | None`
PROVIDERS = {
    "gemini": "providers.simulator.veo",
    "vertex": "providers.simulator.veo",
    "kling": "providers.simulator.kling",
    "runway": "providers.simulator.runway",
    "seedance": "providers.simulator.seedance",
    "higgsfield": "providers.simulator.higgsfield",
}


def _handler_for(sim: Simulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: tests read state, not logs
            return

        def _dispatch(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            prefix, _, rest = parts.path.lstrip("/").partition("/")
            request = Request(self.command, "/" + rest, dict(parse_qsl(parts.query)), headers, body)
            response = self._route(prefix, request)
            self._send(response)

        def _route(self, prefix: str, request: Request) -> Response:
            request.headers["x-sim-provider"] = prefix
            still = stills.handle(sim, prefix, request)  # image models first (stills.py)
            if still is not None:
                return still
            if prefix == "files" and request.method in ("GET", "HEAD"):
                token = request.path.strip("/").removesuffix(".mp4")
                path = sim.file_for(token)
                if path is None:
                    return Response(403, {"error": "This link has expired."})
                if request.method == "GET":
                    with sim.lock:
                        sim.downloads += 1
                return Response(200, file=path, headers={"Content-Type": "video/mp4"})
            if prefix == "_control":
                return control(sim, request)
            module = PROVIDERS.get(prefix)
            if module is None:
                return Response(404, {"error": f"no provider at /{prefix}"})
            request.headers["x-sim-provider"] = prefix
            answer = importlib.import_module(module).handle(sim, request)
            return answer or Response(404, {"error": "not found"})

        def _send(self, response: Response) -> None:
            if response.delay:
                time.sleep(response.delay)
            if response.file:
                with open(response.file, "rb") as handle:
                    payload = handle.read()
            elif isinstance(response.body, bytes):
                payload = response.body
            elif response.body is None:
                payload = b""
            else:
                payload = json.dumps(response.body).encode()
                response.headers.setdefault("Content-Type", "application/json")
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_HEAD = _dispatch

    return Handler


def control(sim: Simulator, request: Request) -> Response:
    """POST /_control/faults {"provider", "fault", "times"}; POST /_control/reset; GET state."""
    if request.method == "POST" and request.path == "/faults":
        data = request.json or {}
        try:
            times = int(data.get("times", 1))
            sim.add_fault(data.get("provider", ""), data.get("fault", ""), times)
        except ValueError as error:
            return Response(400, {"error": str(error), "faults": list(FAULTS)})
        return Response(200, {"ok": True})
    if request.method == "POST" and request.path == "/reset":
        sim.clear()
        return Response(200, {"ok": True})
    if request.method == "GET" and request.path == "/state":
        return Response(
            200,
            {
                "submissions": [{"provider": p, "request": r} for p, r in sim.submissions],
                "jobs": {job.id: sim.state_of(job) for job in sim.jobs.values()},
                "faults": sim.faults,
            },
        )
    return Response(404, {"error": "unknown control request"})


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (the timeout fault) closes its socket mid-answer; that is the
        # point of the fault, not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SimulatorServer:
    """Run the simulator in a background thread: `with SimulatorServer() as server: ...`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        self.sim = Simulator(**options)
        self.httpd = _QuietServer((host, port), _handler_for(self.sim))
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.sim.base_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> SimulatorServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.sim.callbacks.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    def base_url(self, provider: str) -> str:
        return f"{self.url}/{provider}"

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
