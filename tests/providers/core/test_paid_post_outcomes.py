"""What each answer to a paid POST means, against a real loopback server, and that decision 004
says the same thing as the code."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from providers.core.base import AuthFailed, QuotaExceeded, Rejected, Transient, UnknownOutcome
from providers.core.http import ProviderHTTP

DECISION = Path(__file__).resolve().parents[3] / "docs" / "decisions" / "004-at-most-once-submit.md"


server_requests: list[str] = []


@pytest.fixture(scope="module")
def server():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def do_GET(self):
            server_requests.append(self.path)
            status = int(self.path.strip("/"))
            body = b'{"error": "as asked"}'
            self.send_response(status)
            self.send_header("Retry-After", "7")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


OUTCOMES = {
    429: Transient,
    503: Transient,
    500: UnknownOutcome,
    501: UnknownOutcome,
    502: UnknownOutcome,
    504: UnknownOutcome,
    507: UnknownOutcome,
    400: Rejected,
    422: Rejected,
    401: AuthFailed,
    403: AuthFailed,
    402: QuotaExceeded,
}


@pytest.mark.parametrize(("status", "error"), OUTCOMES.items())
def test_a_paid_post_answered_with(server, status, error):
    http = ProviderHTTP(provider="Test", base_url=server)
    with pytest.raises(error) as raised:
        http.request("POST", f"/{status}", idempotent=False, json={})
    assert type(raised.value) is error


@pytest.mark.parametrize("status", [429, 503, 500, 502])
def test_a_read_that_may_be_tried_again_goes_back_at_once_with_its_wait(
    server, status, monkeypatch
):
    """No sleeping and no second try inside the call: the pipeline schedules the next one."""

    def no_sleeping(seconds):
        raise AssertionError(f"slept {seconds} s inside a provider call")

    monkeypatch.setattr("time.sleep", no_sleeping)
    seen_before = len(server_requests)
    http = ProviderHTTP(provider="Test", base_url=server)
    with pytest.raises(Transient) as raised:
        http.request("GET", f"/{status}", idempotent=True)
    assert raised.value.retry_after == 7.0
    assert len(server_requests) == seen_before + 1


def test_decision_004_names_exactly_the_statuses_the_code_sends_back_to_the_queue():
    text = DECISION.read_text()
    queued_row = next(line for line in text.splitlines() if "shed the request" in line)
    named = {int(code) for code in re.findall(r"\*\*(\d{3})\*\*", queued_row)}
    back_to_queue = {status for status, error in OUTCOMES.items() if error is Transient}
    assert named == back_to_queue
    assert "**any other 5xx**" in text and "`needs_check`" in text
