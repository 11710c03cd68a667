"""The adapter against the local simulator: the happy path, errors, every fault."""

import time

import pytest

from providers.core.base import (
    FINISHED_STATES,
    AuthFailed,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Transient,
    UnknownOutcome,
)
from providers.core.media import probe
from providers.seedance.adapter import SeedanceProvider
from providers.simulator.core import default_credentials
from tests.providers.conftest import account, generation_request

KEY = default_credentials()["seedance"]
MODEL = "seedance-1.5-pro"


@pytest.fixture
def waits():
    return []


@pytest.fixture
def make_provider(simulator, waits):
    def make(api_key: str | None = KEY, **options) -> SeedanceProvider:
        options.setdefault("simulator_origin", simulator.url)
        return SeedanceProvider(
            account(
                api_key=api_key, base_url=simulator.base_url("seedance") + "/api/v3", **options
            ),
            sleep=waits.append,  # retries are recorded, not slept
        )

    return make


@pytest.fixture
def provider(make_provider):
    return make_provider()


def shot(**overrides):
    overrides.setdefault("duration_seconds", 5)
    return generation_request(MODEL, **overrides)


def wait_until_finished(provider, remote_id, timeout=5.0):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        progress = provider.poll(remote_id)
        seen.append(progress.raw_status)
        if progress.state in FINISHED_STATES:
            return progress, seen
        time.sleep(0.1)
    raise AssertionError(f"never finished: {seen}")


def test_generation_end_to_end(provider, simulator, tmp_path):
    submitted = provider.submit(shot())
    assert submitted.remote_id.startswith("cgt-")
    progress, seen = wait_until_finished(provider, submitted.remote_id)
    assert seen[0] == "queued" and "running" in seen
    assert progress.state is State.SUCCEEDED
    # 1280×720 × 24 fps × 5 s / 1024 = 108000 tokens at $1.2/M (no audio).
    assert progress.raw["usage"]["completion_tokens"] == 108000
    assert str(progress.cost) == "0.1296"
    destination = tmp_path / "take.mp4"
    size = provider.download(progress.result_url, str(destination), max_bytes=50_000_000)
    assert size == destination.stat().st_size > 0
    assert probe(str(destination)).codec == "h264"
    # Exactly one submission, with the body the formula compiled (ModelArk has no
    # idempotency key or external id, so there is nothing else to send).
    assert len(simulator.sim.submissions) == 1
    sent = simulator.sim.submissions[0][1]
    assert sent["model"] == "seedance-1-5-pro-251215"
    assert sent["duration"] == 5 and sent["watermark"] is False


def test_cancel_a_queued_task(provider):
    submitted = provider.submit(shot())
    provider.cancel(submitted.remote_id)
    progress = provider.poll(submitted.remote_id)
    assert progress.state is State.CANCELED
    assert progress.raw_status == "cancelled"


def test_cancel_a_running_task_is_refused_with_the_providers_message(provider):
    submitted = provider.submit(shot())
    assert provider.poll(submitted.remote_id).state is State.QUEUED  # the next read: running
    with pytest.raises(Rejected, match="only queued tasks"):
        provider.cancel(submitted.remote_id)


def test_bad_key_is_auth_failed_with_modelark_message(make_provider):
    with pytest.raises(AuthFailed, match="The API key or AK/SK in the request is missing"):
        make_provider("wrong-key").submit(shot())


def test_missing_key_is_unavailable_and_never_calls(make_provider, simulator):
    provider = make_provider(None)
    usable, reason = provider.availability()
    assert not usable and "ARK_API_KEY" in reason
    with pytest.raises(AuthFailed, match="ARK_API_KEY"):
        provider.submit(shot())
    assert simulator.sim.submissions == []


def test_invalid_field_is_rejected_with_modelark_message(provider, simulator):
    bad = shot()
    bad.params["duration"] = 3  # 1.5 pro takes 4-12 s
    with pytest.raises(Rejected, match=r"The parameter `duration`.*InvalidParameter"):
        provider.submit(bad)
    assert simulator.sim.submissions == []


def test_rate_limit_on_submit_is_transient_with_retry_after(provider, simulator):
    simulator.sim.add_fault("seedance", "rate_limit")
    with pytest.raises(Transient, match="RPM limit") as caught:
        provider.submit(shot())
    assert caught.value.retry_after == 2
    assert simulator.sim.submissions == []


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "unavailable"])
def test_poll_faults_go_back_to_the_pipeline(provider, simulator, waits, fault):
    submitted = provider.submit(shot())
    simulator.sim.add_fault("seedance", fault)
    with pytest.raises(Transient) as caught:  # tried once: the pipeline asks again later
        provider.poll(submitted.remote_id)
    if fault == "rate_limit":
        assert caught.value.retry_after == 2.0  # Retry-After passed on for the pipeline
    assert provider.poll(submitted.remote_id).state in (State.QUEUED, State.RUNNING)
    assert waits == []  # nothing slept


@pytest.mark.parametrize("fault", ["server_error", "malformed"])
def test_unclear_submit_is_unknown_outcome(provider, simulator, fault):
    simulator.sim.add_fault("seedance", fault)
    with pytest.raises(UnknownOutcome):
        provider.submit(shot())


def test_timeout_on_submit_is_unknown_outcome(make_provider, simulator):
    simulator.sim.add_fault("seedance", "timeout")
    with pytest.raises(UnknownOutcome, match="did not answer in time"):
        make_provider(timeout=0.5).submit(shot())


def test_malformed_poll_is_transient_then_recovers(provider, simulator):
    submitted = provider.submit(shot())
    simulator.sim.add_fault("seedance", "malformed")
    with pytest.raises(Transient, match="malformed"):
        provider.poll(submitted.remote_id)
    assert provider.poll(submitted.remote_id).state in (State.QUEUED, State.RUNNING)


def test_busy_account_is_transient(provider, simulator):
    simulator.sim.add_fault("seedance", "busy")
    with pytest.raises(Transient, match="concurrency limit"):
        provider.submit(shot())
    assert simulator.sim.submissions == []


def test_moderation_ends_rejected(provider, simulator):
    simulator.sim.add_fault("seedance", "moderation")
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state is State.REJECTED
    assert "SensitiveContentDetected" in progress.error
    assert progress.cost is None


def test_failure_ends_failed_with_the_message(provider, simulator):
    simulator.sim.add_fault("seedance", "fail")
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state is State.FAILED
    assert "internal error" in progress.error


def test_expired_url_download_says_the_link_expired(provider, simulator, tmp_path):
    simulator.sim.add_fault("seedance", "expired_url")
    progress, _ = wait_until_finished(provider, provider.submit(shot()).remote_id)
    assert progress.state is State.SUCCEEDED
    with pytest.raises(ProviderError, match="expired"):
        provider.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


def test_download_refuses_other_hosts_and_plain_http(make_provider, tmp_path):
    target = str(tmp_path / "x.mp4")
    with pytest.raises(ProviderError, match="non-https"):  # loopback, but not the simulator
        make_provider().download("http://localhost/files/a.mp4", target, max_bytes=10)
    strict = make_provider(download_hosts=("volces.com", "bytepluses.com"), simulator_origin="")
    with pytest.raises(ProviderError, match="non-https"):
        strict.download("http://ark-x.tos-cn-beijing.volces.com/a.mp4", target, max_bytes=10)
    with pytest.raises(ProviderError, match="not the provider's"):
        strict.download("https://evil.example/a.mp4", target, max_bytes=10)


def test_unknown_task_is_rejected_not_queued(provider):
    with pytest.raises(Rejected, match="not found"):
        provider.poll("cgt-nope")


def test_overdue_account_is_quota_not_auth(provider, simulator):
    # A 403 like a refused key; ModelArk's code says it is the account's money.
    simulator.sim.add_fault("seedance", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        provider.submit(shot())
    assert caught.value.message.startswith(
        "Seedance: The request failed because your account has an overdue balance. Request id: "
    )
    assert caught.value.message.endswith("(AccountOverdueError, HTTP 403)")
    assert simulator.sim.submissions == []
