"""The official higgsfield-client SDK, unmodified and unmocked, against the simulator.

The SDK takes `base_url` and `api_key` ("KEY_ID:KEY_SECRET", else HF_KEY or HF_API_KEY +
HF_API_SECRET from the environment) on `SyncClient`. It has no motions call, so the preset id
comes from GET /v1/motions with the same `Key` header, as the JS SDK's getMotions does.
"""

import httpx
import pytest
from higgsfield_client import (
    NSFW,
    Cancelled,
    Completed,
    HiggsfieldClientError,
    InProgress,
    Queued,
    SyncClient,
)

from providers.core.media import probe
from tests.providers.higgsfield.conftest import KEY_ID, KEY_SECRET


@pytest.fixture
def client(simulator):
    return SyncClient(base_url=simulator.base_url("higgsfield"), api_key=f"{KEY_ID}:{KEY_SECRET}")


def dop_arguments(client, simulator, hero, motion="Dolly In"):
    image_url = client.upload_file(hero.path)  # the SDK's own signed-URL upload
    motions = httpx.get(
        simulator.base_url("higgsfield") + "/v1/motions",
        headers={"Authorization": f"Key {KEY_ID}:{KEY_SECRET}"},
    ).json()
    motion_id = next(m["id"] for m in motions if m["name"] == motion)
    return {
        "model": "dop-turbo",
        "prompt": "A lone hiker walks to the edge.",
        "input_images": [{"type": "image_url", "image_url": image_url}],
        "motions": [{"id": motion_id, "strength": 0.8}],
        "seed": 123,
    }


def test_sdk_submit_wait_and_fetch_the_video(client, simulator, hero, tmp_path):
    controller = client.submit("/v1/image2video/dop", dop_arguments(client, simulator, hero))
    seen = [type(status) for status in controller.poll_request_status(delay=0.1)]
    assert seen[0] is Queued and InProgress in seen and seen[-1] is Completed
    result = controller.get()
    assert result["status"] == "completed"
    assert result["request_id"] == controller.request_id
    video = httpx.get(result["video"]["url"])
    assert video.status_code == 200
    path = tmp_path / "sdk.mp4"
    path.write_bytes(video.content)
    assert probe(str(path)).codec == "h264"


def test_sdk_webhook_reaches_the_simulator(client, simulator, hero):
    # Note: SDK 0.2.0's `client.status(request_id)` / `client.result(request_id)` build their
    # URLs from the hard-coded https://api.higgsfield.ai, not `base_url`, so only the
    # controller (which follows the `status_url` we answered with) can reach a simulator.
    arguments = dop_arguments(client, simulator, hero, motion="Static")
    controller = client.submit(
        "/v1/image2video/dop", arguments, webhook_url="https://studio.example/hooks/hf/x/"
    )
    assert simulator.sim.state["higgsfield"]["webhooks"][controller.request_id] == (
        "https://studio.example/hooks/hf/x/"
    )
    assert isinstance(controller.status(), Queued | InProgress)
    assert controller.get()["video"]["url"].endswith(".mp4")


def test_sdk_subscribe(client, simulator, hero):
    updates = []
    result = client.subscribe(
        "/v1/image2video/dop",
        dop_arguments(client, simulator, hero),
        on_queue_update=updates.append,
    )
    assert result["status"] == "completed"
    assert isinstance(updates[-1], Completed)


def test_sdk_cancel_queued_request(client, simulator, hero):
    controller = client.submit("/v1/image2video/dop", dop_arguments(client, simulator, hero))
    controller.cancel()
    assert isinstance(controller.status(), Cancelled)


def test_sdk_sees_nsfw(client, simulator, hero):
    simulator.sim.add_fault("higgsfield", "moderation")
    controller = client.submit("/v1/image2video/dop", dop_arguments(client, simulator, hero))
    statuses = list(controller.poll_request_status(delay=0.1))
    assert isinstance(statuses[-1], NSFW)


def test_sdk_bad_key_and_validation_messages(simulator, hero, client):
    arguments = dop_arguments(client, simulator, hero)
    stranger = SyncClient(base_url=simulator.base_url("higgsfield"), api_key="sim-hf-id:nope")
    with pytest.raises(HiggsfieldClientError, match="Invalid API credentials"):
        stranger.submit("/v1/image2video/dop", arguments)
    with pytest.raises(HiggsfieldClientError) as caught:
        client.submit("/v1/image2video/dop", {**arguments, "model": "dop-ultra"})
    assert caught.value.args[0][0]["loc"] == ["body", "model"]


def test_sdk_reads_the_out_of_credit_answer(simulator, hero, client):
    arguments = dop_arguments(client, simulator, hero)
    simulator.sim.add_fault("higgsfield", "quota")
    with pytest.raises(HiggsfieldClientError) as caught:
        client.submit("/v1/image2video/dop", arguments)
    assert caught.value.args == ("Not enough credits",)
    assert simulator.sim.submissions == []


def test_sdk_submits_a_catalogue_model_and_follows_the_links(client, simulator, hero):
    # The application path is the catalogue's slug, read from GET /models as the adapter does.
    models = httpx.get(
        simulator.base_url("higgsfield") + "/models",
        headers={"Authorization": f"Key {KEY_ID}:{KEY_SECRET}"},
    ).json()["items"]
    slug = next(m["slug"] for m in models if m["slug"].startswith("kling-video/"))
    arguments = {
        "prompt": "A lone hiker walks to the edge.",
        "image_url": client.upload_file(hero.path),
        "duration": 5,
        "aspect_ratio": "16:9",
    }
    controller = client.submit(slug, arguments)
    result = controller.get()  # polls the status_url the submit answered with
    assert result["status"] == "completed"
    assert result["video"]["url"].endswith(".mp4")
    assert simulator.sim.jobs[controller.request_id].model == slug
    queued = client.submit(slug, arguments)
    queued.cancel()  # the cancel_url
    assert isinstance(queued.status(), Cancelled)


def test_sdk_sees_a_model_the_account_lacks(client, simulator, hero):
    from providers.simulator import higgsfield as hf_sim

    hf_sim.state(simulator.sim)["locked"].add("google/veo-3.1/image-to-video")
    arguments = {"prompt": "x", "image_url": client.upload_file(hero.path), "duration": 8}
    with pytest.raises(HiggsfieldClientError) as caught:
        client.submit("google/veo-3.1/image-to-video", arguments)
    assert "locked" in str(caught.value.args)
    assert simulator.sim.submissions == []
