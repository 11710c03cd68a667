"""The Runway adapter against the simulator: the whole protocol, every fault."""

from decimal import Decimal

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
from providers.runway.adapter import RunwayProvider
from tests.providers.conftest import account, generation_request
from tests.providers.runway.conftest import wait, with_images

MAX_BYTES = 50_000_000


def test_image_to_video_end_to_end(runway, simulator, hero_frame, tmp_path):
    request = with_images(generation_request("runway-gen4.5", seed=11), hero_frame)
    submitted = runway.submit(request)
    progress, seen = wait(runway, submitted.remote_id)
    assert progress.state == State.SUCCEEDED
    assert seen[0] == "PENDING" and "RUNNING" in seen
    assert progress.cost == Decimal("0.96")  # 12 credits/s x 8 s x $0.01
    destination = tmp_path / "take.mp4"
    size = runway.download(progress.result_url, str(destination), max_bytes=MAX_BYTES)
    assert size == destination.stat().st_size > 0
    assert probe(str(destination)).codec == "h264"
    provider, body = simulator.sim.submissions[-1]
    assert provider == "runway"
    assert body["promptImage"].startswith("data:image/png;base64,")
    assert body["seed"] == 11


def test_text_to_video_cost_is_read_from_the_task(runway):
    submitted = runway.submit(generation_request("runway-gen4.5", duration_seconds=5))
    progress, _ = wait(runway, submitted.remote_id)
    assert progress.state == State.SUCCEEDED
    assert str(progress.cost) == "0.60"  # 12 credits/s x 5 s x $0.01


def test_exactly_one_submission_with_no_invented_fields(runway, simulator, hero_frame):
    runway.submit(
        with_images(generation_request("runway-gen4-turbo", duration_seconds=5), hero_frame)
    )
    assert len(simulator.sim.submissions) == 1
    _, body = simulator.sim.submissions[0]
    # Runway takes no idempotency key or external id, so the take id is not sent anywhere.
    assert set(body) == {"model", "promptText", "promptImage", "ratio", "duration"}
    assert body["model"] == "gen4_turbo"


def test_cancel_an_unfinished_task(runway):
    submitted = runway.submit(generation_request("runway-gen4.5"))
    runway.cancel(submitted.remote_id)
    progress = runway.poll(submitted.remote_id)
    assert (progress.state, progress.raw_status) == (State.CANCELED, "CANCELLED")


def test_cancel_after_success_keeps_the_output(runway, tmp_path):
    submitted = runway.submit(generation_request("runway-gen4.5"))
    progress, _ = wait(runway, submitted.remote_id)
    runway.cancel(submitted.remote_id)  # DELETE would delete the video: must not be sent
    assert runway.poll(submitted.remote_id).state == State.SUCCEEDED
    runway.download(progress.result_url, str(tmp_path / "v.mp4"), max_bytes=MAX_BYTES)


def test_bad_key_is_auth_failed_with_runways_message(simulator):
    provider = RunwayProvider(account(api_key="key_wrong", base_url=simulator.base_url("runway")))
    with pytest.raises(AuthFailed) as caught:
        provider.submit(generation_request("runway-gen4.5"))
    assert caught.value.message == "Runway: The provided API key is not valid. (HTTP 401)"
    assert simulator.sim.submissions == []


def test_missing_key_is_unavailable_with_the_env_var_named():
    assert RunwayProvider(account(api_key=None)).availability() == (
        False,
        "No Runway API key: set RUNWAY_API_KEY or enter a key in the studio.",
    )
    assert RunwayProvider(account(api_key="key_abc")).availability() == (True, "")


def test_invalid_duration_is_rejected_with_runways_message(runway, simulator):
    request = generation_request("runway-gen4.5")
    request = type(request)(**{**request.__dict__, "params": {**request.params, "duration": 12}})
    with pytest.raises(Rejected) as caught:
        runway.submit(request)
    assert caught.value.message == (
        "Runway: Validation of body failed (duration: Too big: expected number to be <=10) "
        "(HTTP 400)"
    )
    assert simulator.sim.submissions == []


def test_square_ratio_is_not_offered_by_text_to_video(runway):
    with pytest.raises(Rejected, match=r"ratio: Invalid option: expected one of "):
        runway.submit(generation_request("runway-gen4.5", aspect_ratio="1:1"))


def test_rate_limit_on_submit_is_transient_with_retry_after(runway, simulator):
    simulator.sim.add_fault("runway", "rate_limit")
    with pytest.raises(Transient) as caught:
        runway.submit(generation_request("runway-gen4.5"))
    assert caught.value.retry_after == 2.0
    assert "daily generation limit" in caught.value.message
    assert simulator.sim.submissions == []


def test_out_of_credits_is_quota_not_a_rejected_input(runway, simulator):
    # A 400 like bad input: only Runway's words tell that the account cannot pay for it.
    simulator.sim.add_fault("runway", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        runway.submit(generation_request("runway-gen4.5"))
    assert caught.value.message == (
        "Runway: You do not have enough credits to run this task. (HTTP 400)"
    )
    assert simulator.sim.submissions == [] and simulator.sim.jobs == {}


def test_rate_limit_on_poll_goes_back_to_the_pipeline(runway, simulator):
    submitted = runway.submit(generation_request("runway-gen4.5"))
    simulator.sim.add_fault("runway", "rate_limit")
    with pytest.raises(Transient):  # tried once: the pipeline asks again later
        runway.poll(submitted.remote_id)
    progress = runway.poll(submitted.remote_id)
    assert progress.state in (State.QUEUED, State.RUNNING)
    assert simulator.sim.faults["runway"] == []


def test_server_error_on_submit_is_an_unknown_outcome(runway, simulator):
    simulator.sim.add_fault("runway", "server_error")
    with pytest.raises(UnknownOutcome):
        runway.submit(generation_request("runway-gen4.5"))


def test_unavailable_on_submit_is_transient(runway, simulator):
    simulator.sim.add_fault("runway", "unavailable")
    with pytest.raises(Transient):
        runway.submit(generation_request("runway-gen4.5"))


def test_server_error_on_poll_is_asked_again_later(runway, simulator):
    submitted = runway.submit(generation_request("runway-gen4.5"))
    simulator.sim.add_fault("runway", "server_error", times=2)
    for _ in range(2):
        with pytest.raises(Transient):
            runway.poll(submitted.remote_id)
    progress, _ = wait(runway, submitted.remote_id)
    assert progress.state == State.SUCCEEDED


def test_timeout_on_submit_is_an_unknown_outcome(runway, simulator):
    simulator.sim.add_fault("runway", "timeout")
    with pytest.raises(UnknownOutcome, match="did not answer in time"):
        runway.submit(generation_request("runway-gen4.5"))
    # Runway did take it: resubmitting on our own would pay twice.
    assert len(simulator.sim.submissions) == 1


def test_malformed_reply_on_submit_is_an_unknown_outcome(runway, simulator):
    simulator.sim.add_fault("runway", "malformed")
    with pytest.raises(UnknownOutcome, match="not JSON"):
        runway.submit(generation_request("runway-gen4.5"))


def test_malformed_reply_on_poll_is_transient(runway, simulator):
    submitted = runway.submit(generation_request("runway-gen4.5"))
    simulator.sim.add_fault("runway", "malformed")
    with pytest.raises(Transient):
        runway.poll(submitted.remote_id)
    assert runway.poll(submitted.remote_id).state in (State.QUEUED, State.RUNNING)


def test_moderation_is_rejected(runway, simulator):
    simulator.sim.add_fault("runway", "moderation")
    submitted = runway.submit(generation_request("runway-gen4.5"))
    progress, _ = wait(runway, submitted.remote_id)
    assert progress.state == State.REJECTED
    assert progress.raw_status == "FAILED"
    assert progress.error == (
        "Runway's safety filter refused the prompt or image: The prompt was flagged by our "
        "content moderation system. (SAFETY.INPUT.TEXT)"
    )


def test_fail_is_failed_with_a_message(runway, simulator):
    simulator.sim.add_fault("runway", "fail")
    submitted = runway.submit(generation_request("runway-gen4.5"))
    progress, _ = wait(runway, submitted.remote_id)
    assert progress.state == State.FAILED
    assert progress.error == (
        "Runway failed to generate the video: An unexpected error occurred while generating "
        "the video. (INTERNAL)"
    )


def test_expired_url_download_says_the_link_expired(runway, simulator, tmp_path):
    simulator.sim.add_fault("runway", "expired_url")
    submitted = runway.submit(generation_request("runway-gen4.5"))
    progress, _ = wait(runway, submitted.remote_id)
    with pytest.raises(ProviderError, match="link has probably expired"):
        runway.download(progress.result_url, str(tmp_path / "v.mp4"), max_bytes=MAX_BYTES)


def test_busy_account_gives_throttled_which_is_queued_then_finishes(runway, simulator):
    simulator.sim.add_fault("runway", "busy")
    submitted = runway.submit(generation_request("runway-gen4.5"))
    first = runway.poll(submitted.remote_id)
    assert (first.state, first.raw_status) == (State.QUEUED, "THROTTLED")
    progress, seen = wait(runway, submitted.remote_id)
    assert progress.state == State.SUCCEEDED
    assert "PENDING" in seen


def test_download_refuses_hosts_that_are_not_runways(runway, tmp_path):
    with pytest.raises(ProviderError, match="not the provider's"):
        runway.download("https://example.com/v.mp4", str(tmp_path / "v.mp4"), max_bytes=MAX_BYTES)


def test_download_is_https_only_by_default(simulator, tmp_path):
    provider = RunwayProvider(account(api_key="k", download_hosts=("127.0.0.1",)))
    with pytest.raises(ProviderError, match="non-https"):
        provider.download(
            f"{simulator.url}/files/x.mp4", str(tmp_path / "v.mp4"), max_bytes=MAX_BYTES
        )


def test_default_download_hosts_are_runways_cdn():
    provider = RunwayProvider(account(api_key="k"))
    assert provider.download_hosts == (
        "dnznrvs05pmza.cloudfront.net",
        "runway-task-artifacts.s3.amazonaws.com",
    )
    assert provider.base_url == "https://api.dev.runwayml.com"
    assert provider.max_concurrent == 1
