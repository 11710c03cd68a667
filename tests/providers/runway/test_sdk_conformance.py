"""The official `runwayml` SDK, unmodified, completes generations against the simulator.

Only the SDK's poll interval (a module constant, 6 +/- 1.5 s) is shortened so the test is fast;
HTTP, request building and response parsing are all the SDK's own.
"""

import base64

import httpx
import pytest
import runwayml
import runwayml.lib.polling
from runwayml import RunwayML
from runwayml.lib.polling import TaskFailedError

from providers.core.media import probe


@pytest.fixture
def client(simulator, monkeypatch):
    monkeypatch.setattr(runwayml.lib.polling, "POLL_TIME", 0.1)
    monkeypatch.setattr(runwayml.lib.polling, "POLL_JITTER", 0)
    with RunwayML(
        api_key=simulator.sim.credentials["runway"], base_url=simulator.base_url("runway")
    ) as sdk:
        yield sdk


def png_data_uri(tmp_path):
    from PIL import Image

    path = tmp_path / "first.png"
    Image.new("RGB", (32, 18), (10, 90, 160)).save(path)
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def fetch(url, tmp_path):
    response = httpx.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    path = tmp_path / "out.mp4"
    path.write_bytes(response.content)
    return probe(str(path))


def test_image_to_video_through_the_sdk(client, simulator, tmp_path):
    task = client.image_to_video.create(
        model="gen4.5",
        prompt_image=png_data_uri(tmp_path),
        prompt_text="slow dolly-in, leaves drifting",
        ratio="1280:720",
        duration=5,
        seed=42,
    )
    done = task.wait_for_task_output(timeout=10)
    assert done.status == "SUCCEEDED"
    assert done.cost.credits == 60
    assert fetch(done.output[0], tmp_path).codec == "h264"
    _, body = simulator.sim.submissions[0]
    assert body["promptText"] == "slow dolly-in, leaves drifting" and body["seed"] == 42


def test_text_to_video_through_the_sdk(client, tmp_path):
    task = client.text_to_video.create(
        model="gen4.5", prompt_text="a lone hiker at sunrise", ratio="720:1280", duration=4
    )
    done = task.wait_for_task_output(timeout=10)
    assert done.status == "SUCCEEDED"
    assert fetch(done.output[0], tmp_path).codec == "h264"


def test_gen4_turbo_with_image_array_through_the_sdk(client, tmp_path):
    task = client.image_to_video.create(
        model="gen4_turbo",
        prompt_image=[{"uri": png_data_uri(tmp_path), "position": "first"}],
        ratio="960:960",
    )
    done = task.wait_for_task_output(timeout=10)
    assert done.status == "SUCCEEDED"


def test_sdk_parses_every_unfinished_status(client, simulator):
    simulator.sim.add_fault("runway", "busy")
    task = client.text_to_video.create(
        model="gen4.5", prompt_text="x", ratio="1280:720", duration=2
    )
    throttled = client.tasks.retrieve(task.id)
    assert throttled.status == "THROTTLED"
    assert throttled.estimated_cost.credits == 24
    client.tasks.delete(task.id)
    assert client.tasks.retrieve(task.id).status == "CANCELLED"


def test_sdk_sees_moderation_as_a_failed_task(client, simulator):
    simulator.sim.add_fault("runway", "moderation")
    task = client.text_to_video.create(
        model="gen4.5", prompt_text="x", ratio="1280:720", duration=2
    )
    with pytest.raises(TaskFailedError) as caught:
        task.wait_for_task_output(timeout=10)
    assert caught.value.task_details.failure_code == "SAFETY.INPUT.TEXT"


def test_sdk_raises_its_own_errors_for_bad_key_and_bad_input(simulator, client):
    with (
        RunwayML(api_key="key_wrong", base_url=simulator.base_url("runway")) as bad,
        pytest.raises(runwayml.AuthenticationError),
    ):
        bad.tasks.retrieve("nope")
    with pytest.raises(runwayml.BadRequestError) as caught:
        client.text_to_video.create(model="gen4.5", prompt_text="x", ratio="1280:720", duration=12)
    assert caught.value.body["issues"][0]["path"] == ["duration"]


def test_sdk_reads_the_out_of_credits_answer_as_a_bad_request(simulator, client):
    simulator.sim.add_fault("runway", "quota")
    with pytest.raises(runwayml.BadRequestError) as caught:
        client.text_to_video.create(model="gen4.5", prompt_text="x", ratio="1280:720", duration=5)
    assert caught.value.body == {"error": "You do not have enough credits to run this task."}
    assert simulator.sim.submissions == []


def test_sdk_reads_its_own_environment_variables(simulator, monkeypatch):
    # The SDK's own names; the studio recommends RUNWAY_API_KEY and passes the key explicitly.
    monkeypatch.setenv("RUNWAYML_API_SECRET", simulator.sim.credentials["runway"])
    monkeypatch.setenv("RUNWAYML_BASE_URL", simulator.base_url("runway"))
    with RunwayML() as sdk:
        task = sdk.text_to_video.create(
            model="gen4.5", prompt_text="x", ratio="1280:720", duration=2
        )
        assert sdk.tasks.retrieve(task.id).status in ("PENDING", "RUNNING", "THROTTLED")
