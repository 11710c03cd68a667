"""Runway's free connection check: GET /v1/organization through the adapter and the runwayml
SDK's organization.retrieve(), against the simulator."""

import pytest
from runwayml import AuthenticationError, RunwayML

from providers.runway.adapter import RunwayProvider
from providers.simulator.runway import START_CREDITS
from tests.providers.conftest import account, generation_request
from tests.providers.runway.conftest import wait


def test_check_connection_says_the_balance_and_the_tier(runway):
    check = runway.check_connection()
    assert check.ok
    assert check.message.startswith(f"Connected: {START_CREDITS:,} credits left (about $50.00)")
    assert "up to 10,000 credits a month" in check.message
    assert "gen4.5: 2 at a time, 50 a day" in check.message
    assert set(check.models) >= {"gen4.5", "gen4_turbo"}


def test_the_balance_falls_by_what_a_finished_task_cost(runway, simulator):
    submitted = runway.submit(generation_request("runway-gen4.5", duration_seconds=5))
    progress, _ = wait(runway, submitted.remote_id)
    assert progress.raw_status == "SUCCEEDED"
    assert f"{START_CREDITS - 60:,} credits left" in runway.check_connection().message


def test_a_wrong_key_or_none_is_said_plainly(simulator):
    wrong = RunwayProvider(account(api_key="nope", base_url=simulator.base_url("runway")))
    check = wrong.check_connection()
    assert not check.ok and "Runway refused the key" in check.message
    assert "not valid" in check.message
    check = RunwayProvider().check_connection()
    assert not check.ok and "RUNWAY_API_KEY" in check.message


def test_an_outage_is_not_called_a_bad_key(runway, simulator):
    simulator.sim.add_fault("runway", "unavailable")  # one try: no retries inside the call
    check = runway.check_connection()
    assert not check.ok and check.message.startswith("Could not check")


def test_the_sdk_reads_the_same_organization(simulator):
    with RunwayML(
        api_key=simulator.sim.credentials["runway"], base_url=simulator.base_url("runway")
    ) as sdk:
        organization = sdk.organization.retrieve()
    assert organization.credit_balance == START_CREDITS
    assert organization.tier.models["gen4_turbo"].max_concurrent_generations == 2
    assert organization.usage.models["gen4.5"].daily_generations == 0
    wrong = RunwayML(api_key="nope", base_url=simulator.base_url("runway"), max_retries=0)
    with wrong as sdk, pytest.raises(AuthenticationError) as refused:
        sdk.organization.retrieve()
    assert refused.value.status_code == 401
