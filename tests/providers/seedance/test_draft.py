"""Seedance 1.5 Pro draft then final (providers.md §4.3), and the free connection check:
through the adapter and through the official Ark SDK, against the simulator."""

import time
from dataclasses import replace
from decimal import Decimal

import pytest

from providers.core.base import Continuation, Rejected, State
from providers.seedance.adapter import SeedanceProvider
from providers.seedance.contract import build_submit
from providers.seedance.prices import seedance_tokens
from tests.providers.conftest import account, make_spec
from tests.providers.seedance.test_against_simulator import KEY, shot, wait_until_finished

ark = pytest.importorskip("byteplussdkarkruntime")
API_MODEL = "seedance-1-5-pro-251215"


@pytest.fixture
def make_provider(simulator):
    def make(api_key: str | None = KEY) -> SeedanceProvider:
        base_url = simulator.base_url("seedance") + "/api/v3"
        config = account(api_key=api_key, base_url=base_url, simulator_origin=simulator.url)
        return SeedanceProvider(config, sleep=lambda seconds: None)

    return make


@pytest.fixture
def provider(make_provider):
    return make_provider()


def draft_of(request):
    return replace(request, options={**request.options, "draft": True})


def final_of(request, draft_id):
    return replace(request, continues=Continuation(kind="final_from_draft", remote_id=draft_id))


def finished_draft(provider):
    submitted = provider.submit(draft_of(shot(resolution="1080p", audio=True)))
    progress, _ = wait_until_finished(provider, submitted.remote_id)
    assert progress.state == State.SUCCEEDED
    return submitted.remote_id, progress


def test_a_draft_is_sent_at_480p_with_draft_true():
    _, body = build_submit(draft_of(shot(resolution="1080p")))
    assert body["draft"] is True and body["resolution"] == "480p"
    assert body["content"][0]["type"] == "text"


def test_a_final_sends_only_the_draft_task_and_what_the_draft_does_not_fix():
    _, body = build_submit(final_of(shot(resolution="1080p", audio=True), "cgt-1"))
    assert body["content"] == [{"type": "draft_task", "draft_task": {"id": "cgt-1"}}]
    assert body["resolution"] == "1080p" and body["watermark"] is False
    assert not {"duration", "ratio", "seed", "generate_audio", "camera_fixed", "draft"} & set(body)


def test_draft_then_final_against_the_simulator(provider, simulator):
    draft_id, progress = finished_draft(provider)
    assert progress.raw["draft"] is True and progress.raw["resolution"] == "480p"
    final = provider.submit(final_of(shot(resolution="1080p", audio=True), draft_id))
    progress, _ = wait_until_finished(provider, final.remote_id)
    assert progress.state == State.SUCCEEDED and progress.result_url
    assert progress.raw["draft_task_id"] == draft_id and progress.raw["resolution"] == "1080p"
    assert progress.raw["duration"] == 5 and progress.raw["generate_audio"] is True
    # Billed at the final's own resolution: the rate card's $2.40/M tokens with audio.
    tokens = Decimal(progress.raw["usage"]["completion_tokens"])
    assert progress.cost == tokens * Decimal("2.4") / 10**6


@pytest.mark.parametrize("which", ["unknown", "not_a_draft", "unfinished"])
def test_a_final_from_anything_but_a_finished_draft_is_refused(provider, simulator, which):
    if which == "unknown":
        draft_id = "cgt-never-made"
    elif which == "not_a_draft":
        draft_id = provider.submit(shot()).remote_id
    else:
        draft_id = provider.submit(draft_of(shot())).remote_id
    with pytest.raises(Rejected, match=r"content\.draft_task\.id"):
        provider.submit(final_of(shot(), draft_id))


def test_a_draft_older_than_seven_days_is_refused(provider, simulator):
    draft_id, _ = finished_draft(provider)
    simulator.sim.jobs[draft_id].created -= 7 * 24 * 3600 + 1
    simulator.sim.jobs[draft_id].polls = 10  # still succeeded when aged by polls
    with pytest.raises(Rejected, match="expired"):
        provider.submit(final_of(shot(), draft_id))


def test_the_simulator_refuses_a_draft_at_another_resolution(simulator):
    client = ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3", api_key=KEY, max_retries=0
    )
    with pytest.raises(ark._exceptions.ArkBadRequestError, match="480p"):
        client.content_generation.tasks.create(
            model=API_MODEL,
            content=[{"type": "text", "text": "A kitten."}],
            resolution="720p",
            draft=True,
        )


def test_the_ark_sdk_makes_a_draft_and_its_final(simulator):
    client = ark.Ark(
        base_url=simulator.base_url("seedance") + "/api/v3", api_key=KEY, max_retries=0
    )
    draft = client.content_generation.tasks.create(
        model=API_MODEL,
        content=[{"type": "text", "text": "A kitten yawning."}],
        resolution="480p",
        duration=6,
        draft=True,
    )
    deadline = time.monotonic() + 5
    while (task := client.content_generation.tasks.get(task_id=draft.id)).status != "succeeded":
        assert task.status in ("queued", "running") and time.monotonic() < deadline
    assert task.draft is True and task.resolution == "480p"
    final = client.content_generation.tasks.create(
        model=API_MODEL,
        content=[{"type": "draft_task", "draft_task": {"id": draft.id}}],
        resolution="720p",
        watermark=False,
    )
    task = client.content_generation.tasks.get(task_id=final.id)
    assert task.draft_task_id == draft.id and task.duration == 6 and task.draft is False
    listed = client.content_generation.tasks.list(page_size=1)
    assert listed.total == 2 and [item.id for item in listed.items] == [final.id]


def test_a_draft_is_priced_at_480p_whatever_the_shot_asks():
    spec = make_spec(duration_seconds=5, resolution="1080p")
    assert seedance_tokens(spec, draft=True) == seedance_tokens(replace(spec, resolution="480p"))
    assert seedance_tokens(spec, draft=True) < seedance_tokens(spec)


def test_check_connection_says_what_the_key_does(make_provider, simulator):
    check = make_provider().check_connection()
    assert check.ok and check.message.startswith("Connected: ModelArk accepted the key")
    check = make_provider(api_key="wrong").check_connection()
    assert not check.ok and "refused the key" in check.message
    check = make_provider(api_key=None).check_connection()
    assert not check.ok and "ARK_API_KEY" in check.message
    simulator.sim.add_fault("seedance", "unavailable")  # one try: no retries inside the call
    check = make_provider().check_connection()
    assert not check.ok and check.message.startswith("Could not check")
