"""Previz's hand-off to the render worker, read back from the broker the studio is configured
with (Redis with REDIS_URL, kombu's filesystem broker without), and run as a worker runs it.

The studio submits a take with its own previz provider and enqueue (no test double): the message
on the render queue must name a task the worker knows, and running that task with the message's
arguments must render the take's job. tests/providers cannot hold this test: it needs the
studio's Celery app and settings, and providers imports nothing of the studio.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from projects.models import TakeState
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.services.takes import take_request
from studio.celery import app
from tests.factories import ShotFactory

pytestmark = pytest.mark.services


def drain(queue_name: str, *, first_within: float = 0.5) -> list:
    """Every message now on `queue_name`, taken off it (acknowledged); the first may take
    `first_within` seconds to come (on CI's busy cores a read can outlast half a second)."""
    messages = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(queue_name)
        try:
            while True:
                message = queue.get(timeout=0.5 if messages else first_within)
                message.ack()
                messages.append(message)
        except queue.Empty:
            pass
        finally:
            queue.close()
    return messages


@pytest.fixture
def render_queue_on_the_broker():
    """The studio's render queue, emptied of what an earlier test of this process left."""
    drain(settings.RENDER_QUEUE)
    yield settings.RENDER_QUEUE
    drain(settings.RENDER_QUEUE)


def test_a_previz_submit_puts_a_render_the_worker_can_run_on_the_render_queue(
    editor, scene, render_queue_on_the_broker
):
    shot = ShotFactory(scene=scene, label="1A", duration_seconds=1, resolution="preview")
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING

    [message] = drain(render_queue_on_the_broker, first_within=15)
    assert message.delivery_info["routing_key"] == render_queue_on_the_broker
    task = app.tasks[message.headers["task"]]  # KeyError: no worker could run it
    args, kwargs, _ = message.decode()  # Celery's message protocol 2: (args, kwargs, embed)
    assert args[0] == take.remote_id

    task(*args, **kwargs)  # what the render worker does with it
    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.DOWNLOADING, take.error_message
