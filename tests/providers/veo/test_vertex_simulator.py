"""VertexVeoProvider against the simulator: service-account token, fetchPredictOperation,
inline base64 results and gs:// results."""

from __future__ import annotations

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
from providers.simulator.veo import service_account_info
from providers.veo.adapter import VertexVeoProvider
from tests.providers.conftest import account

from .conftest import no_sleep, veo_request
from .test_gemini_simulator import wait


def vertex_provider(simulator, info, **options):
    return VertexVeoProvider(
        account(
            service_account_info=info,
            project="sim-project",
            location="us-central1",
            base_url=simulator.base_url("vertex"),
            simulator_origin=simulator.url,
            timeout=2.0,
            **options,
        ),
        sleep=no_sleep,
    )


def test_submit_poll_download_inline_bytes(vertex, simulator, tmp_path):
    submitted = vertex.submit(veo_request(seed=9, audio=True))
    assert submitted.remote_id.startswith(
        "projects/sim-project/locations/us-central1/publishers/google/models/"
        "veo-3.1-generate-001/operations/"
    )
    [(_, body)] = simulator.sim.submissions
    assert body["parameters"]["seed"] == 9 and body["parameters"]["generateAudio"] is True
    assert body["labels"] == {"shot_studio_take": "42"}  # our take id, for the billing export
    progress = wait(vertex, submitted.remote_id)
    assert progress.state is State.SUCCEEDED
    assert progress.result_url.startswith("veo-operation:projects/sim-project/")
    target = tmp_path / "take.mp4"
    assert vertex.download(progress.result_url, str(target), max_bytes=10**8) > 0
    assert probe(str(target)).codec == "h264"


def test_inline_bytes_respect_the_cap(vertex, tmp_path):
    progress = wait(vertex, vertex.submit(veo_request()).remote_id)
    with pytest.raises(ProviderError, match="over the 10 cap"):
        vertex.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10)


def test_gcs_output_is_read_through_the_storage_json_api(simulator, sa_info, tmp_path):
    provider = vertex_provider(
        simulator,
        sa_info,
        output_gcs_uri="gs://studio-takes/veo/",
        storage_url=simulator.base_url("vertex"),
    )
    progress = wait(provider, provider.submit(veo_request()).remote_id)
    assert progress.result_url.startswith("gs://studio-takes/veo/")
    target = tmp_path / "take.mp4"
    provider.download(progress.result_url, str(target), max_bytes=10**8)
    assert probe(str(target)).codec == "h264"


def test_expired_gcs_object(simulator, sa_info, tmp_path):
    provider = vertex_provider(
        simulator, sa_info, output_gcs_uri="gs://b/o/", storage_url=simulator.base_url("vertex")
    )
    simulator.sim.add_fault("vertex", "expired_url")
    progress = wait(provider, provider.submit(veo_request()).remote_id)
    with pytest.raises(ProviderError, match="expired"):
        provider.download(progress.result_url, str(tmp_path / "x.mp4"), max_bytes=10**8)


def test_missing_configuration_names_the_env_vars():
    usable, reason = VertexVeoProvider(
        account(service_account_info=None, project=None)
    ).availability()
    assert not usable
    assert "GOOGLE_APPLICATION_CREDENTIALS" in reason and "VERTEX_PROJECT" in reason


def test_unknown_service_account_is_auth_failed(simulator, sa_info):
    stranger = service_account_info(simulator.sim)
    stranger["client_email"] = "nobody@sim-project.iam.gserviceaccount.com"
    with pytest.raises(AuthFailed, match="account not found"):
        vertex_provider(simulator, stranger).submit(veo_request())


def test_a_key_that_does_not_match_the_account_is_auth_failed(simulator, sa_info):
    other = service_account_info(simulator.sim, project="other-project")
    forged = dict(sa_info, private_key=other["private_key"])
    with pytest.raises(AuthFailed, match="Invalid JWT Signature"):
        vertex_provider(simulator, forged).submit(veo_request())


def test_a_stale_token_is_auth_failed_with_googles_message(vertex, simulator):
    vertex.submit(veo_request())  # fetches a token
    simulator.sim.credentials["vertex"] = "rotated"
    with pytest.raises(AuthFailed, match="invalid authentication credentials"):
        vertex.submit(veo_request())


def test_gemini_only_fields_are_fine_but_bad_values_are_rejected(vertex):
    request = veo_request(resolution="1080p", duration_seconds=4)
    with pytest.raises(Rejected, match="need durationSeconds 8"):
        vertex.submit(request)


def test_faults(vertex, simulator):
    simulator.sim.add_fault("vertex", "rate_limit")
    with pytest.raises(Transient):
        vertex.submit(veo_request())
    simulator.sim.add_fault("vertex", "server_error")
    with pytest.raises(UnknownOutcome):
        vertex.submit(veo_request())
    simulator.sim.add_fault("vertex", "busy")
    with pytest.raises(Transient) as caught:
        vertex.submit(veo_request())
    assert caught.value.retry_after == 30.0
    remote_id = vertex.submit(veo_request()).remote_id
    simulator.sim.add_fault("vertex", "rate_limit")
    simulator.sim.add_fault("vertex", "server_error")
    for _ in range(2):  # each poll tries once; the pipeline asks again later
        with pytest.raises(Transient):
            vertex.poll(remote_id)
    assert wait(vertex, remote_id).state is State.SUCCEEDED


def test_billing_disabled_is_quota_not_auth(vertex, simulator):
    # A 403 like a refused token; ErrorInfo BILLING_DISABLED says it is the project's money.
    simulator.sim.add_fault("vertex", "quota")
    with pytest.raises(QuotaExceeded) as caught:
        vertex.submit(veo_request())
    assert caught.value.message.startswith(
        "Veo (Vertex AI): This API method requires billing to be enabled. Please enable billing "
        "on project sim-project"
    )
    assert caught.value.message.endswith("(PERMISSION_DENIED)")
    assert simulator.sim.submissions == []


def test_moderation_and_failure(vertex, simulator):
    simulator.sim.add_fault("vertex", "moderation")
    progress = wait(vertex, vertex.submit(veo_request()).remote_id)
    assert progress.state is State.REJECTED
    assert "usage guidelines" in progress.error
    simulator.sim.add_fault("vertex", "fail")
    assert wait(vertex, vertex.submit(veo_request()).remote_id).state is State.FAILED


def test_service_account_from_a_path_or_pasted_json(tmp_path, simulator, sa_info):
    import json

    path = tmp_path / "sa.json"
    path.write_text(json.dumps(sa_info))
    for value in (str(path), json.dumps(sa_info)):
        provider = vertex_provider(simulator, value)
        assert provider.availability() == (True, "")
        assert provider.submit(veo_request()).remote_id
    usable, reason = VertexVeoProvider(
        account(service_account_info=str(tmp_path / "missing.json"), project="p")
    ).availability()
    assert not usable and "could not be read" in reason


def test_built_from_keyword_options_alone():
    """The studio's registry passes only what it has, as keywords."""
    assert VertexVeoProvider(account(project="p")).availability()[0] is False
