"""check_connection on both platforms: a free read that says in plain words what is wrong."""

from __future__ import annotations

from providers.simulator.veo import deny_vertex, retire_model
from providers.veo.adapter import VertexVeoProvider
from tests.providers.conftest import account

from .conftest import gemini_provider, no_sleep


def test_gemini_connected_lists_the_veo_ids_the_key_sees(gemini, simulator):
    check = gemini.check_connection()
    assert check.ok
    assert "veo-3.1-generate-001" in check.models
    assert all(model.startswith("veo-") for model in check.models)
    assert "veo-3.1-generate-preview" not in check.models  # shut down: not listed
    assert check.message.startswith("Connected: the key lists Veo")
    assert simulator.sim.submissions == []  # nothing generated, nothing billed


def test_gemini_reads_every_page_of_the_list(simulator, monkeypatch):
    provider = gemini_provider(simulator)
    pages = []
    original = provider._call

    def small_pages(method, path, **kw):
        kw["params"] = {**kw["params"], "pageSize": 2}
        pages.append(kw["params"].get("pageToken", ""))
        return original(method, path, **kw)

    monkeypatch.setattr(provider, "_call", small_pages)
    check = provider.check_connection()
    assert len(pages) > 2 and check.ok and "veo-3.1-lite-generate-001" in check.models


def test_gemini_missing_key(simulator):
    check = gemini_provider(simulator, api_key="").check_connection()
    assert not check.ok and check.message.startswith("No Gemini API key")


def test_gemini_wrong_key_in_plain_words(simulator):
    check = gemini_provider(simulator, api_key="wrong").check_connection()
    assert not check.ok
    assert check.message == (
        "The Gemini API refused the key: Veo (Gemini API): API key not valid. Please pass a "
        "valid API key. (INVALID_ARGUMENT)"
    )


def test_gemini_key_without_veo(simulator):
    for model in ("veo-3.1-generate-001", "veo-3.1-fast-generate-001", "veo-3.1-lite-generate-001"):
        retire_model(simulator.sim, "gemini", model)
    check = gemini_provider(simulator).check_connection()
    assert not check.ok and check.models == ()
    assert "lists no Veo model" in check.message and "STUDIO_VEO_PLATFORM=vertex" in check.message


def test_gemini_key_whose_veo_ids_the_studio_does_not_send(simulator):
    check = gemini_provider(simulator, model_ids="").check_connection()
    assert not check.ok and check.models  # the key sees Veo, but not under an id we send
    assert "None of them is an id the studio sends" in check.message


def test_vertex_connected_names_project_and_models(vertex, simulator):
    check = vertex.check_connection()
    assert check.ok
    assert check.models == (
        "veo-3.1-generate-001",
        "veo-3.1-fast-generate-001",
        "veo-3.1-lite-generate-001",
    )
    assert check.message.startswith("Connected to sim-project (us-central1)")
    assert simulator.sim.submissions == []


def test_vertex_without_a_service_account():
    check = VertexVeoProvider(account(project="p"), sleep=no_sleep).check_connection()
    assert not check.ok and "GOOGLE_APPLICATION_CREDENTIALS" in check.message


def test_vertex_service_account_refused_by_the_token_service(simulator, sa_info):
    forged = {**sa_info, "client_email": "nobody@elsewhere.iam.gserviceaccount.com"}
    provider = VertexVeoProvider(
        account(
            service_account_info=forged,
            project="sim-project",
            base_url=simulator.base_url("vertex"),
            timeout=2.0,
        ),
        sleep=no_sleep,
    )
    check = provider.check_connection()
    assert not check.ok and "the service account was refused" in check.message


def test_vertex_project_without_access(vertex, simulator):
    deny_vertex(simulator.sim)
    try:
        check = vertex.check_connection()
    finally:
        deny_vertex(simulator.sim, False)
    assert not check.ok
    assert "Enable the Vertex AI API on project sim-project" in check.message
    assert "PERMISSION_DENIED" in check.message


def test_vertex_project_that_sees_no_veo(vertex, simulator):
    for model in ("veo-3.1-generate-001", "veo-3.1-fast-generate-001", "veo-3.1-lite-generate-001"):
        retire_model(simulator.sim, "vertex", model)
    check = vertex.check_connection()
    assert not check.ok and "sees no Veo 3.1 model" in check.message
