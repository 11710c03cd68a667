"""Pure design checks for models that retire (pre-flight, recommender) and "What will be sent"
read in words first."""

import dataclasses
import datetime

from providers.capabilities import CAPABILITIES
from providers.core.capabilities import AVAILABLE, DEPRECATED, RETIRED, Lifecycle
from providers.core.spec import CameraMove
from providers.design.compile import compile_shot, describe_move
from providers.design.preflight import (
    check_shot,
    gone_message,
    lifecycle_status,
    lifecycle_warnings,
    retired_reason,
)
from providers.design.recommend import recommend
from tests.providers.conftest import make_spec

TODAY = datetime.date(2026, 12, 6)


def veo_with(**life):
    return dataclasses.replace(CAPABILITIES["veo-3.1"], lifecycle=Lifecycle(**life))


def test_a_deprecated_model_warns_with_the_date_and_the_replacement():
    caps = veo_with(
        status=DEPRECATED, retires_on=datetime.date(2027, 3, 2), replacement="veo-3.1-fast"
    )
    assert lifecycle_warnings(caps, today=TODAY) == [
        "Google retires Veo 3.1 on 2 March 2027: switch the shot to Veo 3.1 Fast."
    ]
    assert "target_model" not in check_shot(make_spec(), caps, today=TODAY)


def test_a_retired_model_is_a_preflight_error():
    caps = veo_with(
        status=RETIRED, retires_on=datetime.date(2026, 11, 30), replacement="veo-3.1-fast"
    )
    assert check_shot(make_spec(), caps, today=TODAY)["target_model"] == [
        "Google no longer serves Veo 3.1 since 30 November 2026: switch the shot to Veo 3.1 Fast."
    ]
    assert lifecycle_warnings(caps, today=TODAY) == []


def test_the_shutdown_date_itself_retires_a_deprecated_model():
    caps = veo_with(status=DEPRECATED, retires_on=TODAY)
    assert lifecycle_status(caps, today=TODAY) == RETIRED
    assert lifecycle_status(caps, today=TODAY - datetime.timedelta(days=1)) == DEPRECATED
    assert retired_reason(caps, today=TODAY).endswith(": choose another model.")
    assert lifecycle_status(CAPABILITIES["kling-2.6-std"], today=TODAY) in (AVAILABLE, DEPRECATED)


def test_the_gone_message_is_about_the_model_not_the_shot():
    caps = veo_with(replacement="veo-3.1-fast")
    assert gone_message(caps, "404 model not found") == (
        "Google no longer serves Veo 3.1 to this studio: switch the shot to Veo 3.1 Fast. "
        "Nothing was made and nothing was charged. (404 model not found)"
    )


def test_the_recommender_skips_retired_and_unrunnable_models_but_keeps_the_current_one(
    monkeypatch,
):
    monkeypatch.setitem(
        CAPABILITIES,
        "seedance-1.5-pro",
        dataclasses.replace(CAPABILITIES["seedance-1.5-pro"], lifecycle=Lifecycle(status=RETIRED)),
    )
    spec = make_spec(duration_seconds=5)
    ranked = recommend(
        spec,
        runnable=lambda model: not model.startswith("kling"),
        current="kling-2.6-std",
        today=TODAY,
    )
    models = [rec.model for rec in ranked]
    assert "seedance-1.5-pro" not in models
    assert [m for m in models if m.startswith("kling")] == ["kling-2.6-std"]
    assert [rec.model for rec in ranked if rec.current] == ["kling-2.6-std"]


def test_a_deprecated_model_still_ranks_but_loses_points_with_its_date(monkeypatch):
    spec = make_spec(duration_seconds=5)
    before = {rec.model: rec.score for rec in recommend(spec, today=TODAY)}
    life = Lifecycle(status=DEPRECATED, retires_on=datetime.date(2027, 1, 15))
    monkeypatch.setitem(
        CAPABILITIES,
        "runway-gen4.5",
        dataclasses.replace(CAPABILITIES["runway-gen4.5"], lifecycle=life),
    )
    rec = next(r for r in recommend(spec, today=TODAY) if r.model == "runway-gen4.5")
    assert rec.score == before["runway-gen4.5"] - 2
    assert "-2 Runway retires Runway Gen-4.5 on 15 January 2027: choose another model" in (
        rec.reasons
    )


def test_a_move_reads_in_words_biggest_first_with_true_minus_signs():
    assert describe_move(CameraMove(pan=-3, dolly=5)) == "dolly in +5, pan left \u22123"
    assert describe_move(CameraMove()) == "static"


def test_what_will_be_sent_reads_in_words_for_each_kind_of_model():
    move = CameraMove(dolly=5, pan=-3)
    spec = make_spec(duration_seconds=5, camera=move)
    words = "5 s · 16:9 · 720p · no audio · camera: dolly in +5, pan left \u22123"
    # Previz takes the move as numbers: the words say the move, not a JSON object.
    assert compile_shot(spec, "previz").summary == words
    # Runway hears a move only in the prompt.
    assert compile_shot(spec, "runway-gen4.5").summary == f"{words} (in words, in the prompt)"
    # Higgsfield sends the dolly as a preset and says the pan in words.
    assert compile_shot(spec, "higgsfield-dop-turbo").summary == (
        f"{words} (partly in words, in the prompt)"
    )
    veo = compile_shot(make_spec(audio=True, seed=7), "veo-3.1").summary
    assert veo == "8 s · 16:9 · 720p · with audio · camera: static · seed 7"


def test_a_named_move_and_a_hero_frame_read_in_words():
    spec = make_spec(duration_seconds=5, motion_preset="crane_up", has_hero_frame=True)
    summary = compile_shot(spec, "higgsfield-dop-turbo").summary
    assert summary == "5 s · 16:9 · 720p · no audio · from the hero frame · camera: Crane Up"
