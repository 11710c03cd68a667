"""The pipeline with real processes: a Celery worker (with beat) on the configured broker and
database — Redis and PostgreSQL on CI — and the previz renderer on its own queue.

Fault tests SIGKILL the worker in the middle of a provider call and check the invariants after a
restart and a sweep: nothing lost, nothing submitted twice.
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from projects.models import Shot, ShotStatus, Take, TakeState
from providers.core.media import probe
from tests.factories import MembershipFactory, SceneFactory, ShotFactory
from tests.support.workers import celery_worker, kill_hard, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_shot():
    membership = MembershipFactory(role="editor")
    scene = SceneFactory(project=membership.project)
    shot = ShotFactory(scene=scene, label="1A", duration_seconds=2, resolution="preview", zoom=5)
    return membership.user, shot


def state_of(take_id: int) -> str:
    return Take.objects.get(pk=take_id).state


def job_dirs(media_root: Path) -> list[Path]:
    folder = media_root / "previz-jobs"
    return sorted(folder.iterdir()) if folder.exists() else []


def generate(client, user, shot) -> Take:
    client.force_login(user)
    response = client.post(reverse("projects:take-create", args=[shot.project_id, shot.pk]))
    assert response.status_code == 302
    return Take.objects.get(shot=shot)


def test_generate_becomes_a_playable_video(client, editor_shot, tmp_path, media_root):
    user, shot = editor_shot
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "worker.log"):
        take = generate(client, user, shot)
        wait_for(lambda: state_of(take.pk) == TakeState.SUCCEEDED, timeout=120)
    take.refresh_from_db()
    info = probe(take.video.path)
    assert (info.codec, info.width, info.height) == ("h264", 640, 360)
    assert take.poster and take.thumbnail and take.duration_seconds
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.REVIEW


def test_a_worker_killed_while_submitting_submits_nothing_twice(
    client, editor_shot, tmp_path, media_root
):
    user, shot = editor_shot
    log = tmp_path / "worker.log"
    slow = {"STUDIO_FAULT_SUBMIT_DELAY": "30"}
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=log, env=slow) as worker:
        take = generate(client, user, shot)
        wait_for(lambda: state_of(take.pk) == TakeState.SUBMITTING, timeout=60)
        kill_hard(worker["process"])
    assert state_of(take.pk) == TakeState.SUBMITTING

    quick_sweep = {"TAKE_SUBMIT_TIMEOUT_SECONDS": "2"}
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=log, env=quick_sweep):
        wait_for(lambda: state_of(take.pk) == TakeState.NEEDS_CHECK, timeout=60)
        take.refresh_from_db()
    assert take.submit_attempts == 1
    assert "It was not sent again." in take.error_message
    assert job_dirs(media_root) == []  # the provider never saw it, and never saw it twice


def test_a_worker_killed_while_following_loses_nothing(client, editor_shot, tmp_path, media_root):
    user, shot = editor_shot
    log = tmp_path / "worker.log"
    slow_poll = {"STUDIO_FAULT_POLL_DELAY": "30", "TAKE_TASK_LEASE_SECONDS": "3"}
    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=log, env=slow_poll) as worker:
        take = generate(client, user, shot)
        wait_for(lambda: state_of(take.pk) == TakeState.RUNNING, timeout=60)
        status = media_root / "previz-jobs" / f"take-{take.pk}" / "status.json"
        # The render finishes while the poll that would notice it is stuck; then the crash.
        wait_for(
            lambda: status.exists() and json.loads(status.read_text())["status"] == "succeeded",
            timeout=90,
        )
        kill_hard(worker["process"])
    assert state_of(take.pk) == TakeState.RUNNING

    with celery_worker(
        pipeline=True, tmp_path=tmp_path, log_path=log, env={"TAKE_TASK_LEASE_SECONDS": "3"}
    ):
        wait_for(lambda: state_of(take.pk) == TakeState.SUCCEEDED, timeout=90)
    take.refresh_from_db()
    assert take.submit_attempts == 1
    assert [path.name for path in job_dirs(media_root)] == [f"take-{take.pk}"]
    assert probe(take.video.path).codec == "h264"
