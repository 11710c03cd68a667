"""The official SDKs, unmodified and unmocked, make a still against the simulator, and what
they put on the wire is what our adapters send: google-genai 3.x (Vertex AI and API key),
runwayml, the BytePlus Ark runtime, higgsfield-client."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.providers.stills.conftest import adapter_for, still_request
from tests.support import genai as genai_clients

ark = pytest.importorskip("byteplussdkarkruntime")


def picture(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def ours_and_theirs(simulator, prefix: str, request, sdk_call):
    """Send `request` with our adapter, then the same still with the SDK; both wire bodies."""
    adapter_for(simulator, prefix).submit(request)
    result = sdk_call()
    (_, ours), (_, theirs) = simulator.sim.submissions
    return ours, theirs, result


@pytest.mark.parametrize("mode", ["vertex", "gemini"])
def test_google_genai_generate_content(simulator, mode):
    from google.genai import types

    request = still_request("nano-banana-pro")
    config = types.GenerateContentConfig(
        response_modalities=["IMAGE"],
        image_config=types.ImageConfig(aspect_ratio="16:9", image_size="2K"),
    )

    def generate():
        client = genai_client(simulator, mode)  # kept alive: a dropped Client closes its HTTP
        return client.models.generate_content(
            model="gemini-3-pro-image", contents=request.prompt, config=config
        )

    ours, theirs, response = ours_and_theirs(simulator, mode, request, generate)
    image = response.candidates[0].content.parts[0].inline_data
    assert image.mime_type == "image/png"
    assert picture(image.data) == ("PNG", (256, 144))
    assert theirs["generationConfig"] == ours["generationConfig"]
    assert theirs["contents"] == ours["contents"]


def genai_client(simulator, mode: str):
    """Made after our adapter's call: a new service account replaces the simulator's key."""
    if mode == "vertex":
        from providers.simulator.veo import service_account_info

        info = service_account_info(simulator.sim, project="sim-project")
        return genai_clients.vertex_client(simulator, info, location="global")
    return genai_clients.gemini_client(simulator)


def test_runwayml_text_to_image(simulator, monkeypatch):
    import runwayml
    from runwayml import RunwayML

    monkeypatch.setattr(runwayml.lib.polling, "POLL_TIME", 0.05)
    monkeypatch.setattr(runwayml.lib.polling, "POLL_JITTER", 0)
    request = still_request("runway-gen4-image")
    with RunwayML(
        api_key=simulator.sim.credentials["runway"], base_url=simulator.base_url("runway")
    ) as client:
        ours, theirs, task = ours_and_theirs(
            simulator,
            "runway",
            request,
            lambda: client.text_to_image.create(
                model="gen4_image", prompt_text=request.prompt, ratio="1920:1080"
            ).wait_for_task_output(timeout=10),
        )
    assert picture(httpx.get(task.output[0]).content) == ("PNG", (256, 144))
    assert theirs == ours


def test_ark_runtime_images_generate(simulator):
    client = ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3",
        api_key=simulator.sim.credentials["seedance"],
        max_retries=0,
    )
    request = still_request("seedream-4.5")
    ours, theirs, response = ours_and_theirs(
        simulator,
        "seedance",
        request,
        lambda: client.images.generate(
            model="seedream-4-5-251128", prompt=request.prompt, **request.params
        ),
    )
    assert response.data[0].size == "2848x1600"
    assert picture(httpx.get(response.data[0].url).content) == ("PNG", (256, 144))
    assert {k: v for k, v in theirs.items() if v is not None} == ours


def test_higgsfield_client_subscribe_on_soul(simulator):
    from higgsfield_client import SyncClient

    key_id, secret = simulator.sim.credentials["higgsfield"]
    client = SyncClient(base_url=simulator.base_url("higgsfield"), api_key=f"{key_id}:{secret}")
    request = still_request("higgsfield-soul")
    arguments = {"prompt": request.prompt, **request.params}
    ours, theirs, result = ours_and_theirs(
        simulator,
        "higgsfield",
        request,
        lambda: client.subscribe("higgsfield-ai/soul/standard", arguments),
    )
    assert result["status"] == "completed"
    assert picture(httpx.get(result["images"][0]["url"]).content) == ("PNG", (256, 144))
    assert theirs == ours
