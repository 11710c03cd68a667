"""The account's catalogue against the simulator: GET /models, GET /models/usage, the free
connection check, catalogue models as targets, and model-access errors (providers.md 5.4, 9)."""

from decimal import Decimal

import pytest

from providers.core.base import ModelRetired, Rejected, State, Transient
from providers.core.media import probe
from providers.higgsfield import account as hf_account
from providers.higgsfield.adapter import HiggsfieldProvider
from providers.higgsfield.capabilities import MODELS
from providers.simulator import higgsfield as hf_sim
from tests.providers.conftest import account
from tests.providers.higgsfield.test_adapter import wait_until_done

CAPS = {c.slug: c for c in MODELS}
KLING = CAPS["higgsfield-kling-3.0"]


@pytest.fixture
def second_account(simulator):
    """A key pair whose catalogue lists DoP Turbo only."""

    def make(*slugs):
        hf_sim.add_account(simulator.sim, "other-id", "other-secret", slugs)
        return HiggsfieldProvider(
            account(
                base_url=simulator.base_url("higgsfield"),
                simulator_origin=simulator.url,
                api_key="other-id",
                api_secret="other-secret",
            ),
            sleep=lambda seconds: None,
        )

    return make


def counting(provider, monkeypatch):
    calls = []
    original = provider.http.request

    def request(method, path, **kwargs):
        calls.append(path)
        return original(method, path, **kwargs)

    monkeypatch.setattr(provider.http, "request", request)
    return calls


def test_list_models_reads_the_account_catalogue(simulator, make_provider):
    catalogue = make_provider().list_models()
    assert set(hf_sim.DEFAULT_CATALOGUE) == set(catalogue)
    turbo = catalogue["higgsfield-ai/dop/turbo"]
    assert turbo.output_type == "video" and turbo.operation_types == ("image2video",)
    assert turbo.base_credits == Decimal("6.50")
    assert catalogue[KLING.catalogue_id].application == "/" + KLING.catalogue_id


def test_usage_is_the_estimated_spend_in_usd(simulator, make_provider, make_request):
    provider = make_provider()
    assert provider.usage().total_usd == Decimal(0)
    provider.submit(make_request())  # DoP Turbo
    usage = provider.usage()
    assert usage.total_usd == Decimal("6.50") * Decimal(hf_sim.USD_PER_CREDIT)
    assert usage.by_model == {"higgsfield-ai/dop/turbo": usage.total_usd}


def test_check_connection_names_what_the_account_has(simulator, make_provider):
    check = make_provider().check_connection()
    assert check.ok
    assert check.message.startswith(f"Connected: {len(hf_sim.DEFAULT_CATALOGUE)} models")
    assert "but not" not in check.message
    assert set(check.models) == set(hf_sim.DEFAULT_CATALOGUE)


def test_check_connection_says_which_of_ours_are_missing(simulator, second_account):
    check = second_account("higgsfield-ai/dop/turbo").check_connection()
    assert check.ok and check.models == ("higgsfield-ai/dop/turbo",)
    assert "Your Higgsfield account has Higgsfield DoP Turbo but not Higgsfield DoP Lite" in (
        check.message
    )
    assert "Veo 3.1 via Higgsfield" in check.message


def test_check_connection_missing_and_wrong_keys(simulator, make_provider):
    missing = make_provider(api_key="", api_secret="").check_connection()
    assert not missing.ok and "HIGGSFIELD_API_KEY" in missing.message
    wrong = make_provider(api_secret="nope").check_connection()
    assert not wrong.ok
    assert wrong.message.startswith("Higgsfield refused the API key and secret")
    assert "Invalid API credentials" in wrong.message


def test_a_model_missing_from_the_catalogue_is_not_offered(simulator, second_account):
    provider = second_account("higgsfield-ai/dop/turbo")
    assert provider.catalogue_availability(CAPS["higgsfield-dop-turbo"]) == (True, "")
    usable, reason = provider.catalogue_availability(KLING)
    assert not usable
    assert reason.startswith(
        "your Higgsfield account's catalogue does not list Kling 3.0 via Higgsfield"
    )


def test_the_catalogue_is_read_once_per_ttl(simulator, make_provider, monkeypatch):
    provider = make_provider()
    calls = counting(provider, monkeypatch)
    for caps in MODELS:
        assert provider.catalogue_availability(caps) == (True, "")
    assert calls == ["/models"]
    monkeypatch.setattr(hf_account.time, "monotonic", lambda: 10**9)  # long after the TTL
    provider.catalogue_availability(KLING)
    assert calls == ["/models", "/models"]


def test_an_unreadable_catalogue_blocks_nothing(simulator, make_provider, monkeypatch):
    # Nothing listens on the simulator's port once it is stopped: the read cannot happen.
    provider = make_provider()
    simulator.stop()
    calls = counting(provider, monkeypatch)
    assert provider.catalogue_availability(KLING) == (True, "")
    assert provider.catalogue_availability(KLING) == (True, "")
    assert calls == ["/models"]  # a failed read is not repeated on every page


def test_hosted_model_journey(simulator, make_provider, make_request, tmp_path):
    provider = make_provider()
    request = make_request(KLING.slug, duration_seconds=10, aspect_ratio="9:16")
    submitted = provider.submit(request)
    progress = wait_until_done(provider, submitted.remote_id)
    assert progress.state is State.SUCCEEDED
    destination = tmp_path / "kling.mp4"
    provider.download(progress.result_url, str(destination), max_bytes=50_000_000)
    assert probe(str(destination)).codec == "h264"
    ((_, body),) = simulator.sim.submissions
    assert set(body) == {"prompt", "image_url", "duration", "aspect_ratio"}
    assert (body["duration"], body["aspect_ratio"]) == (10, "9:16")
    assert simulator.sim.jobs[submitted.remote_id].model == KLING.catalogue_id


def test_hosted_model_needs_a_hero_frame(simulator, make_provider, make_request):
    import dataclasses

    request = dataclasses.replace(make_request(KLING.slug), images=())
    with pytest.raises(Rejected, match=r"Kling 3\.0 via Higgsfield makes video from a hero"):
        make_provider().submit(request)


def test_404_at_submit_is_a_model_the_account_lacks(simulator, second_account, make_request):
    with pytest.raises(ModelRetired) as caught:
        second_account("higgsfield-ai/dop/turbo").submit(make_request(KLING.slug))
    assert caught.value.message == (
        "Higgsfield: this account cannot use the model, which is not in its catalogue or is "
        "locked (model_not_found (HTTP 404))."
    )
    assert simulator.sim.submissions == []


def test_dop_404_and_423_are_model_access_not_rejections(
    simulator, make_provider, second_account, make_request
):
    with pytest.raises(ModelRetired, match=r"^Higgsfield: this account .*\(HTTP 404\)"):
        second_account("higgsfield-ai/dop/turbo").submit(make_request("higgsfield-dop-standard"))
    hf_sim.state(simulator.sim)["locked"].add("higgsfield-ai/dop/turbo")
    with pytest.raises(ModelRetired, match=r"^Higgsfield: .*locked for this account \(HTTP 423"):
        make_provider().submit(make_request())
    assert simulator.sim.submissions == []


def test_503_at_submit_stays_transient(simulator, make_provider, make_request):
    simulator.sim.add_fault("higgsfield", "unavailable")
    with pytest.raises(Transient):
        make_provider().submit(make_request(KLING.slug))
    assert simulator.sim.submissions == []


def test_a_404_motions_list_is_not_a_rejection(simulator, make_provider, make_request):
    hf_sim.state(simulator.sim)["motions_gone"] = True
    with pytest.raises(ModelRetired) as caught:
        make_provider().submit(make_request(motion_preset="crane_up"))
    assert not isinstance(caught.value, Rejected)
    assert caught.value.message.startswith(
        "Higgsfield no longer serves its motion presets list (GET /v1/motions answered HTTP 404)"
    )
    assert simulator.sim.submissions == []


def test_check_connection_when_the_account_has_none_of_ours(simulator, second_account):
    check = second_account("higgsfield-ai/soul/standard").check_connection()
    assert check.ok and check.models == ("higgsfield-ai/soul/standard",)
    assert "Your Higgsfield account has none of ours (Higgsfield DoP Lite, " in check.message
