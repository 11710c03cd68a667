"""No retired Veo id is ever sent; a model Google says is gone ends as ModelRetired; Lite is in
the catalog with its own limits and price (providers.md §1.1, §9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from providers.capabilities import CAPABILITIES
from providers.core.base import ModelRetired, Rejected
from providers.core.capabilities import AVAILABLE, RETIRED
from providers.core.prices import Unpriced
from providers.prices import quote
from providers.simulator.veo import retire_model
from providers.veo.contract import build_vertex_submit, refine_error
from tests.providers.conftest import generation_request, make_spec

from .conftest import gemini_provider, veo_request


def test_the_gemini_adapter_refuses_a_retired_preview_id_before_any_call(simulator):
    provider = gemini_provider(simulator, model_ids="")
    with pytest.raises(ModelRetired) as caught:
        provider.submit(veo_request())
    assert "veo-3.1-generate-preview" in caught.value.message
    assert "STUDIO_VEO_PLATFORM=vertex" in caught.value.message
    assert simulator.sim.submissions == []
    # ...and says so per model before any money is held; the key itself still works (the
    # same account serves still models).
    usable, reason = provider.model_availability("veo-3.1")
    assert not usable and "Vertex AI" in reason
    assert provider.availability() == (True, "")
    assert provider.model_lifecycle("veo-3.1").status == RETIRED


def test_an_account_that_names_its_own_ids_is_usable(gemini):
    assert gemini.model_availability("veo-3.1") == (True, "")
    assert gemini.model_lifecycle("veo-3.1").status == AVAILABLE
    # Lite has no id of its own on this account, so it stays refused.
    with pytest.raises(ModelRetired):
        gemini.submit(generation_request("veo-3.1-lite"))


def test_a_model_shut_down_after_submit_ends_as_model_retired_at_poll(gemini, simulator):
    submitted = gemini.submit(veo_request())
    retire_model(simulator.sim, "gemini", "veo-3.1-generate-001")
    with pytest.raises(ModelRetired, match="no longer available"):
        gemini.poll(submitted.remote_id)


def test_a_404_no_longer_available_at_submit_is_model_retired(gemini, simulator):
    retire_model(simulator.sim, "gemini", "veo-3.1-fast-generate-001")
    with pytest.raises(ModelRetired) as caught:
        gemini.submit(generation_request("veo-3.1-fast"))
    assert caught.value.message.startswith("Veo (Gemini API): models/veo-3.1-fast-generate-001")
    assert simulator.sim.submissions == []


def test_vertex_answers_a_gone_model_with_model_retired(vertex, simulator):
    retire_model(simulator.sim, "vertex", "veo-3.1-generate-001")
    with pytest.raises(ModelRetired, match="Publisher Model"):
        vertex.submit(veo_request())


def test_a_plain_bad_request_stays_rejected():
    error = Rejected(
        "x", raw={"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "no"}}
    )
    assert type(refine_error(error)) is Rejected
    unknown_op = {
        "error": {"code": 404, "status": "NOT_FOUND", "message": "Operation x not found."}
    }
    assert type(refine_error(Rejected("x", raw=unknown_op))) is Rejected


def test_vertex_sends_the_ga_ids_and_lite_is_preview():
    path, _ = build_vertex_submit(
        generation_request("veo-3.1-lite"), project="p", location="us-central1"
    )
    assert "/models/veo-3.1-lite-generate-001:predictLongRunning" in path
    lite = CAPABILITIES["veo-3.1-lite"]
    assert lite.api_model == "veo-3.1-lite-generate-001"
    assert lite.resolutions == ("720p", "1080p")  # no 4k
    assert lite.lifecycle.status == AVAILABLE and "Preview" in lite.lifecycle.source
    assert CAPABILITIES["veo-3.1"].lifecycle.status == AVAILABLE
    assert all(CAPABILITIES[s].extend_seconds == 7 for s in ("veo-3.1", "veo-3.1-fast"))


def test_lite_is_priced_and_has_no_4k_card():
    assert quote("veo-3.1-lite", make_spec(resolution="720p")).amount == Decimal("0.4000")
    with pytest.raises(Unpriced):
        quote("veo-3.1-lite", make_spec(resolution="4k"))
