"""Test machinery stays out of production: fault injection lives in the test settings, and the
simulator switch opens exactly the simulator's own origin, never in a deployed studio."""

import logging
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from projects.registry import _build, provider_by_slug
from providers.core.base import ProviderError
from tests.support.faults import SlowProvider
from tests.support.loopback import loopback_server

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "studio.settings",
    "SECRET_KEY": "a-long-enough-random-looking-key-for-the-deploy-check-0123456789",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "ALLOWED_HOSTS": "studio.example.org",
}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code.split(" ")] if code.startswith("manage.py") else [sys.executable],
        input=None if code.startswith("manage.py") else code,
        cwd=ROOT,
        env={**PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def fresh_registry():
    _build.cache_clear()
    yield
    _build.cache_clear()


# --- fault injection -------------------------------------------------------------------------
def test_production_settings_carry_no_fault_injection():
    result = run(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.VIDEO_PROVIDER_WRAPPERS, hasattr(settings, 'STUDIO_FAULTS'))"
    )
    assert result.stdout.strip() == "[] False", result.stderr
    assert not (ROOT / "providers" / "faults.py").exists()
    for folder in ("projects", "providers", "studio"):
        for source in (ROOT / folder).rglob("*.py"):
            if source.name != "settings_test.py":
                text = source.read_text()
                assert "STUDIO_FAULT" not in text and "tests.support" not in text, source


def test_the_test_settings_wrap_providers_only_when_a_fault_is_asked_for(
    db, settings, fresh_registry
):
    assert settings.VIDEO_PROVIDER_WRAPPERS == ["tests.support.faults.with_faults"]
    assert not isinstance(provider_by_slug("previz"), SlowProvider)
    settings.STUDIO_FAULTS = {"submit_delay": 0.01, "poll_delay": 0}
    slow = provider_by_slug("previz")
    assert isinstance(slow, SlowProvider) and slow.submit_delay == 0.01
    # What is not slowed down is the provider's own, attributes included.
    assert slow.availability() == slow.inner.availability()
    assert slow.jobs_dir == slow.inner.jobs_dir
    assert getattr(slow, "lookup", None) == getattr(slow.inner, "lookup", None)


# --- the simulator switch ------------------------------------------------------------------
def test_the_switch_admits_the_simulators_origin_and_nothing_else(
    db, settings, monkeypatch, fresh_registry, tmp_path
):
    with loopback_server() as simulator, loopback_server() as other:
        monkeypatch.setenv("KLING_BASE_URL", f"{simulator.url}/kling")
        settings.PROVIDER_SIMULATOR_DOWNLOADS = True
        kling = provider_by_slug("kling")
        assert kling.simulator_origin == simulator.url
        target = str(tmp_path / "take.mp4")
        assert kling.download(f"{simulator.url}/kling/r.mp4", target, max_bytes=10_000) > 0
        for url in ("http://127.0.0.1:6379/", f"{other.url}/kling/r.mp4"):
            with pytest.raises(ProviderError, match="Refused to download"):
                kling.download(url, target, max_bytes=10_000)
        assert other.connections == []


def test_the_switch_does_nothing_for_a_base_url_off_loopback(
    db, settings, monkeypatch, fresh_registry, caplog
):
    monkeypatch.setenv("KLING_BASE_URL", "http://sim.internal:8000/kling")
    settings.PROVIDER_SIMULATOR_DOWNLOADS = True
    with caplog.at_level(logging.WARNING, logger="projects.registry"):
        kling = provider_by_slug("kling")
    assert kling.simulator_origin == ""
    assert "kling's base URL is not on loopback" in caplog.text
    with pytest.raises(ProviderError, match="non-https"):
        kling.download("http://sim.internal:8000/kling/r.mp4", "/dev/null", max_bytes=1)


def test_higgsfield_upload_hosts_come_from_the_environment(db, monkeypatch, fresh_registry):
    monkeypatch.setenv("HIGGSFIELD_UPLOAD_HOSTS", "uploads.example.com,cdn.example.net")
    assert provider_by_slug("higgsfield").upload_hosts == ("uploads.example.com", "cdn.example.net")


def test_the_deploy_check_fails_while_the_switch_is_on():
    on = run("manage.py check --deploy", PROVIDER_SIMULATOR_DOWNLOADS="1")
    assert on.returncode != 0
    assert "projects.E001" in on.stderr and "PROVIDER_SIMULATOR_DOWNLOADS is on" in on.stderr
    # A deploy check: plain `check` (local work, tests) lets the simulator be used.
    assert "projects.E001" not in run("manage.py check", PROVIDER_SIMULATOR_DOWNLOADS="1").stderr
    assert "projects.E001" not in run("manage.py check --deploy").stderr


@pytest.mark.skipif(not settings.REDIS_URL, reason="the cache is this process's memory")
def test_clearing_the_cache_leaves_the_broker_and_other_processes_alone():
    import redis
    from django.core.cache import cache

    client = redis.Redis.from_url(settings.REDIS_URL)
    queue = f"another-process-queue-{uuid.uuid4().hex}"
    client.rpush(queue, "a task another worker waits for")
    cache.set("mine", 1)
    try:
        cache.clear()
        assert cache.get("mine") is None
        assert client.lrange(queue, 0, -1) == [b"a task another worker waits for"]
    finally:
        client.delete(queue)
