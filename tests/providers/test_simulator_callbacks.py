"""The simulator calls back as the providers do: the real adapters send the studio's callback
address, the job finishes by the clock with no status read, and a loopback server receives the
provider's status answer. Addresses off this machine are refused without a connection."""

import dataclasses
import json
import time

import pytest

from providers.core.base import State
from providers.kling.adapter import KlingProvider
from providers.seedance.adapter import SeedanceProvider
from providers.seedance.contract import parse_status
from providers.simulator.callbacks import is_loopback
from providers.simulator.core import default_credentials
from providers.simulator.server import SimulatorServer
from tests.providers.conftest import account, generation_request
from tests.support.loopback import loopback_server

pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


@pytest.fixture
def clocked():
    """Jobs that finish by the clock (0.3 s), as the real ones do: only a callback says so."""
    with SimulatorServer(step_seconds=0.1, timeout_seconds=3.0, progress_by="time") as server:
        yield server


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def seedance(server: SimulatorServer, webhook_url: str) -> SeedanceProvider:
    return SeedanceProvider(
        account(
            api_key=default_credentials()["seedance"],
            base_url=server.base_url("seedance") + "/api/v3",
            simulator_origin=server.url,
            webhook_url=webhook_url,
        ),
        sleep=lambda seconds: None,
    )


def bodies(hook) -> list[dict]:
    return [json.loads(body) for method, _, _, body in hook.requests if method == "POST"]


def test_a_seedance_task_calls_back_once_with_its_final_result(clocked):
    with loopback_server() as hook:
        provider = seedance(clocked, f"{hook.url}/hooks/seedance/token/")
        submitted = provider.submit(generation_request("seedance-1.5-pro", duration_seconds=5))
        wait_for(lambda: hook.requests)
        time.sleep(0.5)  # time for a second callback, were one (wrongly) coming
    [(method, path, headers, _)] = hook.requests
    assert (method, path) == ("POST", "/hooks/seedance/token/")
    assert headers["Content-Type"] == "application/json"
    [body] = bodies(hook)
    assert (body["id"], body["status"]) == (submitted.remote_id, "succeeded")
    assert body["content"]["video_url"].startswith(clocked.url + "/files/")
    # The studio's adapter reads it as it reads a status answer.
    assert parse_status(body).state == State.SUCCEEDED
    # The callback was no status read: nothing polled, nothing counted.
    assert clocked.sim.status_reads == 0
    assert [(s.job_id, s.state, s.status) for s in clocked.sim.callbacks.sent] == [
        (submitted.remote_id, "succeeded", 200)
    ]


def test_kling_calls_back_on_every_status_change(clocked):
    access, secret = clocked.sim.credentials["kling"]
    provider = KlingProvider(
        account(
            access_key=access,
            secret_key=secret,
            base_url=clocked.base_url("kling"),
            simulator_origin=clocked.url,
        ),
        sleep=lambda seconds: None,
    )
    with loopback_server() as hook:
        request = generation_request("kling-2.6-std", duration_seconds=5)
        request = dataclasses.replace(request, options={"callback_url": f"{hook.url}/k/"})
        submitted = provider.submit(request)
        wait_for(lambda: len(hook.requests) == 2)
    processing, finished = bodies(hook)
    assert processing["task_status"] == "processing" and processing["task_result"] == {}
    assert finished["task_status"] == "succeed"
    assert finished["task_result"]["videos"][0]["url"].startswith(clocked.url + "/files/")
    assert submitted.remote_id in provider.remote_ids_from_callback(finished)


def test_a_job_that_ages_by_status_reads_calls_back_when_a_read_finishes_it():
    with (
        SimulatorServer(step_seconds=0.1, progress_by="polls") as server,
        loopback_server() as hook,
    ):
        provider = seedance(server, f"{hook.url}/hook/")
        submitted = provider.submit(generation_request("seedance-1.5-pro", duration_seconds=5))
        time.sleep(0.5)  # the clock alone moves nothing in this mode
        assert hook.requests == []
        while provider.poll(submitted.remote_id).state != State.SUCCEEDED:
            pass
        wait_for(lambda: hook.requests)
        reads = server.sim.status_reads
        time.sleep(0.2)
    assert [body["status"] for body in bodies(hook)] == ["succeeded"]
    assert server.sim.status_reads == reads == 4  # queued, running, running, succeeded


def test_a_gemini_operation_calls_every_webhook_uri_when_done(clocked):
    import urllib.request

    body = {
        "instances": [{"prompt": "A keeper lifts a storm lantern"}],
        "parameters": {"aspectRatio": "16:9", "durationSeconds": 8},
        "webhookConfig": {"uris": [], "userMetadata": {"take": "42"}},
    }
    with loopback_server() as first, loopback_server() as second:
        body["webhookConfig"]["uris"] = [f"{first.url}/a", f"{second.url}/b"]
        request = urllib.request.Request(
            f"{clocked.base_url('gemini')}/v1beta/models/veo-3.1-generate-001:predictLongRunning",
            data=json.dumps(body).encode(),
            headers={"x-goog-api-key": default_credentials()["gemini"]},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            name = json.load(answer)["name"]
        wait_for(lambda: first.requests and second.requests)
    for hook in (first, second):
        [operation] = bodies(hook)
        assert operation["name"] == name and operation["done"] is True
        assert operation["response"]["generateVideoResponse"]["generatedSamples"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "https://studio.example.org/hooks/seedance/x/",
        "http://10.0.0.5:8000/hook",
        "http://[::ffff:10.0.0.5]/hook",
        "http://127.0.0.1.example.com/hook",
        "ftp://127.0.0.1/hook",
        "file:///etc/passwd",
    ],
)
def test_a_callback_address_off_this_machine_is_refused_and_never_called(clocked, url):
    assert not is_loopback(url)
    provider = seedance(clocked, url)
    submitted = provider.submit(generation_request("seedance-1.5-pro", duration_seconds=5))
    assert clocked.sim.callbacks.refused == [url]
    wait_for(lambda: provider.poll(submitted.remote_id).state == State.SUCCEEDED)
    time.sleep(0.2)
    assert clocked.sim.callbacks.sent == [] and clocked.sim.callbacks.watches == {}


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/h", "http://localhost/h", "http://[::1]:9/h", "https://127.9.9.9/"],
)
def test_loopback_addresses_are_allowed(url):
    assert is_loopback(url)


def test_a_studio_that_refuses_is_told_again_then_left_alone(clocked):
    def refuse(method, path, headers, body):
        return 503, {}, b"busy"

    with loopback_server(refuse) as hook:
        provider = seedance(clocked, f"{hook.url}/h/")
        provider.submit(generation_request("seedance-1.5-pro", duration_seconds=5))
        wait_for(lambda: clocked.sim.callbacks.sent, timeout=15)
    assert len(hook.requests) == 3  # ATTEMPTS
    assert [s.status for s in clocked.sim.callbacks.sent] == [503]
