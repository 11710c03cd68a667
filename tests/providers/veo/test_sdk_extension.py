"""Scene extension through the official google-genai SDK against the simulator: the wire body
the SDK builds is the one our adapters send (instances[0].video; providers.md §1.2, §1.3).
Gemini API mode runs on google-genai 2.x (3.x refuses it, see test_sdk_conformance.py)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from .test_sdk_conformance import GENAI2_PYTHON, finished

GEMINI_EXTEND = r"""
import sys, time
from google import genai
from google.genai import types

base_url, key = sys.argv[1:3]
client = genai.Client(api_key=key, http_options=types.HttpOptions(base_url=base_url))

def done(operation):
    deadline = time.monotonic() + 20
    while not operation.done:
        assert time.monotonic() < deadline, "never finished"
        time.sleep(0.2)
        operation = client.operations.get(operation)
    return operation

first = done(client.models.generate_videos(model="veo-3.1-generate-001", prompt="A hiker."))
video = first.response.generated_videos[0].video
more = done(client.models.generate_videos(
    model="veo-3.1-generate-001",
    prompt="The hiker turns back.",
    video=video,
    config=types.GenerateVideosConfig(resolution="720p", duration_seconds=8),
))
print(video.uri)
print(len(more.response.generated_videos))
# what check_connection reads: ListModels, page after page
listed = client.models.list(config={"page_size": 2})
print(",".join(sorted(m.name for m in listed if "veo" in m.name)))
"""


@pytest.mark.skipif(not Path(GENAI2_PYTHON).exists(), reason="google-genai 2.x not installed")
def test_gemini_extension_with_google_genai_2(simulator):
    result = subprocess.run(
        [
            GENAI2_PYTHON,
            "-c",
            GEMINI_EXTEND,
            simulator.base_url("gemini"),
            simulator.sim.credentials["gemini"],
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    uri, samples, listed = result.stdout.split()
    assert samples == "1"
    assert "models/veo-3.1-generate-001" in listed.split(",")
    assert "preview" not in listed  # shut down on the Gemini API (providers.md §9)
    _, body = simulator.sim.submissions[-1]
    # What our GeminiVeoProvider sends for an extension (test_extension.py), field for field.
    assert body["instances"] == [{"prompt": "The hiker turns back.", "video": {"uri": uri}}]
    assert body["parameters"]["resolution"] == "720p"
    assert body["parameters"]["durationSeconds"] == 8


def test_vertex_extension_with_google_genai(simulator, vertex_client):
    from google.genai import types

    client = vertex_client
    first = finished(
        client,
        client.models.generate_videos(
            model="veo-3.1-generate-001", source=types.GenerateVideosSource(prompt="A hiker.")
        ),
    )
    video = first.response.generated_videos[0].video
    more = finished(
        client,
        client.models.generate_videos(
            model="veo-3.1-generate-001",
            source=types.GenerateVideosSource(prompt="The hiker turns back.", video=video),
            config=types.GenerateVideosConfig(resolution="720p", duration_seconds=8),
        ),
    )
    assert len(more.response.generated_videos) == 1
    _, body = simulator.sim.submissions[-1]
    sent = body["instances"][0]["video"]
    assert set(sent) == {"bytesBase64Encoded", "mimeType"} and sent["mimeType"] == "video/mp4"
    assert base64.b64decode(sent["bytesBase64Encoded"]) == video.video_bytes
    assert body["parameters"]["resolution"] == "720p"


def test_vertex_sdk_reads_the_publisher_model_check_connection_reads(simulator, vertex_client):
    model = vertex_client.models.get(model="veo-3.1-lite-generate-001")
    assert model.name == "publishers/google/models/veo-3.1-lite-generate-001"
    assert simulator.sim.submissions == []
