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


@pytest.fixture(scope="module")
def server():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = int(self.path.strip("/"))
            body = b'{"error": "as asked"}'
            self.send_response(status)
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
    http = ProviderHTTP(provider="Test", base_url=server, retries=3, sleep=lambda s: None)
    with pytest.raises(error) as raised:
        http.request("POST", f"/{status}", idempotent=False, json={})
    assert type(raised.value) is error


def test_decision_004_names_exactly_the_statuses_the_code_sends_back_to_the_queue():
    text = DECISION.read_text()
    queued_row = next(line for line in text.splitlines() if "shed the request" in line)
    named = {int(code) for code in re.findall(r"\*\*(\d{3})\*\*", queued_row)}
    back_to_queue = {status for status, error in OUTCOMES.items() if error is Transient}
    assert named == back_to_queue
    assert "**any other 5xx**" in text and "`needs_check`" in text
