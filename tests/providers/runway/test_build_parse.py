"""Pure build/parse functions on literal requests and task payloads from providers.md 2.3-2.4."""

import base64
from decimal import Decimal

import httpx
import pytest

from providers.core.base import (
    GenerationRequest,
    InputImage,
    ProviderError,
    Rejected,
    State,
    UnknownOutcome,
)
from providers.runway.contract import (
    build_submit,
    describe_error,
    image_uri,
    parse_status,
    parse_submit,
)
from tests.providers.conftest import generation_request, make_spec
from tests.providers.runway.conftest import with_images

TASK_ID = "17f20503-6c24-4c16-946b-35dbbce2af2f"


def literal_request(model, params, prompt="slow dolly-in, leaves drifting", images=()):
    return GenerationRequest(
        take_id=42, model=model, prompt=prompt, params=params, spec=make_spec(), images=images
    )


def test_gen4_turbo_with_url_image_matches_the_documented_example():
    request = literal_request(
        "runway-gen4-turbo",
        {"model": "gen4_turbo", "ratio": "1280:720", "duration": 5, "seed": 42},
        images=(InputImage(path="https://cdn.example.com/first.jpg", sha256="x"),),
    )
    assert build_submit(request) == (
        "/v1/image_to_video",
        {
            "model": "gen4_turbo",
            "promptImage": "https://cdn.example.com/first.jpg",
            "promptText": "slow dolly-in, leaves drifting",
            "ratio": "1280:720",
            "duration": 5,
            "seed": 42,
        },
    )


def test_gen45_without_a_hero_frame_is_text_to_video():
    request = generation_request("runway-gen4.5")
    assert build_submit(request) == (
        "/v1/text_to_video",
        {
            "model": "gen4.5",
            "promptText": "A lone hiker walks to the edge, on a canyon rim at sunrise. "
            "The camera is a wide shot, eye level. Soft morning light.",
            "ratio": "1280:720",
            "duration": 8,
        },
    )


def test_gen45_local_hero_frame_goes_as_a_png_data_uri(hero_frame):
    request = with_images(
        generation_request("runway-gen4.5", aspect_ratio="21:9", duration_seconds=10, seed=7),
        hero_frame,
    )
    path, body = build_submit(request)
    assert path == "/v1/image_to_video"
    assert body["ratio"] == "1584:672" and body["duration"] == 10 and body["seed"] == 7
    prefix = "data:image/png;base64,"
    assert body["promptImage"].startswith(prefix)
    with open(hero_frame.path, "rb") as handle:
        assert base64.b64decode(body["promptImage"][len(prefix) :]) == handle.read()
    # Runway has no idempotency key or external id: nothing of ours rides along.
    assert set(body) == {"model", "promptText", "promptImage", "ratio", "duration", "seed"}


def test_only_the_first_frame_is_sent(hero_frame):
    last = InputImage(path="https://cdn.example.com/last.jpg", sha256="y", role="last_frame")
    request = with_images(generation_request("runway-gen4.5"), last, hero_frame)
    _, body = build_submit(request)
    assert body["promptImage"].startswith("data:image/png;base64,")


def test_gen4_turbo_without_an_image_is_refused_before_sending():
    with pytest.raises(Rejected, match="from an image only: add a hero frame"):
        build_submit(generation_request("runway-gen4-turbo"))


def test_an_oversized_hero_frame_is_refused_before_sending(tmp_path):
    path = tmp_path / "huge.jpg"
    path.write_bytes(b"\xff\xd8" + b"\0" * (4 * 1024 * 1024))
    with pytest.raises(Rejected, match="at most 5 MB"):
        image_uri(str(path))


def test_parse_submit_reads_the_task_id():
    assert parse_submit({"id": TASK_ID}).remote_id == TASK_ID


def test_parse_submit_without_an_id_is_an_unknown_outcome():
    with pytest.raises(UnknownOutcome):
        parse_submit({"status": "ok"})


@pytest.mark.parametrize(
    "payload, state",
    [
        ({"id": TASK_ID, "createdAt": "2026-01-05T10:00:00Z", "status": "PENDING"}, State.QUEUED),
        ({"id": TASK_ID, "createdAt": "2026-01-05T10:00:00Z", "status": "THROTTLED"}, State.QUEUED),
        (
            {"id": TASK_ID, "createdAt": "2026-01-05T10:00:00Z", "status": "CANCELLED"},
            State.CANCELED,
        ),
    ],
)
def test_parse_status_maps_unfinished_and_cancelled(payload, state):
    progress = parse_status(payload)
    assert progress.state == state
    assert progress.raw_status == payload["status"]
    assert progress.raw == payload


def test_throttled_waits_longer_than_pending():
    pending = parse_status({"id": TASK_ID, "status": "PENDING"})
    throttled = parse_status({"id": TASK_ID, "status": "THROTTLED"})
    assert pending.poll_after >= 5  # Runway: no more than one check every 5 s
    assert throttled.poll_after > pending.poll_after


def test_running_reports_percent():
    progress = parse_status(
        {"id": TASK_ID, "createdAt": "…", "status": "RUNNING", "progress": 0.42}
    )
    assert (progress.state, progress.percent) == (State.RUNNING, 42)


def test_succeeded_gives_the_first_output_and_the_cost_in_dollars():
    url = "https://dnznrvs05pmza.cloudfront.net/abc.mp4?_jwt=token"
    progress = parse_status(
        {"id": TASK_ID, "status": "SUCCEEDED", "output": [url], "cost": {"credits": 96}}
    )
    assert progress.state == State.SUCCEEDED
    assert progress.result_url == url
    assert progress.cost == Decimal("0.96")


def test_succeeded_without_cost_leaves_pricing_to_the_rate_table():
    progress = parse_status({"id": TASK_ID, "status": "SUCCEEDED", "output": ["https://x/y.mp4"]})
    assert progress.cost is None


def test_succeeded_with_no_output_is_billed_with_no_link():
    # Billed all the same: the pipeline records it as a result lost, at its cost.
    progress = parse_status({"id": TASK_ID, "status": "SUCCEEDED", "output": []})
    assert progress.state == State.SUCCEEDED and progress.result_url is None
    assert progress.error == "Runway reported success but returned no video."


def test_safety_failure_is_a_rejection():
    progress = parse_status(
        {
            "id": TASK_ID,
            "status": "FAILED",
            "failure": "human readable",
            "failureCode": "SAFETY.INPUT.TEXT",
        }
    )
    assert progress.state == State.REJECTED
    assert progress.error == (
        "Runway's safety filter refused the prompt or image: human readable (SAFETY.INPUT.TEXT)"
    )


@pytest.mark.parametrize(
    "code, state",
    [
        ("SAFETY.OUTPUT.VIDEO", State.REJECTED),
        ("ASSET.INVALID", State.REJECTED),
        ("INTERNAL.BAD_OUTPUT.CODE01", State.FAILED),
        ("INTERNAL", State.FAILED),
        (None, State.FAILED),
    ],
)
def test_failure_codes(code, state):
    payload = {"id": TASK_ID, "status": "FAILED", "failure": "it broke"}
    if code:
        payload["failureCode"] = code
    assert parse_status(payload).state == state


def test_unknown_status_is_an_error_with_the_payload_kept():
    payload = {"id": TASK_ID, "status": "ARCHIVED"}
    with pytest.raises(ProviderError, match="unknown task status 'ARCHIVED'") as caught:
        parse_status(payload)
    assert caught.value.raw == payload


def test_describe_error_reads_runway_validation_issues():
    response = httpx.Response(
        400,
        json={
            "error": "Validation of body failed",
            "issues": [
                {
                    "code": "too_big",
                    "message": "Too big: expected number to be <=10",
                    "path": ["duration"],
                },
                {"code": "invalid_value", "values": ["gen4_turbo"], "path": ["model"]},
            ],
        },
    )
    assert describe_error(response) == (
        "Validation of body failed (duration: Too big: expected number to be <=10; "
        "model: invalid_value) (HTTP 400)"
    )
