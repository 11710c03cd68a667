"""The edges of each still contract: references on the wire, Google's two ways of refusing,
an image-less answer, Seedream's inline form and per-image errors, accounts that cannot pay."""

import base64
from decimal import Decimal

import httpx
import pytest

from providers.core.base import QuotaExceeded, Rejected, State, Transient
from providers.seedance.stills import parse_still as parse_seedream
from providers.veo.stills import parse_still as parse_gemini
from tests.providers.stills.conftest import adapter_for, finish, shape, still_request


@pytest.mark.parametrize(
    ("slug", "prefix", "where"),
    [
        ("nano-banana-pro", "gemini", "inlineData"),
        ("seedream-4.5", "seedance", "image"),
        ("runway-gen4-image", "runway", "referenceImages"),
    ],
)
def test_references_reach_the_wire(simulator, reference, slug, prefix, where):
    provider = adapter_for(simulator, prefix)
    request = still_request(slug, images=(reference,))
    assert "reference images" in request.prompt
    provider.submit(request)
    (_, body), *_ = simulator.sim.submissions
    assert where in str(body)
    with open(reference.path, "rb") as handle:
        assert base64.b64encode(handle.read()).decode()[:40] in str(body)


def test_a_blocked_prompt_is_rejected_with_googles_reason():
    request = still_request("nano-banana-pro")
    payload = {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": {}}
    with pytest.raises(Rejected, match="PROHIBITED_CONTENT"):
        parse_gemini(payload, request)


def test_an_answer_without_an_image_is_a_failed_still(simulator):
    simulator.sim.add_fault("gemini", "fail")
    submitted = adapter_for(simulator, "gemini").submit(still_request("nano-banana-pro"))
    assert submitted.finished.state is State.FAILED
    assert "can't draw" in submitted.finished.error


def test_the_kept_answer_has_no_image_bytes(simulator):
    submitted = adapter_for(simulator, "gemini").submit(still_request("nano-banana-pro"))
    assert "<image bytes>" in str(submitted.finished.raw)
    assert len(str(submitted.finished.raw)) < 2000


def test_seedream_inline_answer_is_decoded(simulator):
    request = still_request("seedream-4.5")
    request.params["response_format"] = "b64_json"
    progress = finish(None, adapter_for(simulator, "seedance").submit(request))
    assert progress.result_url is None
    assert shape(progress.inline_result)[0] == "PNG"
    assert progress.cost is not None  # priced per image from the rate card


def test_seedream_per_image_error_is_a_failed_still():
    payload = {"model": "seedream-4-5-251128", "data": [{"error": {"code": "X", "message": "no"}}]}
    submitted = parse_seedream(payload, still_request("seedream-4.5"))
    assert submitted.finished.state is State.FAILED
    assert submitted.finished.error == "Seedream: no (X)"


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [("seedream-4.5", "seedance"), ("runway-gen4-image", "runway")],
)
def test_an_account_that_cannot_pay_is_quota_exceeded(simulator, slug, prefix):
    simulator.sim.add_fault(prefix, "quota")
    with pytest.raises(QuotaExceeded):
        adapter_for(simulator, prefix).submit(still_request(slug))


@pytest.mark.parametrize(
    ("prefix", "path", "body", "words"),
    [
        ("higgsfield", "/higgsfield-ai/soul/standard", {"prompt": "x", "style": "y"}, "Extra"),
        ("seedance", "/api/v3/images/generations", {"model": "seedream-4-5-251128"}, "prompt"),
        ("runway", "/v1/text_to_image", {"model": "gen4_image", "seed": 1}, "promptText"),
    ],
)
def test_the_simulator_refuses_bodies_the_docs_do_not_allow(simulator, prefix, path, body, words):
    creds = simulator.sim.credentials
    headers = {
        "higgsfield": {"Authorization": "Key {}:{}".format(*creds["higgsfield"])},
        "seedance": {"Authorization": f"Bearer {creds['seedance']}"},
        "runway": {
            "Authorization": f"Bearer {creds['runway']}",
            "X-Runway-Version": "2024-11-06",
        },
    }[prefix]
    answer = httpx.post(simulator.base_url(prefix) + path, json=body, headers=headers)
    assert answer.status_code in (400, 422)
    assert words in answer.text
    assert simulator.sim.submissions == []


def test_vertex_stills_go_to_the_global_endpoint_whatever_veos_region():
    from providers.veo.stills import build_still, vertex_url

    path, _ = build_still(
        still_request("nano-banana-pro"), vertex=True, project="p", location="global"
    )
    assert path.startswith("/v1/projects/p/locations/global/publishers/google/models/")
    assert vertex_url(path, "global", "us-central1") == "https://aiplatform.googleapis.com" + path
    assert vertex_url(path, "europe-west4", "us-central1").startswith(
        "https://europe-west4-aiplatform.googleapis.com/v1/"
    )
    assert vertex_url(path, "us-central1", "us-central1") == path


@pytest.mark.parametrize(
    ("slug", "prefix"), [("runway-gen4-image", "runway"), ("higgsfield-soul", "higgsfield")]
)
def test_an_expired_still_link_is_refused_at_download(simulator, tmp_path, slug, prefix):
    from providers.core.base import ProviderError

    simulator.sim.add_fault(prefix, "expired_url")
    provider = adapter_for(simulator, prefix)
    progress = finish(provider, provider.submit(still_request(slug)))
    assert progress.state is State.SUCCEEDED
    with pytest.raises(ProviderError):
        provider.download(progress.result_url, str(tmp_path / "x.png"), max_bytes=10**7)


def test_a_status_read_fault_on_a_still_task_is_asked_again(simulator, tmp_path):
    provider = adapter_for(simulator, "runway")
    submitted = provider.submit(still_request("runway-gen4-image"))
    simulator.sim.add_fault("runway", "server_error")
    with pytest.raises(Transient):  # tried once: the pipeline asks again later
        provider.poll(submitted.remote_id)
    progress = finish(provider, submitted)
    assert progress.state is State.SUCCEEDED
    assert progress.cost == Decimal("0.08")  # 8 credits at 1080p, as the task reports
