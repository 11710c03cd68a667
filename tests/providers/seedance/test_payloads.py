"""Golden tests of the pure functions: request bodies for three shots, and parse_status on task
objects shaped like providers.md §4.4 (whose example is recorded verbatim below)."""

import base64
from decimal import Decimal

import pytest

from providers.core.base import GenerationRequest, InputImage, ProviderError, State, UnknownOutcome
from providers.seedance.contract import build_submit, describe_error, parse_status, parse_submit
from tests.providers.conftest import generation_request, make_spec

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PNG_URI = "data:image/png;base64," + base64.b64encode(PNG).decode()


def request(prompt: str, params: dict, images=()) -> GenerationRequest:
    return GenerationRequest(
        take_id=7,
        model="seedance-1.5-pro",
        prompt=prompt,
        params=params,
        spec=make_spec(),
        images=tuple(images),
    )


@pytest.fixture
def png(tmp_path):
    def write(name: str) -> str:
        path = tmp_path / name
        path.write_bytes(PNG)
        return str(path)

    return write


def test_text_only_shot_sends_parameters_as_top_level_fields():
    path, body = build_submit(
        request(
            "A kitten yawning.",
            {
                "model": "seedance-1-5-pro-251215",
                "resolution": "720p",
                "ratio": "16:9",
                "duration": 5,
                "generate_audio": False,
                "camera_fixed": True,
                "seed": 11,
            },
        )
    )
    assert path == "/contents/generations/tasks"
    assert body == {
        "model": "seedance-1-5-pro-251215",
        "content": [{"type": "text", "text": "A kitten yawning."}],
        "resolution": "720p",
        "ratio": "16:9",
        "duration": 5,
        "generate_audio": False,
        "camera_fixed": True,
        "seed": 11,
        "watermark": False,
    }


def test_first_and_last_frame_shot_matches_the_documented_example(png):
    # providers.md §4.3's 1.5 pro first+last frame example, with our images as data URIs.
    _, body = build_submit(
        request(
            'The girl turns to the camera and says "Cheese", 360-degree orbit',
            {
                "model": "seedance-1-5-pro-251215",
                "ratio": "adaptive",
                "resolution": "720p",
                "duration": 5,
                "generate_audio": True,
                "camera_fixed": False,
            },
            [
                InputImage(png("first.png"), "x", "first_frame"),
                InputImage(png("last.png"), "y", "last_frame"),
            ],
        ),
        callback_url="https://studio.example/hooks/seedance/secret/",
    )
    assert body == {
        "model": "seedance-1-5-pro-251215",
        "content": [
            {
                "type": "text",
                "text": 'The girl turns to the camera and says "Cheese", 360-degree orbit',
            },
            {"type": "image_url", "image_url": {"url": PNG_URI}, "role": "first_frame"},
            {"type": "image_url", "image_url": {"url": PNG_URI}, "role": "last_frame"},
        ],
        "ratio": "adaptive",
        "resolution": "720p",
        "duration": 5,
        "generate_audio": True,
        "camera_fixed": False,
        "watermark": False,
        "callback_url": "https://studio.example/hooks/seedance/secret/",
    }


def test_reference_images_use_the_reference_image_role(png):
    _, body = build_submit(
        request(
            "A hiker.",
            {"model": "seedance-1-5-pro-251215", "duration": 4},
            [InputImage(png("ref.png"), "z", "reference")],
        )
    )
    assert body["content"][1] == {
        "type": "image_url",
        "image_url": {"url": PNG_URI},
        "role": "reference_image",
    }


def test_compiled_shot_sends_the_formula_params_and_prompt_unchanged():
    compiled = generation_request("seedance-1.5-pro", duration_seconds=10, audio=True, seed=3)
    _, body = build_submit(compiled)
    assert body["content"] == [{"type": "text", "text": compiled.prompt}]
    assert "--" not in body["content"][0]["text"]  # no prompt flags: top-level fields instead
    for key, value in compiled.params.items():
        assert body[key] == value


def test_unknown_image_role_is_refused(png):
    with pytest.raises(ProviderError, match="no image role"):
        build_submit(request("x", {"model": "m"}, [InputImage(png("a.png"), "s", "mask")]))


# --- responses ------------------------------------------------------------------------------
def test_parse_submit_reads_the_task_id():
    assert parse_submit({"id": "cgt-20260405024433-sbj8r"}).remote_id == "cgt-20260405024433-sbj8r"
    with pytest.raises(UnknownOutcome):
        parse_submit({"created": True})


# providers.md §4.4, verbatim (a Seedance 2.0 task, which has no rate card here).
DOC_TASK = {
    "id": "cgt-2026****-****",
    "model": "doubao-seedance-2-0-260128",
    "status": "succeeded",
    "error": None,
    "content": {"video_url": "https://ark-content-generation-x.tos-cn-beijing.volces.com/xxx"},
    "usage": {"completion_tokens": 108900, "total_tokens": 108900},
    "created_at": 1779348818,
    "updated_at": 1779348874,
    "seed": 78674,
    "resolution": "720p",
    "ratio": "16:9",
    "duration": 5,
    "framespersecond": 24,
    "service_tier": "default",
    "execution_expires_after": 172800,
    "generate_audio": True,
    "draft": False,
}


def task(**changes) -> dict:
    payload = dict(DOC_TASK, model="seedance-1-5-pro-251215")
    payload.update(changes)
    return payload


def test_documented_success_without_a_rate_keeps_tokens_and_no_cost():
    progress = parse_status(DOC_TASK)
    assert progress.state is State.SUCCEEDED
    assert progress.result_url == DOC_TASK["content"]["video_url"]
    assert progress.cost is None  # doubao-/2.0 ids have no rate card: never priced as $0
    assert progress.raw["usage"]["completion_tokens"] == 108900


def test_success_is_priced_from_completion_tokens_and_audio():
    assert parse_status(task()).cost == Decimal("0.26136")  # 108900 × $2.4/M with audio
    assert parse_status(task(generate_audio=False)).cost == Decimal("0.13068")  # × $1.2/M


@pytest.mark.parametrize(
    "status, state",
    [("queued", State.QUEUED), ("running", State.RUNNING), ("cancelled", State.CANCELED)],
)
def test_every_documented_status_maps(status, state):
    progress = parse_status(task(status=status, content=None, usage=None))
    assert progress.state is state
    assert progress.raw_status == status
    assert progress.cost is None


def test_in_flight_polls_come_back_later():
    assert parse_status(task(status="queued")).poll_after >= 5
    assert parse_status(task(status="running")).poll_after >= 1


def test_expired_is_a_failure_with_a_reason():
    progress = parse_status(task(status="expired", content=None, usage=None))
    assert progress.state is State.FAILED
    assert "expired" in progress.error


def test_failed_task_keeps_the_provider_message():
    progress = parse_status(
        task(
            status="failed",
            content=None,
            usage=None,
            error={"code": "InternalServiceError", "message": "The service hit an error."},
        )
    )
    assert progress.state is State.FAILED
    assert "The service hit an error. (InternalServiceError)" in progress.error


def test_moderation_code_on_a_failed_task_is_a_rejection():
    progress = parse_status(
        task(
            status="failed",
            content=None,
            usage=None,
            error={
                "code": "InputImageSensitiveContentDetected",
                "message": "The input image may contain sensitive information.",
            },
        )
    )
    assert progress.state is State.REJECTED
    assert "sensitive information" in progress.error


def test_success_with_no_video_is_billed_with_no_link():
    # Billed all the same: the pipeline records it as a result lost, at its cost.
    progress = parse_status(task(content={}))
    assert progress.state is State.SUCCEEDED and progress.result_url is None
    assert "no video" in progress.error


def test_unknown_status_raises_with_the_raw_payload():
    payload = task(status="paused")
    with pytest.raises(ProviderError) as caught:
        parse_status(payload)
    assert caught.value.raw == payload


def test_describe_error_reads_modelark_error_bodies():
    import httpx

    response = httpx.Response(
        400,
        json={
            "error": {
                "code": "InvalidParameter",
                "message": "The parameter `duration` is not valid.",
                "param": "duration",
                "type": "BadRequest",
            }
        },
    )
    assert describe_error(response) == (
        "The parameter `duration` is not valid. (InvalidParameter, HTTP 400)"
    )
    assert describe_error(httpx.Response(502, text="<html>")) == "HTTP 502: '<html>'"
