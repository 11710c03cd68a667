"""The wiring: a real worker process takes tasks from the configured broker and writes to the DB.

On CI this runs against Redis and PostgreSQL (REDIS_URL / DATABASE_URL), and again against the
embedded defaults (filesystem broker, SQLite).
"""

import pytest
from django.conf import settings

from studio.models import WorkerHeartbeat
from studio.tasks import heartbeat
from tests.support.workers import celery_worker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_process_runs_a_task_from_the_broker(tmp_path):
    with celery_worker(log_path=tmp_path / "worker.log") as worker:
        heartbeat.apply_async(queue=worker["queue"])
        beat = wait_for(
            lambda: WorkerHeartbeat.objects.filter(hostname=worker["hostname"]).first(),
            timeout=90,
        )
    assert beat.seen_at is not None


def test_the_broker_is_the_one_the_environment_asks_for():
    import os

    if os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://"
