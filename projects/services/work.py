"""Handing a take to the workers: each step is a Celery message naming the take, sent only once
the transaction that made the step due has committed (a rolled-back request sends nothing).

Messages are sent by task name, so the layers below the tasks never import them
(projects/tasks.py registers these names; tests/projects/test_layers.py checks they match).
"""

from __future__ import annotations

from functools import partial

from celery import current_app
from django.db import transaction

SUBMIT = "projects.submit_take"
FOLLOW = "projects.follow_take"
DOWNLOAD = "projects.download_take"
CHECK = "projects.check_take"
TAKE_STEPS = (SUBMIT, FOLLOW, DOWNLOAD, CHECK)
# Deliverables: the animatic renders on the render queue (CPU-heavy, like previz); the editor
# package only copies files, so it goes with the rest.
RENDER_ANIMATIC = "projects.render_animatic"
PACK_EDITOR_PACKAGE = "projects.pack_editor_package"


def send_after_commit(task_name: str, take_id: int) -> None:
    transaction.on_commit(partial(current_app.send_task, task_name, args=(take_id,)))


def enqueue_submit(take_id: int) -> None:
    send_after_commit(SUBMIT, take_id)


def enqueue_follow(take_id: int) -> None:
    send_after_commit(FOLLOW, take_id)


def enqueue_download(take_id: int) -> None:
    send_after_commit(DOWNLOAD, take_id)


def enqueue_check(take_id: int) -> None:
    send_after_commit(CHECK, take_id)


def enqueue_deliverable(deliverable_id: int, kind: str) -> None:
    send_after_commit(
        RENDER_ANIMATIC if kind == "animatic" else PACK_EDITOR_PACKAGE, deliverable_id
    )
