"""Veo documents no cancel call (providers.md §0, [I]): the simulator offers none on either
platform, so a job the studio sent runs to the end, as it would at Google."""

import httpx
import pytest

from providers.core.base import State

from .conftest import veo_request

CANCEL_PATH = {"gemini": "/v1beta/{name}:cancel", "vertex": "/v1/{name}:cancel"}


@pytest.mark.parametrize("platform", ["gemini", "vertex"])
def test_there_is_no_cancel_call_and_a_sent_job_runs_on(request, simulator, platform):
    provider = request.getfixturevalue(platform)
    name = provider.submit(veo_request()).remote_id
    assert provider.poll(name).state is State.RUNNING

    url = simulator.base_url(platform) + CANCEL_PATH[platform].format(name=name)
    for method in ("POST", "DELETE"):
        assert httpx.request(method, url, json={}).status_code == 404

    (job,) = simulator.sim.jobs.values()
    assert not job.canceled
    states = [provider.poll(name).state for _ in range(3)]
    assert states[-1] is State.SUCCEEDED
