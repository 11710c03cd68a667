"""The layers below the tasks send take steps by task name (projects.services.work): every name
they send must be a task the workers know."""

import pytest

from projects.services import work
from studio.celery import app


def test_every_take_step_sent_by_name_is_a_registered_task():
    app.loader.import_default_modules()
    assert set(work.TAKE_STEPS) <= set(app.tasks), set(work.TAKE_STEPS) - set(app.tasks)


@pytest.mark.django_db
def test_a_step_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    sent = []
    original = app.send_task
    app.send_task = lambda name, args=(), **kw: sent.append((name, tuple(args)))
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            work.enqueue_follow(7)
        assert sent == [] and len(callbacks) == 1
        callbacks[0]()
    finally:
        app.send_task = original
    assert sent == [(work.FOLLOW, (7,))]
