"""build_submit / parse_status / describe_error on recorded payloads (providers.md 5.2, 5.3)."""

from decimal import Decimal

import httpx
import pytest

from providers.core.base import ProviderError, Rejected, State
from providers.core.spec import CameraMove
from providers.higgsfield.contract import (
    build_submit,
    describe_error,
    parse_motions,
    parse_status,
    parse_submit,
)

IMAGE = "https://cdn.higgsfield.ai/uploads/hero.png"
MOTION_IDS = {
    "Static": "00000000-0000-0000-0000-000000000001",
    "Crane Up": "00000000-0000-0000-0000-000000000002",
    "Dolly In": "00000000-0000-0000-0000-000000000003",
}
REQUEST_ID = "d7e6c0f3-5d7c-4a0e-9a43-2f1c3b0e8a11"
LINKS = {
    "request_id": REQUEST_ID,
    "status_url": f"https://platform.higgsfield.ai/requests/{REQUEST_ID}/status",
    "cancel_url": f"https://platform.higgsfield.ai/requests/{REQUEST_ID}/cancel",
}


def test_build_submit_static_turbo(make_request):
    path, body = build_submit(make_request(), image_url=IMAGE, motion_ids=MOTION_IDS)
    assert path == "/v1/image2video/dop"
    assert body == {
        "model": "dop-turbo",
        "prompt": "A lone hiker walks to the edge, soft morning light.",
        "input_images": [{"type": "image_url", "image_url": IMAGE}],
        "motions": [{"id": MOTION_IDS["Static"], "strength": 1.0}],
    }


def test_build_submit_named_preset_with_seed_and_webhook(make_request):
    request = make_request("higgsfield-dop-lite", motion_preset="crane_up", seed=7)
    path, body = build_submit(
        request,
        image_url=IMAGE,
        motion_ids=MOTION_IDS,
        webhook_url="https://studio.example/hooks/higgsfield/s3cret/",
    )
    assert path == (
        "/v1/image2video/dop?hf_webhook=https%3A%2F%2Fstudio.example%2Fhooks%2Fhiggsfield"
        "%2Fs3cret%2F"
    )
    assert body == {
        "model": "dop-lite",
        "prompt": "A lone hiker walks to the edge, soft morning light.",
        "input_images": [{"type": "image_url", "image_url": IMAGE}],
        "motions": [{"id": MOTION_IDS["Crane Up"], "strength": 0.8}],
        "seed": 7,
    }


def test_build_submit_axis_move_becomes_nearest_preset(make_request):
    request = make_request("higgsfield-dop-standard", camera=CameraMove(dolly=6, pan=2))
    _, body = build_submit(request, image_url=IMAGE, motion_ids=MOTION_IDS)
    assert body["model"] == "dop-standard"
    assert body["motions"] == [{"id": MOTION_IDS["Dolly In"], "strength": 0.6}]
    assert body["prompt"] == "A lone hiker walks to the edge, slight pan right, soft morning light."


def test_build_submit_unknown_preset_is_rejected_before_paying(make_request):
    with pytest.raises(Rejected, match="no motion preset called 'Crane Up'"):
        build_submit(
            make_request(motion_preset="crane_up"), image_url=IMAGE, motion_ids={"Static": "x"}
        )


def test_parse_submit():
    submitted = parse_submit({"status": "queued", **LINKS})
    assert submitted.remote_id == REQUEST_ID
    assert submitted.raw_status == "queued"
    assert submitted.cost is None


def test_parse_submit_without_id_is_an_error():
    with pytest.raises(ProviderError):
        parse_submit({"status": "queued"})


def test_parse_status_completed_recorded():
    # providers.md 5.2 example
    payload = {
        "status": "completed",
        **LINKS,
        "images": [{"url": "https://cdn.example/frame.jpg"}],
        "video": {"url": "https://d8j0ntlcm91z4.cloudfront.net/user_x/hf_result.mp4"},
    }
    progress = parse_status(payload)
    assert progress.state is State.SUCCEEDED
    assert progress.result_url == "https://d8j0ntlcm91z4.cloudfront.net/user_x/hf_result.mp4"
    assert progress.percent == 100
    assert progress.raw == payload


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("queued", State.QUEUED),
        ("in_progress", State.RUNNING),
        ("failed", State.FAILED),
        ("nsfw", State.REJECTED),
        ("canceled", State.CANCELED),
    ],
)
def test_parse_status_maps_every_documented_status(status, state):
    progress = parse_status({"status": status, **LINKS})
    assert progress.state is state
    assert progress.raw_status == status


def test_parse_status_nsfw_says_why():
    progress = parse_status({"status": "nsfw", **LINKS})
    assert progress.error == (
        "Higgsfield's safety filter flagged this request as NSFW (credits refunded)."
    )


def test_parse_status_failed_keeps_the_reason():
    progress = parse_status({"status": "failed", **LINKS, "error": "Generation failed"})
    assert progress.error == "Higgsfield failed the request: Generation failed"


def test_parse_status_completed_without_video_is_billed_with_no_link():
    # Billed all the same: the pipeline records it as a result lost, at its cost.
    progress = parse_status({"status": "completed", **LINKS})
    assert progress.state is State.SUCCEEDED and progress.result_url is None
    assert "without a video" in progress.error


def test_parse_status_unknown_status_is_an_error_with_raw():
    payload = {"status": "paused", **LINKS}
    with pytest.raises(ProviderError, match="unknown status 'paused'") as caught:
        parse_status(payload)
    assert caught.value.raw == payload


def test_parse_status_reads_cost_only_when_sent():
    assert parse_status({"status": "queued"}).cost is None
    payload = {"status": "completed", "video": {"url": "https://x/y.mp4"}, "cost": "12.5"}
    assert parse_status(payload).cost == Decimal("12.5")


def test_parse_motions():
    payload = [
        {
            "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
            "name": "Zoom In",
            "description": "Smooth zoom into the subject",
            "preview_url": "https://example.com/preview.mp4",
            "start_end_frame": True,
        }
    ]
    assert parse_motions(payload) == {"Zoom In": "a1b2c3d4-e5f6-7890-abcd-ef1234567890"}


def test_describe_error_fastapi_validation():
    response = httpx.Response(
        422,
        json={
            "detail": [
                {
                    "type": "enum",
                    "loc": ["body", "model"],
                    "msg": "Input should be 'dop-lite', 'dop-turbo' or 'dop-standard'",
                }
            ]
        },
    )
    assert describe_error(response) == (
        "model: Input should be 'dop-lite', 'dop-turbo' or 'dop-standard' (HTTP 422)"
    )


def test_describe_error_plain_detail_and_text():
    assert describe_error(httpx.Response(403, json={"detail": "Not enough credits"})) == (
        "Not enough credits (HTTP 403)"
    )
    assert describe_error(httpx.Response(502, text="Bad Gateway")) == "Bad Gateway (HTTP 502)"
