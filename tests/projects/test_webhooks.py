"""Provider webhooks: a random per-provider token, rotatable, compared safely, kept out of logs."""

import hashlib
import hmac
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from projects.models import Take, TakeState
from projects.pipeline.requests import request_options
from projects.pipeline.webhooks import webhook_token
from projects.registry import provider_by_slug, provider_config
from studio.logs import RedactWebhookTokens
from studio.models import ProviderAccount
from tests.factories import UserFactory
from tests.support.leash import Leashed

ROOT = Path(__file__).resolve().parents[2]


def running_take(shot, remote_id="cgt-123", provider="seedance") -> Take:
    return Take.objects.create(
        project=shot.project,
        shot=shot,
        number=1,
        model="seedance-1.5-pro",
        provider=provider,
        prompt="p",
        state=TakeState.RUNNING,
        remote_id=remote_id,
        next_poll_at=timezone.now() + timezone.timedelta(hours=1),
    )


def hook(provider: str, token: str) -> str:
    return f"/hooks/{provider}/{token}/"


def test_each_provider_has_its_own_random_token_stored_encrypted(db, settings):
    kling, seedance = webhook_token("kling"), webhook_token("seedance")
    assert kling != seedance
    assert len(kling) >= 40
    assert webhook_token("kling") == kling  # made once, then kept
    account = ProviderAccount.objects.get(slug="kling")
    assert account.encrypted_webhook_token and kling not in account.encrypted_webhook_token
    assert account.webhook_token_rotated_at is not None
    derived = hmac.new(
        settings.SECRET_KEY.encode(), b"shot-studio webhook kling", hashlib.sha256
    ).hexdigest()[:32]
    assert kling != derived


def test_changing_secret_key_keeps_the_token(client, shot, settings):
    settings.STUDIO_ENCRYPTION_KEY = "an-encryption-key-of-its-own-0123456789"
    token = webhook_token("seedance")
    settings.SECRET_KEY = "a-rotated-secret-key-for-sessions-only"
    assert webhook_token("seedance") == token
    take = running_take(shot)
    response = client.post(hook("seedance", token), {"id": "cgt-123"}, "application/json")
    assert response.status_code == 204
    take.refresh_from_db()
    assert take.next_poll_at < timezone.now() + timezone.timedelta(minutes=1)


@pytest.mark.parametrize("token", ["été", "%C3%A9t%C3%A9", "\u202e", "x" * 300])
def test_a_strange_token_is_not_found(client, db, token):
    webhook_token("kling")
    assert client.post(hook("kling", token), {}, "application/json").status_code == 404


def test_no_token_yet_means_no_hook(client, db):
    # An anonymous caller never creates a token.
    assert client.post(hook("kling", "guess"), {}, "application/json").status_code == 404
    assert not ProviderAccount.objects.exists()


def test_staff_rotate_the_token_in_the_admin_and_the_old_url_stops(client, shot):
    old = webhook_token("seedance")
    account = ProviderAccount.objects.get(slug="seedance")
    before = account.webhook_token_rotated_at
    running_take(shot)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:studio_provideraccount_changelist"),
        {"action": "rotate_webhook_token", "_selected_action": [account.pk]},
        follow=True,
    )
    assert (
        "New webhook tokens for seedance. Webhooks sent to the old addresses are refused from now "
        "on; takes already running are still followed by polling."
    ) in response.content.decode()
    new = webhook_token("seedance")
    assert new != old
    account.refresh_from_db()
    assert account.webhook_token_rotated_at > before
    client.logout()
    body = {"id": "cgt-123"}
    assert client.post(hook("seedance", old), body, "application/json").status_code == 404
    assert client.post(hook("seedance", new), body, "application/json").status_code == 204


def test_callback_urls_carry_the_current_token(shot, settings):
    settings.STUDIO_PUBLIC_URL = "https://studio.example.org"
    take = running_take(shot, provider="kling")
    token = webhook_token("kling")
    assert request_options(take)["callback_url"] == (
        f"https://studio.example.org/hooks/kling/{token}/"
    )
    seedance = webhook_token("seedance")
    assert provider_config("seedance", None).webhook_url == (
        f"https://studio.example.org/hooks/seedance/{seedance}/"
    )
    assert provider_by_slug("seedance").config.webhook_url.endswith(f"/{seedance}/")
    ProviderAccount.objects.get(slug="seedance").rotate_webhook_token()
    rotated = webhook_token("seedance")
    assert provider_by_slug("seedance").config.webhook_url.endswith(f"/{rotated}/")


def test_without_a_public_url_no_token_is_made(shot, settings):
    settings.STUDIO_PUBLIC_URL = ""
    assert "callback_url" not in request_options(running_take(shot, provider="kling"))
    assert not ProviderAccount.objects.exists()


def test_a_hundred_thousand_nested_brackets_are_a_400(client, db):
    url = hook("kling", webhook_token("kling"))
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 40_000 + b"1" + b"}" * 40_000):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400


def test_a_body_over_the_cap_is_refused(client, db):
    url = hook("kling", webhook_token("kling"))
    body = b'{"task_id": "' + b"x" * 300_000 + b'"}'
    assert client.generic("POST", url, body, content_type="application/json").status_code == 413


def test_ids_are_found_in_a_nested_callback_and_brackets_in_strings_do_not_count(client, shot):
    take = running_take(shot)
    body = b'{"note": "' + b"[" * 5000 + b'", "data": {"items": [{"result": {"id": "cgt-123"}}]}}'
    url = hook("seedance", webhook_token("seedance"))
    response = client.generic("POST", url, body, content_type="application/json")
    assert response.status_code == 204
    take.refresh_from_db()
    assert take.next_poll_at < timezone.now() + timezone.timedelta(minutes=1)


def test_malformed_json_is_a_400(client, db):
    url = hook("kling", webhook_token("kling"))
    for body in (b"{", b"\xff\xfe", b'{"id": 1' + b"1" * 5000 + b"}"):
        assert client.generic("POST", url, body, content_type="application/json").status_code == 400


def test_the_request_log_never_shows_the_token(client, db, caplog):
    token = webhook_token("seedance")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.generic("POST", hook("seedance", token), b"{", "application/json")
    assert response.status_code == 400
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Bad Request: /hooks/seedance/[redacted]/" in logged
    assert token not in logged


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Captured(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.mark.django_db(transaction=True)
def test_runservers_access_log_never_shows_the_token(shot):
    """The development server's request log (django.server), for a real webhook over HTTP."""
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    token = webhook_token("seedance")
    running_take(shot)
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    captured = Captured()
    logging.getLogger("django.server").addHandler(captured)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{hook('seedance', token)}"
        response = httpx.post(url, json={"id": "cgt-123"}, timeout=10)
        assert response.status_code == 204
    finally:
        server.shutdown()
        server.server_close()
        logging.getLogger("django.server").removeHandler(captured)
        connection.close()
    logged = "\n".join(captured.lines)
    assert "POST /hooks/seedance/[redacted]/ HTTP/1.1" in logged
    assert token not in logged


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_gunicorns_access_log_never_shows_the_token(shot, tmp_path):
    """The production web server, started with the config file the image uses."""
    token = webhook_token("seedance")
    running_take(shot)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings_test",
        "STUDIO_TEST_DB_NAME": connection.settings_dict["NAME"],
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        # On a leash (tests/support/leash.py): gunicorn and its workers end with this process.
        process = Leashed(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:studio.gunicorn_conf",
                "studio.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}{hook('seedance', token)}"
            for _ in range(200):
                try:
                    response = httpx.post(url, json={"id": "cgt-123"}, timeout=10)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("gunicorn did not start: " + log.read_text())
            assert response.status_code == 204
            response = httpx.post(url, content=b"{", timeout=10)  # logged by django.request too
            assert response.status_code == 400
        finally:
            process.stop(grace=30)  # SIGTERM first: gunicorn writes out its access log
    logged = log.read_text()
    assert '"POST /hooks/seedance/[redacted]/ HTTP/1.1" 204' in logged
    assert "Bad Request: /hooks/seedance/[redacted]/" in logged
    assert token not in logged


def test_the_image_and_compose_start_uvicorn_with_the_redacting_log_config():
    import json

    import yaml

    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["uvicorn", "studio.asgi:application"' in dockerfile
    assert '"--log-config", "studio/uvicorn_log.json"]' in dockerfile
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]
    assert web["command"][:2] == ["uvicorn", "studio.asgi:application"]
    assert web["command"][web["command"].index("--log-config") + 1] == "studio/uvicorn_log.json"

    config = json.loads((ROOT / "studio" / "uvicorn_log.json").read_text())
    assert config["filters"]["redact_webhook_tokens"]["()"] == "studio.logs.RedactWebhookTokens"
    assert "redact_webhook_tokens" in config["loggers"]["uvicorn.access"]["filters"]
    # uvicorn's access record: (client, method, path, HTTP version, status).
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', None, None
    )
    record.args = ("203.0.113.9:5000", "POST", "/hooks/kling/s3cr3t-T0ken/", "1.1", 204)
    assert RedactWebhookTokens().filter(record)
    assert record.getMessage() == '203.0.113.9:5000 - "POST /hooks/kling/[redacted]/ HTTP/1.1" 204'


def test_a_gunicorn_style_record_and_the_worker_log_are_redacted():
    from celery import signals

    from studio.gunicorn_conf import logconfig_dict
    from studio.logs import RedactWebhookTokens

    assert "redact_webhook_tokens" in logconfig_dict["loggers"]["gunicorn.access"]["filters"]
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s', None, None
    )
    record.args = {"h": "203.0.113.9", "r": "POST /hooks/kling/s3cr3t-T0ken/ HTTP/1.1", "s": "204"}
    assert RedactWebhookTokens().filter(record)
    assert record.getMessage() == '203.0.113.9 "POST /hooks/kling/[redacted]/ HTTP/1.1" 204'

    worker = logging.getLogger("test.celery.worker")
    handler = Captured()
    worker.addHandler(handler)
    try:
        signals.after_setup_logger.send(sender=None, logger=worker, loglevel=logging.INFO)
        worker.error("Kling said: bad callback_url https://s.example/hooks/kling/s3cr3t-T0ken/")
    finally:
        worker.removeHandler(handler)
    assert handler.lines == [
        "Kling said: bad callback_url https://s.example/hooks/kling/[redacted]/"
    ]
