"""Webhooks first, polling as the backstop, with real processes: a Celery worker, the studio's
web side (pytest's live server) receiving the provider's callback, and the simulator calling
back as Seedance does. A take whose provider calls back is first read 30 s after the send (the
backstop), longer than the 9 s job, so only the callback's nudge can move it on sooner.
"""

from decimal import Decimal

import pytest

from projects.models import Take, TakeState
from projects.registry import _build
from providers.simulator.server import SimulatorServer
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker, wait_for
from tests.test_providers_end_to_end import generate, make_shot

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Polling made very slow: no sweep for an hour, and the provider's own "ask again in" (10 s
# for a queued Seedance task, more when it calls back) left as it is.
# Polls at the provider's own pace (30 s at least for one that calls back, longer than the 9 s
# job), while the sweep still runs: it re-sends a message the broker lost (CI's Redis pass has
# lost a submit now and then, docs/decisions/011), and sends no status read before 30 s.
SLOW_POLLING = {"STUDIO_TEST_POLL_AFTER_CAP": "0"}


@pytest.fixture
def calling_back(live_server, monkeypatch, settings):
    """A simulator whose Seedance jobs take 9 s and call back, and a studio that gives it its
    callback address (STUDIO_PUBLIC_URL: the live server)."""
    with SimulatorServer(step_seconds=3.0, timeout_seconds=3.0) as server:
        env = {**simulator_env(server), "STUDIO_PUBLIC_URL": live_server.url}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.PROVIDER_SIMULATOR_DOWNLOADS = True
        settings.STUDIO_PUBLIC_URL = live_server.url
        _build.cache_clear()
        yield server, env
    _build.cache_clear()


def test_a_seedance_take_is_moved_on_by_its_callback_not_by_polling(
    client, calling_back, tmp_path, media_root
):
    server, env = calling_back
    user, shot = make_shot("seedance-1.5-pro")
    with celery_worker(pipeline=True, tmp_path=tmp_path, env={**env, **SLOW_POLLING}):
        take = generate(client, user, shot)
        wait_for(lambda: Take.objects.get(pk=take.pk).is_finished, timeout=90)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
    assert take.video and take.estimated_cost > Decimal(0)
    [job] = server.sim.jobs.values()
    assert job.id == take.remote_id
    assert job.request["callback_url"].startswith(f"{env['STUDIO_PUBLIC_URL']}/hooks/seedance/")
    # One callback, taken by the studio (204: it enqueued a follow) ...
    assert [(s.job_id, s.state, s.status) for s in server.sim.callbacks.sent] == [
        (job.id, "succeeded", 204)
    ]
    # ... and one status read, the one the callback asked for: a provider that calls back is
    # not read right after the send (it would only say "queued"), and polling alone would
    # have read it only after 30 s.
    assert server.sim.status_reads == 1
    assert server.sim.downloads == 1
