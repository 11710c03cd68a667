"""GeminiVeoProvider against the simulator: the whole life of a take, every fault."""

from __future__ import annotations

import time

import pytest

from providers.core.base import (
    AuthFailed,
    CancelPolicy,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Transient,
    UnknownOutcome,
)
from providers.core.media import probe
from providers.veo.adapter import GeminiVeoProvider
from tests.providers.conftest import account

from .conftest import gemini_provider, no_sleep, veo_request, with_images


def wait(provider, remote_id, *, limit=5.0):
    deadline = time.monotonic() + limit
    while True:
        progress = provider.poll(remote_id)
        if progress.state not in (State.QUEUED, State.RUNNING) or time.monotonic() > deadline:
            return progress
        time.sleep(0.1)


def test_submit_poll_download(gemini, simulator, tmp_path):
    submitted = gemini.submit(veo_request())
    assert submitted.remote_id.startswith("models/veo-3.1-generate-001/operations/")
    assert gemini.poll(submitted.remote_id).state is State.RUNNING
    progress = wait(gemini, submitted.remote_id)
    assert progress.state is State.SUCCEEDED
    assert "/gemini/v1beta/files/" in progress.result_url
    target = tmp_path / "take.mp4"
    size = gemini.download(progress.result_url, str(target), max_bytes=50_000_000)
    assert size == target.stat().st_size > 0
    assert probe(str(target)).codec == "h264"


def test_the_sent_body_is_what_build_submit_made(gemini, simulator, image_file):
    request = with_images(veo_request(has_hero_frame=True, seed=3), image_file())
    gemini.submit(request)
    [(provider, body)] = simulator.sim.submissions
    assert provider == "gemini"
    assert body["instances"][0]["image"]["mimeType"] == "image/png"
    assert "seed" not in body["parameters"]  # Veo on the Gemini API has no seed


def test_the_files_api_wants_the_key(gemini, simulator, tmp_path):
    progress = wait(gemini, gemini.submit(veo_request()).remote_id)
    keyless = GeminiVeoProvider(account(api_key="", simulator_origin=simulator.url), sleep=no_sleep)
    with pytest.raises(ProviderError, match="HTTP 403"):
        keyless.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


def test_no_cancel_on_veo(gemini):
    assert gemini.cancel_policy is CancelPolicy.NEVER
    with pytest.raises(ProviderError, match="no way to cancel"):
        gemini.cancel("models/veo-3.1-generate-001/operations/1")


def test_missing_key_is_unavailable_with_the_env_var():
    usable, reason = GeminiVeoProvider(account(api_key=None)).availability()
    assert not usable
    assert "GEMINI_API_KEY" in reason


def test_bad_key_is_auth_failed_with_googles_message(simulator):
    provider = gemini_provider(simulator, api_key="wrong")
    with pytest.raises(AuthFailed) as caught:
        provider.submit(veo_request())
    assert caught.value.message == (
        "Veo (Gemini API): API key not valid. Please pass a valid API key. (INVALID_ARGUMENT)"
    )
    assert simulator.sim.submissions == []


def test_invalid_field_is_rejected_with_googles_message(gemini, simulator):
    request = veo_request()
    request.params["durationSeconds"] = 5
    with pytest.raises(Rejected) as caught:
        gemini.submit(request)
    assert caught.value.message == (
        "Veo (Gemini API): The duration 5 isn't supported. Supported durations: 4, 6, 8 seconds."
        " (INVALID_ARGUMENT)"
    )


def test_unknown_parameter_is_rejected(gemini):
    request = veo_request()
    request.params["duration"] = 8
    with pytest.raises(Rejected, match='Unknown name "duration"'):
        gemini.submit(request)


def test_rate_limit_on_submit_is_transient_with_retry_after(gemini, simulator):
    simulator.sim.add_fault("gemini", "rate_limit")
    with pytest.raises(Transient) as caught:
        gemini.submit(veo_request())
    assert caught.value.retry_after == 2.0
    assert simulator.sim.submissions == []


def test_prepaid_credits_used_up_is_quota_not_a_wait(gemini, simulator):
    # The same 429 RESOURCE_EXHAUSTED as a rate limit, with no delay to wait: the words tell.
    simulator.sim.add_fault("gemini", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        gemini.submit(veo_request())
    assert caught.value.message.startswith(
        "Veo (Gemini API): Your prepayment credits are depleted. Please go to AI Studio"
    )
    assert caught.value.message.endswith("(RESOURCE_EXHAUSTED)")
    assert caught.value.raw["error"]["code"] == 429
    assert simulator.sim.submissions == []


@pytest.mark.parametrize("fault", ["server_error", "timeout", "malformed"])
def test_unclear_submit_is_unknown_outcome(gemini, simulator, fault):
    simulator.sim.add_fault("gemini", fault)
    with pytest.raises(UnknownOutcome):
        gemini.submit(veo_request())


def test_unavailable_on_submit_is_transient(gemini, simulator):
    simulator.sim.add_fault("gemini", "unavailable")
    with pytest.raises(Transient, match="currently unavailable"):
        gemini.submit(veo_request())


def test_busy_is_transient_with_googles_retry_delay(gemini, simulator):
    simulator.sim.add_fault("gemini", "busy")
    with pytest.raises(Transient) as caught:
        gemini.submit(veo_request())
    assert caught.value.retry_after == 30.0
    assert "RESOURCE_EXHAUSTED" in caught.value.message


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "malformed"])
def test_poll_faults_go_back_to_the_pipeline(gemini, simulator, fault):
    remote_id = gemini.submit(veo_request()).remote_id
    simulator.sim.add_fault("gemini", fault)
    # Tried once, whatever the fault: the poll says "try later" and the pipeline does.
    with pytest.raises(Transient):
        gemini.poll(remote_id)
    assert wait(gemini, remote_id).state is State.SUCCEEDED
    assert simulator.sim.faults["gemini"] == []


def test_moderation_is_rejected_with_the_filter_reason(gemini, simulator):
    simulator.sim.add_fault("gemini", "moderation")
    progress = wait(gemini, gemini.submit(veo_request()).remote_id)
    assert progress.state is State.REJECTED
    assert "You have not been charged" in progress.error


def test_fail_is_failed_with_the_message(gemini, simulator):
    simulator.sim.add_fault("gemini", "fail")
    progress = wait(gemini, gemini.submit(veo_request()).remote_id)
    assert progress.state is State.FAILED
    assert progress.error == "Video generation failed due to an internal error. Please try again."


def test_expired_url_says_the_link_expired(gemini, simulator, tmp_path):
    simulator.sim.add_fault("gemini", "expired_url")
    progress = wait(gemini, gemini.submit(veo_request()).remote_id)
    with pytest.raises(ProviderError, match="expired"):
        gemini.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


def test_download_refuses_other_hosts_and_plain_http(simulator, gemini, tmp_path):
    progress = wait(gemini, gemini.submit(veo_request()).remote_id)
    strict = GeminiVeoProvider(account(api_key="k", download_hosts=("127.0.0.1",)))
    with pytest.raises(ProviderError, match="non-https"):
        strict.download(progress.result_url, str(tmp_path / "a.mp4"), max_bytes=10**8)
    with pytest.raises(ProviderError, match="not the provider's"):
        gemini.download("https://example.com/v.mp4", str(tmp_path / "b.mp4"), max_bytes=10**8)
    default = GeminiVeoProvider(account(api_key="k"))
    with pytest.raises(ProviderError, match="not the provider's"):
        default.download("https://evil.example/v1beta/files/x", str(tmp_path / "c"), max_bytes=1)


def test_built_from_keyword_options_alone():
    """The studio's registry leaves api_key out when no key is set anywhere."""
    assert GeminiVeoProvider(account(base_url="https://example.invalid")).availability()[0] is False
