"""The official BytePlus Ark runtime SDK (byteplus-python-sdk-v2), unmodified and unmocked,
completes a generation against the simulator: create, poll with get() until succeeded, then the
video URL from the task object is fetched."""

import time

import httpx
import pytest

from providers.simulator.core import default_credentials

ark = pytest.importorskip("byteplussdkarkruntime")


@pytest.fixture
def client(simulator):
    return ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3",
        api_key=default_credentials()["seedance"],
        max_retries=0,
    )


def test_sdk_completes_a_generation(client, simulator):
    created = client.content_generation.tasks.create(
        model="seedance-1-5-pro-251215",
        content=[{"type": "text", "text": "A kitten yawning, soft morning light."}],
        resolution="720p",
        ratio="16:9",
        duration=5,
        seed=11,
        camera_fixed=False,
        generate_audio=True,
        watermark=False,
    )
    assert created.id.startswith("cgt-")
    deadline = time.monotonic() + 5
    statuses = []
    while True:
        task = client.content_generation.tasks.get(task_id=created.id)
        statuses.append(task.status)
        if task.status in ("succeeded", "failed", "cancelled", "expired"):
            break
        assert time.monotonic() < deadline, statuses
        time.sleep(0.1)
    assert task.status == "succeeded", task.error
    assert statuses[0] == "queued"
    assert task.usage.completion_tokens == 108000
    assert (task.duration, task.ratio, task.resolution, task.seed) == (5, "16:9", "720p", 11)
    video = httpx.get(task.content.video_url)
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"  # an MP4
    # What the SDK sent is what the simulator recorded (its nulls mean "default").
    sent = simulator.sim.submissions[0][1]
    assert sent["content"][0]["text"].startswith("A kitten") and sent["generate_audio"] is True


def test_sdk_cancels_a_queued_task(client):
    created = client.content_generation.tasks.create(
        model="seedance-1-5-pro-251215",
        content=[{"type": "text", "text": "A kitten."}],
        duration=5,
    )
    client.content_generation.tasks.delete(created.id)
    assert client.content_generation.tasks.get(task_id=created.id).status == "cancelled"


def test_sdk_raises_its_own_errors_on_modelark_error_bodies(simulator):
    wrong = ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3", api_key="nope", max_retries=0
    )
    with pytest.raises(ark._exceptions.ArkAuthenticationError) as caught:
        wrong.content_generation.tasks.get(task_id="cgt-x")
    assert caught.value.code == "AuthenticationError"
    client = ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3",
        api_key=default_credentials()["seedance"],
        max_retries=0,
    )
    with pytest.raises(ark._exceptions.ArkBadRequestError) as caught:
        client.content_generation.tasks.create(
            model="seedance-1-5-pro-251215", content=[{"type": "text", "text": "x"}], duration=30
        )
    assert caught.value.param == "duration"


def test_sdk_reads_the_overdue_account_answer_as_its_own_permission_error(client, simulator):
    simulator.sim.add_fault("seedance", "quota")
    with pytest.raises(ark._exceptions.ArkPermissionDeniedError) as caught:
        client.content_generation.tasks.create(
            model="seedance-1-5-pro-251215", content=[{"type": "text", "text": "x"}], duration=5
        )
    assert caught.value.code == "AccountOverdueError"
    assert simulator.sim.submissions == []
