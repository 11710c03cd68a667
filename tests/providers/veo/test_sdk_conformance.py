"""The official google-genai SDK, pointed at the simulator, completes a Veo generation.

Vertex AI mode runs on the installed google-genai 3.x. Gemini API mode needs google-genai 2.x:
3.x refuses generate_videos with an API key ("only supported in Gemini Enterprise Agent Platform
mode"; providers.md 1.5), so that test runs a script under a 2.x interpreter in its own
virtualenv (GENAI2_PYTHON, default var/sdk/genai2/bin/python; `make sdk-venvs` would create it).
No mocks: the SDK's own HTTP goes to the simulator.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from providers.core.media import probe

ROOT = Path(__file__).resolve().parents[3]
GENAI2_PYTHON = os.environ.get("GENAI2_PYTHON", str(ROOT / "var/sdk/genai2/bin/python"))

GEMINI_SCRIPT = r"""
import re, sys, time
import httpx
from google import genai
from google.genai import types

base_url, key, out = sys.argv[1:4]
client = genai.Client(api_key=key, http_options=types.HttpOptions(base_url=base_url))
operation = client.models.generate_videos(
    model="veo-3.1-generate-001",
    prompt="A crane shot rising over a lone hiker on a canyon rim at sunrise.",
    config=types.GenerateVideosConfig(
        aspect_ratio="16:9", resolution="720p", duration_seconds=8,
        negative_prompt="cartoon", number_of_videos=1,
    ),
)
deadline = time.monotonic() + 20
while not operation.done:
    assert time.monotonic() < deadline, "never finished"
    time.sleep(0.2)
    operation = client.operations.get(operation)
video = operation.response.generated_videos[0].video
print("uri", video.uri)
# files.download only parses https:// URIs, so hand it the file name the way it would cut it.
name = re.match("[a-z0-9]+", video.uri.split("files/")[1]).group(0)
data = client.files.download(file=f"files/{name}")
# and the REST way: GET the uri with the same key
direct = httpx.get(video.uri, headers={"x-goog-api-key": key}).content
assert data == direct, "files.download and GET uri disagree"
open(out, "wb").write(data)
print("bytes", len(data))
"""


@pytest.mark.skipif(
    not Path(GENAI2_PYTHON).exists(),
    reason=f"google-genai 2.x not found at {GENAI2_PYTHON} (python -m venv var/sdk/genai2 && "
    "var/sdk/genai2/bin/pip install 'google-genai==2.34.0')",
)
def test_gemini_api_mode_with_google_genai_2(simulator, tmp_path):
    out = tmp_path / "gemini.mp4"
    result = subprocess.run(
        [
            GENAI2_PYTHON,
            "-c",
            GEMINI_SCRIPT,
            simulator.base_url("gemini"),
            simulator.sim.credentials["gemini"],
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    version = subprocess.run(
        [GENAI2_PYTHON, "-c", "import google.genai as g; print(g.__version__)"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert version.startswith("2.")
    assert probe(str(out)).codec == "h264"
    [(provider, body)] = simulator.sim.submissions
    assert provider == "gemini"
    assert body["parameters"]["durationSeconds"] == 8
    assert body["instances"][0]["prompt"].startswith("A crane shot")


def test_gemini_api_mode_is_refused_by_google_genai_3(simulator):
    """Documents why the Gemini API conformance test needs 2.x (providers.md 1.5)."""
    from google import genai
    from google.genai import types

    client = genai.Client(
        api_key=simulator.sim.credentials["gemini"],
        http_options=types.HttpOptions(base_url=simulator.base_url("gemini")),
    )
    with pytest.raises(ValueError, match="only supported in Gemini Enterprise Agent Platform"):
        client.models.generate_videos(
            model="veo-3.1-generate-001", source=types.GenerateVideosSource(prompt="x")
        )
    assert simulator.sim.submissions == []


def test_vertex_mode_with_google_genai(simulator, vertex_client, tmp_path):
    from google.genai import types

    client = vertex_client
    operation = client.models.generate_videos(
        model="veo-3.1-generate-001",
        source=types.GenerateVideosSource(prompt="A lone hiker walks to the canyon edge."),
        config=types.GenerateVideosConfig(
            aspect_ratio="9:16",
            duration_seconds=6,
            seed=11,
            generate_audio=True,
            negative_prompt="cartoon",
        ),
    )
    operation = finished(client, operation)
    video = operation.response.generated_videos[0].video
    assert video.mime_type == "video/mp4"
    out = tmp_path / "vertex.mp4"
    video.save(str(out))
    assert probe(str(out)).codec == "h264"
    [(provider, body)] = simulator.sim.submissions
    assert provider == "vertex"
    assert body["parameters"]["seed"] == 11
    assert body["parameters"]["generateAudio"] is True


def test_vertex_mode_sdk_sees_the_safety_filter(simulator, vertex_client):
    from google.genai import types

    client = vertex_client
    simulator.sim.add_fault("vertex", "moderation")
    operation = client.models.generate_videos(
        model="veo-3.1-fast-generate-001",
        source=types.GenerateVideosSource(prompt="x"),
    )
    operation = finished(client, operation)
    assert operation.response.rai_media_filtered_count == 1
    assert not operation.response.generated_videos


def test_vertex_mode_sdk_reads_billing_disabled_as_a_client_error(simulator, vertex_client):
    from google.genai import errors, types

    client = vertex_client
    simulator.sim.add_fault("vertex", "quota")
    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_videos(
            model="veo-3.1-fast-generate-001", source=types.GenerateVideosSource(prompt="x")
        )
    assert caught.value.code == 403 and caught.value.status == "PERMISSION_DENIED"
    assert caught.value.details["error"]["details"][0]["reason"] == "BILLING_DISABLED"
    assert simulator.sim.submissions == []


def finished(client, operation, *, limit: float = 20):
    """Poll the SDK's operation until done; a simulator that never finishes fails, not hangs."""
    deadline = time.monotonic() + limit
    while not operation.done:
        assert time.monotonic() < deadline, f"operation {operation.name} never finished"
        time.sleep(0.2)
        operation = client.operations.get(operation)
    return operation
