"""HiggsfieldProvider against the simulator: the whole journey, errors and every fault."""

import time

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
from providers.core.media import probe
from providers.higgsfield.adapter import HiggsfieldProvider
from providers.simulator.higgsfield import motion_id
from tests.providers.conftest import account


def wait_until_done(provider, remote_id, limit=5.0):
    deadline = time.monotonic() + limit
    while True:
        progress = provider.poll(remote_id)
        if progress.state in (State.SUCCEEDED, State.FAILED, State.REJECTED, State.CANCELED):
            return progress
        assert time.monotonic() < deadline, progress
        time.sleep(0.1)


def test_submit_poll_download(simulator, make_provider, make_request, tmp_path):
    provider = make_provider()
    submitted = provider.submit(make_request(motion_preset="crane_up", seed=11))
    assert submitted.raw_status == "queued"
    first = provider.poll(submitted.remote_id)
    assert first.state is State.QUEUED
    progress = wait_until_done(provider, submitted.remote_id)
    assert progress.state is State.SUCCEEDED
    destination = tmp_path / "take.mp4"
    size = provider.download(progress.result_url, str(destination), max_bytes=50_000_000)
    assert size == destination.stat().st_size > 0
    assert probe(str(destination)).codec == "h264"
    # what reached the API: the uploaded hero frame's URL and the preset's id, never its name
    ((provider_name, body),) = simulator.sim.submissions
    assert provider_name == "higgsfield"
    assert body["motions"] == [{"id": motion_id("Crane Up"), "strength": 0.8}]
    assert body["seed"] == 11
    assert body["input_images"][0]["image_url"].startswith(simulator.url)


def test_motions_are_fetched_once(simulator, make_provider, make_request, monkeypatch):
    provider = make_provider()
    calls = []
    original = provider.http.request

    def counting(method, path, **kwargs):
        calls.append(path)
        return original(method, path, **kwargs)

    monkeypatch.setattr(provider.http, "request", counting)
    provider.submit(make_request())
    provider.submit(make_request(motion_preset="dolly_in"))
    assert calls.count("/v1/motions") == 1


def test_one_submission_per_submit_and_no_invented_fields(simulator, make_provider, make_request):
    # Higgsfield documents no idempotency key or external id, so none is sent: the pipeline's
    # at-most-once rule (UnknownOutcome -> needs check) is what prevents a double charge.
    make_provider().submit(make_request())
    ((_, body),) = simulator.sim.submissions
    assert set(body) == {"model", "prompt", "input_images", "motions"}


def test_webhook_is_sent_as_hf_webhook(simulator, make_provider, make_request):
    provider = make_provider(webhook_url="https://studio.example/hooks/higgsfield/abc/")
    submitted = provider.submit(make_request())
    assert simulator.sim.state["higgsfield"]["webhooks"][submitted.remote_id] == (
        "https://studio.example/hooks/higgsfield/abc/"
    )


def test_cancel_while_queued(simulator, make_provider, make_request):
    provider = make_provider()
    submitted = provider.submit(make_request())
    provider.cancel(submitted.remote_id)
    assert provider.poll(submitted.remote_id).state is State.CANCELED


def test_cancel_when_running_is_refused_with_the_reason(simulator, make_provider, make_request):
    provider = make_provider()
    submitted = provider.submit(make_request())
    assert provider.poll(submitted.remote_id).state is State.QUEUED  # the next read: running
    with pytest.raises(Rejected, match="cannot be cancelled: it is in_progress"):
        provider.cancel(submitted.remote_id)


def test_availability_names_the_env_vars():
    usable, reason = HiggsfieldProvider().availability()
    assert not usable
    assert "HIGGSFIELD_API_KEY" in reason and "HIGGSFIELD_API_SECRET" in reason
    assert HiggsfieldProvider(account(api_key="id:secret")).availability() == (True, "")


def test_missing_hero_frame_is_rejected_before_any_request(simulator, make_provider):
    from tests.providers.conftest import generation_request

    with pytest.raises(Rejected, match="hero frame"):
        make_provider().submit(generation_request("higgsfield-dop-turbo", duration_seconds=5))
    assert simulator.sim.submissions == []


def test_bad_key_is_auth_failed_with_the_providers_message(make_provider, make_request):
    provider = make_provider(api_secret="wrong")
    with pytest.raises(AuthFailed, match="Invalid API credentials"):
        provider.submit(make_request())


def test_invalid_field_is_rejected_with_the_providers_message(
    simulator, make_provider, make_request
):
    request = make_request()
    request.params["model"] = "dop-ultra"
    with pytest.raises(Rejected) as caught:
        make_provider().submit(request)
    assert caught.value.message == (
        "Higgsfield: model: Input should be 'dop-lite', 'dop-turbo' or 'dop-standard' (HTTP 422)"
    )
    assert simulator.sim.submissions == []


def test_seed_out_of_range_is_rejected(make_provider, make_request):
    with pytest.raises(Rejected, match=r"seed: Input should be <= 1000000"):
        make_provider().submit(make_request(seed=2_000_000))


def test_not_enough_credits_is_quota_not_auth(simulator, make_provider, make_request):
    # Higgsfield's 403 is about credits, not keys (its SDK's NotEnoughCreditsError).
    simulator.sim.add_fault("higgsfield", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        make_provider().submit(make_request())
    assert caught.value.message == "Higgsfield: Not enough credits (HTTP 403)"
    assert simulator.sim.submissions == []


# --- faults ----------------------------------------------------------------------------------
def test_rate_limit_on_submit_is_transient_with_retry_after(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "rate_limit")
    with pytest.raises(Transient) as caught:
        make_provider().submit(make_request())
    assert caught.value.retry_after == 1.0
    assert simulator.sim.submissions == []


def test_busy_on_submit_is_transient(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "busy")
    with pytest.raises(Transient, match="concurrent") as caught:
        make_provider().submit(make_request())
    assert caught.value.retry_after == 2.0


def test_unavailable_on_submit_is_transient(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "unavailable")
    with pytest.raises(Transient):
        make_provider().submit(make_request())


@pytest.mark.parametrize("fault", ["server_error", "malformed"])
def test_unclear_submit_is_unknown_outcome(simulator, make_provider, make_request, fault):
    simulator.sim.add_fault("higgsfield", fault)
    with pytest.raises(UnknownOutcome):
        make_provider().submit(make_request())


def test_timeout_on_submit_is_unknown_outcome(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "timeout")
    with pytest.raises(UnknownOutcome, match="did not answer in time"):
        make_provider(timeout=1.0).submit(make_request())


@pytest.mark.parametrize("fault", ["rate_limit", "server_error"])
def test_poll_faults_go_back_to_the_pipeline(simulator, make_provider, make_request, fault):
    provider = make_provider()
    submitted = provider.submit(make_request())
    simulator.sim.add_fault("higgsfield", fault, times=2)
    for _ in range(2):  # each poll tries once; the pipeline asks again later (decision 011)
        with pytest.raises(Transient):
            provider.poll(submitted.remote_id)
    assert provider.poll(submitted.remote_id).state in (State.QUEUED, State.RUNNING)
    assert simulator.sim.faults["higgsfield"] == []


def test_malformed_poll_is_transient_then_recovers(simulator, make_provider, make_request):
    provider = make_provider()
    submitted = provider.submit(make_request())
    simulator.sim.add_fault("higgsfield", "malformed")
    with pytest.raises(Transient, match="malformed JSON"):
        provider.poll(submitted.remote_id)
    assert wait_until_done(provider, submitted.remote_id).state is State.SUCCEEDED


def test_moderation_is_rejected(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "moderation")
    provider = make_provider()
    progress = wait_until_done(provider, provider.submit(make_request()).remote_id)
    assert progress.state is State.REJECTED
    assert progress.raw_status == "nsfw"
    assert "NSFW" in progress.error


def test_fail_is_failed_with_message(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "fail")
    provider = make_provider()
    progress = wait_until_done(provider, provider.submit(make_request()).remote_id)
    assert progress.state is State.FAILED
    assert progress.error == "Higgsfield failed the request: Generation failed"


def test_expired_url_download_says_so(simulator, make_provider, make_request, tmp_path):
    simulator.sim.add_fault("higgsfield", "expired_url")
    provider = make_provider()
    progress = wait_until_done(provider, provider.submit(make_request()).remote_id)
    with pytest.raises(ProviderError, match="link has probably expired"):
        provider.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


# --- download safety -------------------------------------------------------------------------
def test_download_refuses_other_hosts(make_provider, tmp_path):
    provider = make_provider()
    with pytest.raises(ProviderError, match="non-https"):  # loopback, but not the simulator
        provider.download("http://localhost:1/files/x.mp4", str(tmp_path / "x"), max_bytes=10)


def test_download_is_https_only_in_production(tmp_path):
    provider = HiggsfieldProvider(account(api_key="a", api_secret="b"))
    with pytest.raises(ProviderError, match="non-https"):
        provider.download(
            "http://d8j0ntlcm91z4.cloudfront.net/user_x/hf.mp4", str(tmp_path / "x"), max_bytes=10
        )
    with pytest.raises(ProviderError, match="not the provider's"):
        provider.download("https://evil.example/hf.mp4", str(tmp_path / "x"), max_bytes=10)
