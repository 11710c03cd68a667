"""Handing a take to the workers: each step is a Celery message naming the take, sent only once
the transaction that made the step due has committed (a rolled-back request sends nothing).

At most one message per take waits in the broker: sending one stamps the take's dispatched_at,
and the worker that picks it up clears it (`picked_up`), so the sweeper can tell "sent, still
waiting its turn" from "picked up and running" (docs/decisions/011).

Messages are sent by task name, so the layers below the tasks never import them
(projects/tasks.py registers these names; tests/projects/test_layers.py checks they match).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from projects.models import Take, TakeState

SUBMIT = "projects.submit_take"
FOLLOW = "projects.follow_take"
DOWNLOAD = "projects.download_take"
CHECK = "projects.check_take"
TAKE_STEPS = (SUBMIT, FOLLOW, DOWNLOAD, CHECK)
# The state a take is in while each step is its next one.
STEP_STATE = {
    SUBMIT: TakeState.QUEUED,
    FOLLOW: TakeState.RUNNING,
    DOWNLOAD: TakeState.DOWNLOADING,
    CHECK: TakeState.NEEDS_CHECK,
}
# Deliverables: the animatic renders on the render queue (CPU-heavy, like previz); the editor
# package only copies files, so it goes with the rest.
RENDER_ANIMATIC = "projects.render_animatic"
PACK_EDITOR_PACKAGE = "projects.pack_editor_package"


def send_after_commit(task_name: str, take_id: int) -> None:
    transaction.on_commit(partial(current_app.send_task, task_name, args=(take_id,)))


def send_take_step(task_name: str, take_id: int) -> None:
    """Send the take's next step, stamped as waiting in the broker (in the caller's
    transaction, so a rollback unstamps it as it unsends it)."""
    Take.objects.filter(pk=take_id).update(dispatched_at=timezone.now())
    send_after_commit(task_name, take_id)


def send_stamped(task_name: str, take_ids: Iterable[int]) -> None:
    """Send a step for takes the caller has already stamped in its own UPDATE (the sweeper)."""
    for take_id in take_ids:
        send_after_commit(task_name, take_id)


def no_message_waiting(now) -> Q:
    """Takes with no message waiting for them: none sent, or one sent so long ago that it must
    have been lost (a broker restart, a killed worker's prefetched messages)."""
    lost = now - timedelta(seconds=settings.TAKE_MESSAGE_LOST_SECONDS)
    return Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=lost)


def picked_up(task_name: str, take_id: int) -> None:
    """A worker has the take's message: none waits any more, and the short lease starts, so a
    worker that dies mid-step is caught by the sweeper after TAKE_TASK_LEASE_SECONDS. One
    UPDATE. A stale message (the take has moved on to another step) changes nothing: the
    stamp then belongs to the next step's message."""
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    step = Q(state=STEP_STATE[task_name])
    # Never shortened: a download's claim (15 min) already covers it.
    renew = step & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lt=lease))
    if task_name == CHECK:
        renew &= Q(next_poll_at__isnull=False)  # no lookup time: a person decides, not a lease
    Take.objects.filter(pk=take_id).update(
        dispatched_at=Case(
            When(step, then=Value(None, output_field=DateTimeField())),
            default=F("dispatched_at"),
        ),
        next_poll_at=Case(When(renew, then=Value(lease)), default=F("next_poll_at")),
    )


def enqueue_submit(take_id: int) -> None:
    send_take_step(SUBMIT, take_id)


def enqueue_follow(take_id: int) -> None:
    send_take_step(FOLLOW, take_id)


def enqueue_download(take_id: int) -> None:
    send_take_step(DOWNLOAD, take_id)


def enqueue_check(take_id: int) -> None:
    send_take_step(CHECK, take_id)


def enqueue_deliverable(deliverable_id: int, kind: str) -> None:
    send_after_commit(
        RENDER_ANIMATIC if kind == "animatic" else PACK_EDITOR_PACKAGE, deliverable_id
    )
