"""The Kling adapter against the simulator: the whole path, auth, validation and every fault."""

import base64
import time
from dataclasses import replace

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
from providers.core.media import probe
from providers.kling.adapter import KlingProvider
from tests.providers.conftest import REQUEST_KEY, account, generation_request

# The simulator's default secret is shorter than a real Kling SK; PyJWT warns, harmlessly.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def make(simulator, **overrides) -> KlingProvider:
    access, secret = simulator.sim.credentials["kling"]
    options = dict(
        access_key=access,
        secret_key=secret,
        base_url=simulator.base_url("kling"),
        simulator_origin=simulator.url,
        timeout=2.0,
    )
    options.update(overrides)
    return KlingProvider(account(**options), sleep=lambda seconds: None)


def shot(model="kling-2.6-std", **overrides):
    return generation_request(
        model, duration_seconds=overrides.pop("duration_seconds", 5), **overrides
    )


def wait_until_finished(provider, remote_id, limit=5.0):
    deadline = time.monotonic() + limit
    seen = []
    while time.monotonic() < deadline:
        progress = provider.poll(remote_id)
        seen.append(progress.raw_status)
        if progress.state not in (State.QUEUED, State.RUNNING):
            return progress, seen
        time.sleep(0.05)
    raise AssertionError(f"still {seen[-1]} after {limit} s")


def test_text2video_submit_poll_download(simulator, tmp_path):
    provider = make(simulator, usd_per_unit="0.14")
    submitted = provider.submit(shot())
    assert submitted.remote_id.startswith("text2video/")
    assert submitted.raw_status == "submitted"
    progress, seen = wait_until_finished(provider, submitted.remote_id)
    assert seen[0] == "submitted" and "processing" in seen
    assert progress.state == State.SUCCEEDED and progress.raw_status == "succeed"
    assert progress.cost is not None and progress.cost > 0  # from final_unit_deduction
    destination = tmp_path / "take.mp4"
    size = provider.download(progress.result_url, str(destination), max_bytes=50_000_000)
    assert size == destination.stat().st_size > 0
    assert probe(str(destination)).codec == "h264"


def test_external_task_id_is_the_request_key_and_finds_the_task(simulator):
    provider = make(simulator)
    submitted = provider.submit(shot())
    ((prefix, body),) = simulator.sim.submissions
    assert prefix == "kling" and body["external_task_id"] == REQUEST_KEY
    assert body["duration"] == "5" and body["model_name"] == "kling-v2-6"
    # The task can be looked up by our key when the create's answer was lost.
    assert provider.lookup(shot()) == replace(submitted, raw_status=submitted.raw_status)
    assert provider.poll(f"text2video/{REQUEST_KEY}").raw_status in ("submitted", "processing")


def test_a_repeated_create_follows_the_task_the_first_one_made(simulator):
    provider = make(simulator)
    first = provider.submit(shot())
    # Kling holds external ids unique per account: the repeat is refused, and the adapter
    # answers with the task the first create made instead of failing the take.
    again = provider.submit(shot())
    assert again.remote_id == first.remote_id
    assert len(simulator.sim.submissions) == 1


def test_lookup_says_none_only_when_kling_has_no_such_task(simulator):
    provider = make(simulator)
    assert provider.lookup(replace(shot(), request_key="never-sent")) is None
    # A lookup that keeps failing is not proof of absence: it raises, it never says None.
    simulator.sim.add_fault("kling", "server_error")  # one try: no retries inside the call
    with pytest.raises(Transient):
        provider.lookup(shot())


def test_lost_answer_leaves_a_task_that_lookup_finds(simulator):
    provider = make(simulator)
    simulator.sim.add_fault("kling", "lost_answer")
    with pytest.raises(UnknownOutcome):
        provider.submit(shot())
    found = provider.lookup(shot())
    assert found is not None and found.remote_id.startswith("text2video/")
    assert len(simulator.sim.submissions) == 1


def test_image2video_pro_with_both_frames(simulator, tmp_path):
    hero, end = tmp_path / "hero.png", tmp_path / "end.png"
    hero.write_bytes(PNG)
    end.write_bytes(PNG)
    request = replace(
        shot("kling-2.6-pro", has_hero_frame=True, has_last_frame=True),
        images=(InputImage(str(hero), "a" * 64), InputImage(str(end), "b" * 64, "last_frame")),
    )
    provider = make(simulator)
    submitted = provider.submit(request)
    assert submitted.remote_id.startswith("image2video/")
    ((_, body),) = simulator.sim.submissions
    assert base64.b64decode(body["image"]) == PNG and "aspect_ratio" not in body
    progress, _ = wait_until_finished(provider, submitted.remote_id)
    assert progress.state == State.SUCCEEDED


def test_cancel_is_not_offered(simulator):
    provider = make(simulator)
    submitted = provider.submit(shot())
    with pytest.raises(ProviderError, match="no way to cancel"):
        provider.cancel(submitted.remote_id)


# --- auth and validation --------------------------------------------------------------------
def test_missing_keys_make_the_provider_unavailable():
    usable, reason = KlingProvider().availability()
    assert not usable and "KLING_ACCESS_KEY" in reason and "KLING_SECRET_KEY" in reason
    usable, reason = KlingProvider(account(access_key="ak")).availability("kling-v2-6")
    assert not usable and "KLING_SECRET_KEY" in reason and "KLING_ACCESS_KEY" not in reason
    with pytest.raises(AuthFailed, match="KLING_SECRET_KEY"):
        KlingProvider(account(access_key="ak")).submit(generation_request("kling-2.6-std"))


def test_wrong_secret_is_auth_failed_with_klings_message(simulator):
    provider = make(simulator, secret_key="not-the-secret-key-of-this-account")
    with pytest.raises(AuthFailed, match=r"Authorization is invalid \(code 1002, HTTP 401\)"):
        provider.submit(shot())
    assert simulator.sim.submissions == []


def test_unknown_access_key_is_auth_failed(simulator):
    with pytest.raises(AuthFailed, match="code 1000"):
        make(simulator, access_key="someone-else").poll("text2video/1")


def test_invalid_duration_is_rejected_with_klings_message(simulator):
    request = shot()
    request = replace(request, params={**request.params, "duration": "7"})
    with pytest.raises(Rejected, match=r"duration 7 is not supported by kling-v2-6.*code 1201"):
        make(simulator).submit(request)


def test_sound_on_std_is_rejected(simulator):
    request = shot()
    request = replace(request, params={**request.params, "sound": "on"})
    with pytest.raises(Rejected, match="sound on is not supported by kling-v2-6 std"):
        make(simulator).submit(request)


# --- faults on submit -----------------------------------------------------------------------
def test_rate_limit_on_submit_is_transient_with_retry_after(simulator):
    simulator.sim.add_fault("kling", "rate_limit")
    with pytest.raises(Transient, match="code 1302") as caught:
        make(simulator).submit(shot())
    assert caught.value.retry_after == 1.0
    assert simulator.sim.submissions == []


def test_busy_is_transient_1303(simulator):
    simulator.sim.add_fault("kling", "busy")
    with pytest.raises(Transient, match="parallel task over resource pack limit") as caught:
        make(simulator).submit(shot())
    assert caught.value.retry_after >= 1.0


def test_out_of_credit_is_quota_not_a_wait(simulator):
    # A 429 like the busy codes, but 1102 means the resource pack is used up: no retry helps.
    simulator.sim.add_fault("kling", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        make(simulator).submit(shot())
    assert caught.value.message == "Kling: Account balance not enough (code 1102, HTTP 429)"
    assert simulator.sim.submissions == [] and simulator.sim.jobs == {}


def test_real_concurrency_limit_answers_1303(simulator):
    provider = make(simulator)
    for take_id in range(simulator.sim.concurrency):
        provider.submit(replace(shot(), take_id=100 + take_id, request_key=f"key-{take_id}"))
    with pytest.raises(Transient, match="code 1303"):
        provider.submit(replace(shot(), take_id=200, request_key="key-200"))


def test_unavailable_on_submit_is_transient(simulator):
    simulator.sim.add_fault("kling", "unavailable")
    with pytest.raises(Transient, match="code 5001"):
        make(simulator).submit(shot())


@pytest.mark.parametrize("fault", ["server_error", "timeout", "malformed"])
def test_ambiguous_submit_is_unknown_outcome_and_not_resent(simulator, fault):
    simulator.sim.add_fault("kling", fault)
    with pytest.raises(UnknownOutcome):
        make(simulator, timeout=1.0).submit(shot())
    assert simulator.sim.faults["kling"] == []  # consumed by the single attempt


# --- faults on poll -------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["rate_limit", "server_error"])
def test_poll_faults_go_back_to_the_pipeline(simulator, fault):
    provider = make(simulator)
    submitted = provider.submit(shot())
    simulator.sim.add_fault("kling", fault, times=2)
    for _ in range(2):  # each poll tries once; the pipeline asks again later (decision 011)
        with pytest.raises(Transient):
            provider.poll(submitted.remote_id)
    progress = provider.poll(submitted.remote_id)
    assert progress.state in (State.QUEUED, State.RUNNING)
    assert simulator.sim.faults["kling"] == []


def test_malformed_poll_is_transient(simulator):
    provider = make(simulator)
    submitted = provider.submit(shot())
    simulator.sim.add_fault("kling", "malformed")
    with pytest.raises(Transient, match="malformed JSON"):
        provider.poll(submitted.remote_id)
    assert provider.poll(submitted.remote_id).raw_status  # the next poll is fine


def test_unknown_task_is_klings_task_not_found(simulator):
    with pytest.raises(Rejected, match="Task not found"):
        make(simulator).poll("image2video/nope")


# --- outcomes -------------------------------------------------------------------------------
def test_moderation_ends_rejected(simulator):
    simulator.sim.add_fault("kling", "moderation")
    provider = make(simulator)
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state == State.REJECTED and progress.raw_status == "failed"
    assert "risk control" in progress.error


def test_fail_ends_failed_with_message(simulator):
    simulator.sim.add_fault("kling", "fail")
    provider = make(simulator)
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state == State.FAILED
    assert progress.error.startswith("Kling: Video generation failed")


def test_expired_url_download_says_so(simulator, tmp_path):
    simulator.sim.add_fault("kling", "expired_url")
    provider = make(simulator)
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state == State.SUCCEEDED
    with pytest.raises(ProviderError, match="expired"):
        provider.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


# --- download safety ------------------------------------------------------------------------
def test_download_refuses_other_hosts_and_plain_http(simulator, tmp_path):
    provider = make(simulator)
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    target = str(tmp_path / "x.mp4")
    with pytest.raises(ProviderError, match="non-https"):  # the simulator's host, another port
        provider.download(
            progress.result_url.replace(simulator.url, "http://127.0.0.1:6379"),
            target,
            max_bytes=10**8,
        )
    with pytest.raises(ProviderError, match="non-https"):
        make(simulator, simulator_origin="").download(progress.result_url, target, max_bytes=10**8)


def test_production_defaults():
    provider = KlingProvider(account(access_key="ak", secret_key="sk"))
    assert provider.base_url == "https://api-singapore.klingai.com"
    assert "klingai.com" in provider.download_hosts
    assert provider.simulator_origin == ""
    assert provider.max_concurrent >= 1
