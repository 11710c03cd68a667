"""The production wiring is read, not run, here (no Docker engine): keep it honest by test."""

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_five_services_and_the_migration():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    assert services["worker"]["command"][:4] == ["celery", "-A", "studio", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "studio", "beat"]
    assert "noeviction" in services["redis"]["command"]


def _queues_of(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(",")) if "-Q" in command else set()


def test_every_queue_has_a_worker_pool_in_compose_and_in_make_run():
    from django.conf import settings

    kinds = set(settings.QUEUES)  # production names the queues by their kind, unprefixed
    pools = [_queues_of(s.get("command", [])) for s in compose()["services"].values()]
    assert set().union(*pools) == kinds
    assert all(len(pool) < len(kinds) for pool in pools if pool), "one pool per kind of work"
    run = (ROOT / "scripts" / "run.sh").read_text()
    local = set()
    for line in re.findall(r"^worker \S+ (\S+) \d+", run, flags=re.MULTILINE):
        local |= set(line.split(","))
    assert local == kinds


def test_every_variable_compose_passes_is_read_by_settings():
    settings_source = (ROOT / "studio" / "settings.py").read_text()
    env = compose()["services"]["web"]["environment"]
    for name in env:
        assert re.search(rf"[\"']{name}[\"']", settings_source), name


def test_compose_keeps_data_in_volumes():
    doc = compose()
    assert {"pgdata", "media", "previz-jobs", "redisdata"} <= set(doc["volumes"])


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "studio.settings", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_database_url_selects_the_database():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "SECRET_KEY": "x",
        "DATABASE_URL": "postgres://studio:pw@db.internal:5432/films",
        "REDIS_URL": "redis://cache.internal:6379/2",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "films"]


def test_the_models_and_their_migrations_agree(db):
    from django.core.management import call_command

    # --check exits when a model changed without a migration; the dry run has said which.
    said = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=said)
    except SystemExit:
        pytest.fail(f"a model changed without its migration:\n{said.getvalue()}")
    assert "No changes detected" in said.getvalue()
