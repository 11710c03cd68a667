"""Golden tests of the pure build/parse functions, on the documented payloads (docs/providers.md
1.2/1.3)."""

from __future__ import annotations

import base64

import pytest

from providers.core.base import (
    AuthFailed,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Transient,
    UnknownOutcome,
)
from providers.veo.contract import (
    INLINE_RESULT,
    build_gemini_submit,
    build_vertex_submit,
    parse_status,
    parse_submit,
    refine_error,
    vertex_poll_request,
)
from tests.providers.conftest import generation_request

from .conftest import veo_request, with_images

# What a Gemini account names once the -preview ids are gone (conftest.GEMINI_MODEL_IDS).
IDS = {"veo-3.1": "veo-3.1-generate-001", "veo-3.1-fast": "veo-3.1-fast-generate-001"}


def test_gemini_text_to_video_body():
    request = veo_request(duration_seconds=6, aspect_ratio="9:16", negative_prompt="cartoon")
    path, body = build_gemini_submit(request, overrides=IDS)
    assert path == "/v1beta/models/veo-3.1-generate-001:predictLongRunning"
    assert body == {
        "instances": [{"prompt": request.prompt}],
        "parameters": {
            "durationSeconds": 6,
            "aspectRatio": "9:16",
            "resolution": "720p",
            "sampleCount": 1,
            "negativePrompt": "cartoon",
        },
    }


def test_gemini_leaves_out_the_vertex_only_seed_and_audio_switch():
    request = veo_request(seed=7, audio=True)
    assert request.params["seed"] == 7 and request.params["generateAudio"] is True
    _, body = build_gemini_submit(request, overrides=IDS)
    assert "seed" not in body["parameters"]
    assert "generateAudio" not in body["parameters"]


def test_first_and_last_frame_go_as_raw_base64_with_mime_type(image_file):
    first = image_file("first.png")
    last = image_file("last.jpg", color=(0, 0, 0))
    last = type(last)(path=last.path, sha256=last.sha256, role="last_frame")
    request = with_images(
        generation_request("veo-3.1-fast", has_hero_frame=True, has_last_frame=True), first, last
    )
    path, body = build_gemini_submit(request, overrides=IDS)
    assert path == "/v1beta/models/veo-3.1-fast-generate-001:predictLongRunning"
    instance = body["instances"][0]
    with open(first.path, "rb") as handle:
        expected = base64.b64encode(handle.read()).decode()
    assert instance["image"] == {"bytesBase64Encoded": expected, "mimeType": "image/png"}
    assert instance["lastFrame"]["mimeType"] == "image/jpeg"
    assert not instance["lastFrame"]["bytesBase64Encoded"].startswith("data:")


def test_vertex_body_keeps_seed_and_audio_and_labels_the_take(image_file):
    ref = image_file("ref.png")
    ref = type(ref)(path=ref.path, sha256=ref.sha256, role="reference")
    request = with_images(
        veo_request(seed=1234, audio=False, resolution="1080p", reference_count=1), ref
    )
    path, body = build_vertex_submit(
        request, project="p1", location="us-central1", output_gcs_uri="gs://bucket/out/"
    )
    assert path == (
        "/v1/projects/p1/locations/us-central1/publishers/google/models/"
        "veo-3.1-generate-001:predictLongRunning"
    )
    assert body["parameters"] == {
        "durationSeconds": 8,
        "aspectRatio": "16:9",
        "resolution": "1080p",
        "generateAudio": False,
        "sampleCount": 1,
        "seed": 1234,
        "storageUri": "gs://bucket/out/",
    }
    assert body["labels"] == {"shot_studio_take": "42"}
    assert body["instances"][0]["referenceImages"][0]["referenceType"] == "ASSET"


def test_an_image_role_veo_has_no_place_for_is_refused(image_file):
    odd = image_file()
    odd = type(odd)(path=odd.path, sha256=odd.sha256, role="voice")
    with pytest.raises(Rejected, match="role 'voice'"):
        build_gemini_submit(with_images(veo_request(), odd), overrides=IDS)


def test_vertex_poll_cuts_the_operation_name_like_the_sdk():
    name = (
        "projects/p/locations/us-central1/publishers/google/models/veo-3.1-generate-001"
        "/operations/a1b2"
    )
    path, body = vertex_poll_request(name)
    assert path == (
        "/v1/projects/p/locations/us-central1/publishers/google/models/"
        "veo-3.1-generate-001:fetchPredictOperation"
    )
    assert body == {"operationName": name}


# --- parse: the documented payloads (providers.md 1.2/1.3) ----------------------------------
SUBMITTED = {"name": "models/veo-3.1-generate-preview/operations/abc123", "done": False}
GEMINI_DONE = {
    "name": "models/veo-3.1-generate-preview/operations/abc123",
    "done": True,
    "response": {
        "generateVideoResponse": {
            "generatedSamples": [
                {
                    "video": {
                        "uri": "https://generativelanguage.googleapis.com/v1beta/files/xyz:download?alt=media"
                    }
                }
            ],
            "raiMediaFilteredCount": 0,
            "raiMediaFilteredReasons": [],
        }
    },
}


def test_parse_submit_takes_the_operation_name():
    submitted = parse_submit(SUBMITTED)
    assert submitted.remote_id == "models/veo-3.1-generate-preview/operations/abc123"
    assert submitted.raw_status == "running"
    assert submitted.cost is None  # Veo reports no cost; the price table prices it


def test_parse_submit_without_a_name_is_an_unknown_outcome():
    with pytest.raises(UnknownOutcome):
        parse_submit({"done": False})


@pytest.mark.parametrize("payload", [SUBMITTED, {"name": "models/x/operations/1"}])
def test_not_done_is_running(payload):
    progress = parse_status(payload)
    assert progress.state is State.RUNNING
    assert progress.poll_after == 10.0


def test_done_with_a_sample_succeeds_with_its_uri():
    progress = parse_status(GEMINI_DONE)
    assert progress.state is State.SUCCEEDED
    assert progress.result_url == (
        "https://generativelanguage.googleapis.com/v1beta/files/xyz:download?alt=media"
    )


def test_done_with_no_samples_after_safety_filtering_is_rejected():
    progress = parse_status(
        {
            "name": "models/veo-3.1-generate-preview/operations/abc123",
            "done": True,
            "response": {
                "generateVideoResponse": {
                    "raiMediaFilteredCount": 1,
                    "raiMediaFilteredReasons": ["The prompt mentions a real person."],
                }
            },
        }
    )
    assert progress.state is State.REJECTED
    assert progress.error == "The prompt mentions a real person."


def test_done_with_nothing_at_all_is_a_failure_not_a_success():
    progress = parse_status({"name": "n", "done": True, "response": {"generateVideoResponse": {}}})
    assert progress.state is State.FAILED
    assert progress.error == "Veo finished without a video."


@pytest.mark.parametrize(
    ("code", "state"),
    [(3, State.REJECTED), (13, State.FAILED), (4, State.FAILED), (1, State.CANCELED)],
)
def test_operation_error_maps_by_google_rpc_code(code, state):
    progress = parse_status({"name": "n", "done": True, "error": {"code": code, "message": "no"}})
    assert progress.state is state
    assert progress.error == "no"


def test_vertex_inline_bytes_point_download_at_the_operation_and_stay_out_of_raw():
    name = "projects/p/locations/l/publishers/google/models/m/operations/9"
    payload = {
        "name": name,
        "done": True,
        "response": {
            "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
            "videos": [{"bytesBase64Encoded": "AAAA" * 100, "mimeType": "video/mp4"}],
        },
    }
    progress = parse_status(payload)
    assert progress.state is State.SUCCEEDED
    assert progress.result_url == f"{INLINE_RESULT}{name}#0"
    assert progress.raw["response"]["videos"][0]["bytesBase64Encoded"] == "<400 base64 chars>"


def test_vertex_gcs_result():
    payload = {
        "name": "n",
        "done": True,
        "response": {"videos": [{"gcsUri": "gs://b/o/sample_0.mp4", "mimeType": "video/mp4"}]},
    }
    assert parse_status(payload).result_url == "gs://b/o/sample_0.mp4"


def test_vertex_filtered_is_rejected():
    payload = {"name": "n", "done": True, "response": {"raiMediaFilteredCount": 1}}
    assert parse_status(payload).state is State.REJECTED


@pytest.mark.parametrize("payload", [{"name": "n", "done": "yes"}, {"name": "n", "done": True}])
def test_an_unknown_shape_is_an_error_with_the_raw_payload_never_queued(payload):
    with pytest.raises(ProviderError) as caught:
        parse_status(payload)
    assert caught.value.raw == payload


# A per-day quota as the Gemini API words it [3P: bodies logged by many clients]: it also says
# "billing details", yet it resets, so it stays a wait; the simulator plays only its own faults.
DAILY_QUOTA = {
    "error": {
        "code": 429,
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel"}],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "39043s"},
        ],
    }
}


def test_a_quota_that_resets_stays_a_wait_and_money_does_not():
    waiting = refine_error(Transient("Veo: quota", raw=DAILY_QUOTA))
    assert type(waiting) is Transient and waiting.retry_after == 39043.0
    depleted = {"error": {"code": 429, "message": "Your prepayment credits are depleted."}}
    assert type(refine_error(Transient("Veo: credits", raw=depleted))) is QuotaExceeded
    key = {"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "denied"}}
    assert type(refine_error(AuthFailed("Veo: denied", raw=key))) is AuthFailed
