"""Golden tests of the pure Kling functions on shots and on recorded/documented payloads."""

import base64
import json
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jwt
import pytest

from providers.core.base import (
    AuthFailed,
    InputImage,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Transient,
    UnknownOutcome,
)
from providers.kling import contract as kling
from providers.kling.adapter import KlingProvider
from tests.providers.conftest import REQUEST_KEY, generation_request

SECRET = "sk-0123456789abcdef0123456789abcdef"  # a real-length secret key
FIXTURES = Path(__file__).parent / "fixtures"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


# --- build_submit ---------------------------------------------------------------------------
def test_text2video_std_golden():
    request = generation_request("kling-2.6-std", duration_seconds=5)
    path, body = kling.build_submit(request)
    assert path == "/v1/videos/text2video"
    assert body == {
        "prompt": "A lone hiker walks to the edge, on a canyon rim at sunrise. The camera is a "
        "wide shot, eye level. Soft morning light.",
        "model_name": "kling-v2-6",
        "mode": "std",
        "duration": "5",
        "sound": "off",
        "aspect_ratio": "16:9",
        "external_task_id": REQUEST_KEY,
    }


def test_text2video_pro_with_sound_and_negative_prompt_golden():
    request = generation_request(
        "kling-2.6-pro",
        duration_seconds=10,
        aspect_ratio="9:16",
        audio=True,
        negative_prompt="blurry, text",
        ambience="wind over the rim",
    )
    request = replace(request, options={"callback_url": "https://studio.example/hooks/kling/s3"})
    path, body = kling.build_submit(request)
    assert path == "/v1/videos/text2video"
    assert body == {
        "prompt": request.prompt,
        "model_name": "kling-v2-6",
        "mode": "pro",
        "duration": "10",  # a string, as Kling wants
        "sound": "on",
        "aspect_ratio": "9:16",
        "negative_prompt": "blurry, text",
        "callback_url": "https://studio.example/hooks/kling/s3",
        "external_task_id": REQUEST_KEY,
    }
    assert "Ambient noise: wind over the rim." in body["prompt"]


def test_image2video_first_and_last_frame_golden(tmp_path):
    first, last = tmp_path / "hero.png", tmp_path / "end.png"
    first.write_bytes(PNG)
    last.write_bytes(PNG + b"\0")
    request = generation_request(
        "kling-2.6-pro", duration_seconds=5, has_hero_frame=True, has_last_frame=True
    )
    request = replace(
        request,
        images=(
            InputImage(str(first), "a" * 64, "first_frame"),
            InputImage(str(last), "b" * 64, "last_frame"),
        ),
    )
    path, body = kling.build_submit(request)
    assert path == "/v1/videos/image2video"
    assert body == {
        "prompt": request.prompt,
        "model_name": "kling-v2-6",
        "mode": "pro",
        "duration": "5",
        "sound": "off",
        "image": base64.b64encode(PNG).decode(),
        "image_tail": base64.b64encode(PNG + b"\0").decode(),
        "external_task_id": REQUEST_KEY,
    }
    assert not body["image"].startswith("data:")  # raw base64, no data: prefix


def test_image_url_is_sent_as_is_and_aspect_ratio_dropped_for_image2video():
    request = generation_request("kling-2.6-std", duration_seconds=5)
    url = "https://assets.example/hero.png"
    request = replace(request, images=(InputImage(url, "c" * 64, "first_frame"),))
    path, body = kling.build_submit(request)
    assert path == "/v1/videos/image2video"
    assert body["image"] == url
    assert "aspect_ratio" not in body  # image2video has no such field


def test_camera_control_refused_where_the_model_does_not_take_it():
    request = generation_request("kling-2.6-std", duration_seconds=5)
    params = {**request.params, "camera_control": {"type": "simple", "config": {"zoom": 5}}}
    with pytest.raises(Rejected, match="camera_control"):
        kling.build_submit(replace(request, params=params))
    # kling-v1 std text2video is the documented case where it is sent.
    params = {**params, "model_name": "kling-v1", "mode": "std"}
    _, body = kling.build_submit(replace(request, params=params))
    assert body["camera_control"] == {"type": "simple", "config": {"zoom": 5}}


def test_reference_images_are_refused_not_dropped(tmp_path):
    image = tmp_path / "ref.png"
    image.write_bytes(PNG)
    request = generation_request("kling-2.6-pro", duration_seconds=5)
    request = replace(request, images=(InputImage(str(image), "d" * 64, "reference"),))
    with pytest.raises(Rejected, match="reference"):
        kling.build_submit(request)


def test_token_matches_the_documented_shape():
    token = kling.mint_token("ak-1", SECRET, now=1_700_000_000)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False}
    )
    assert claims == {"iss": "ak-1", "exp": 1_700_001_800, "nbf": 1_699_999_995}


def test_a_token_without_a_given_time_is_issued_when_it_is_made():
    # Bracketed by two clock readings, so a slow machine cannot make it fail.
    before = int(time.time())
    token = kling.mint_token("ak-1", SECRET)
    after = int(time.time())
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False}
    )
    assert before - 5 <= claims["nbf"] <= after - 5
    assert claims["exp"] - claims["nbf"] == 1_805


# --- parse_submit / parse_status on documented payloads -------------------------------------
def test_parse_documented_create_response():
    submitted = kling.parse_submit(fixture("create_documented.json"), "text2video")
    assert submitted.remote_id == "text2video/string"
    assert submitted.raw_status == "submitted"


def test_parse_documented_succeed_query():
    progress = kling.parse_status(fixture("query_succeed_documented.json"))
    assert progress.state == State.SUCCEEDED
    assert progress.raw_status == "succeed"
    assert progress.result_url.startswith("https://p1.a.kwimgs.com/")
    assert progress.cost is None  # the docs' placeholder "string" is no number


def test_units_become_cost_only_with_the_accounts_unit_price():
    payload = fixture("query_succeed_documented.json")
    payload["data"]["final_unit_deduction"] = "2.5"
    assert kling.parse_status(payload).cost is None
    progress = kling.parse_status(payload, usd_per_unit=Decimal("0.14"))
    assert progress.cost == Decimal("0.350")


def test_parse_recorded_failed_query():
    progress = kling.parse_status(fixture("query_failed_recorded.json"))
    assert progress.state == State.FAILED
    assert progress.error == "Kling: Image pixel is invalid"


def test_moderation_failure_is_rejected():
    payload = fixture("query_failed_recorded.json")
    payload["data"]["task_status_msg"] = "Failure to pass the risk control system"
    progress = kling.parse_status(payload)
    assert progress.state == State.REJECTED
    assert "risk control" in progress.error


def test_callback_body_parses_like_a_query():
    progress = kling.parse_status(fixture("callback_documented.json"))
    assert progress.state == State.SUCCEEDED
    assert progress.result_url.endswith("output.mp4")


@pytest.mark.parametrize(
    "status, state",
    [
        ("submitted", State.QUEUED),
        ("processing", State.RUNNING),
        ("failed", State.FAILED),
    ],
)
def test_every_documented_status_maps(status, state):
    payload = fixture("query_succeed_documented.json")
    payload["data"]["task_status"] = status
    assert kling.parse_status(payload).state == state


def test_unknown_status_is_an_error_with_the_payload():
    payload = fixture("query_succeed_documented.json")
    payload["data"]["task_status"] = "succeeded"  # not Kling's spelling
    with pytest.raises(ProviderError, match="unknown task status") as caught:
        kling.parse_status(payload)
    assert caught.value.raw == payload


def test_succeed_without_video_is_billed_with_no_link():
    # Billed all the same: the pipeline records it as a result lost, at its cost.
    payload = fixture("query_succeed_documented.json")
    payload["data"]["task_result"] = {}
    progress = kling.parse_status(payload)
    assert progress.state == State.SUCCEEDED and progress.result_url is None
    assert progress.error == "Kling reported success but sent no video."


@pytest.mark.parametrize(
    "code, error",
    [
        (1002, AuthFailed),
        (1004, AuthFailed),
        (1103, AuthFailed),
        (1102, QuotaExceeded),
        (1101, QuotaExceeded),
        (1201, Rejected),
        (1301, Rejected),
        (1302, Transient),
        (1303, Transient),
        (5001, Transient),
        (5000, UnknownOutcome),
        (5002, UnknownOutcome),
    ],
)
def test_code_on_http_200_is_an_error(code, error):
    payload = {"code": code, "message": "words", "request_id": "r"}
    with pytest.raises(error, match=f"words \\(code {code}\\)"):
        kling.parse_submit(payload, "text2video")


def test_documented_1303_is_transient_with_a_backoff():
    with pytest.raises(Transient) as caught:
        kling.parse_submit(fixture("error_1303_documented.json"), "text2video")
    assert "parallel task over resource pack limit" in caught.value.message
    assert caught.value.retry_after >= 1.0


def test_callback_names_our_remote_ids():
    payload = fixture("callback_documented.json")
    # The body names no endpoint, so every kind a task of ours may have been created at.
    assert kling.remote_ids_from_callback(payload) == {
        "text2video/string",
        "image2video/string",
        "motion-control/string",
    }
    assert KlingProvider.remote_ids_from_callback({}) == set()


def test_remote_id_round_trip():
    assert kling.split_remote_id("image2video/123") == ("image2video", "123")
    with pytest.raises(ProviderError):
        kling.split_remote_id("omni-video/123")
