"""Models that retire: a warning while a deprecated model still runs, a one-click switch to its
replacement, a refusal before any money is held once it is retired, and a take the provider
turns away as "model gone" ends failed in words about the model, not the shot."""

import dataclasses
import html as htmllib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects.models import LedgerEntry, Take, TakeState
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.services.takes import scene_generate, take_request
from providers.capabilities import CAPABILITIES
from providers.core.base import ModelRetired
from providers.core.capabilities import DEPRECATED, RETIRED, Lifecycle
from providers.design.preflight import spoken_date
from providers.previz.adapter import PrevizProvider
from tests.factories import ShotFactory
from tests.projects.test_money import priced_previz


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


def set_lifecycle(monkeypatch, model: str, **life) -> None:
    entry = dataclasses.replace(CAPABILITIES[model], lifecycle=Lifecycle(**life))
    monkeypatch.setitem(CAPABILITIES, model, entry)


@pytest.fixture
def later():
    return timezone.localdate() + timedelta(days=90)


@pytest.fixture
def deprecated_previz(monkeypatch, later):
    set_lifecycle(monkeypatch, "previz", status=DEPRECATED, retires_on=later, replacement="veo-3.1")


@pytest.fixture
def retired_previz(monkeypatch):
    gone = timezone.localdate() - timedelta(days=3)
    set_lifecycle(monkeypatch, "previz", status=RETIRED, retires_on=gone, replacement="veo-3.1")
    return gone


@pytest.fixture
def ready_shot(scene):
    return ShotFactory(scene=scene, label="1A", duration_seconds=2, status="ready")


def test_a_deprecated_model_warns_with_its_date_and_offers_the_switch(
    client, editor, project, ready_shot, deprecated_previz, later
):
    client.force_login(editor)
    html = text(client.get(reverse("projects:shot", args=[project.pk, ready_shot.pk])))
    assert f"Previz retires Previz on {spoken_date(later)}: switch the shot to Veo 3.1." in html
    assert ">Switch to Veo 3.1</button>" in html
    # Still served: a warning, not a blocker.
    assert 'id="generate" disabled' not in html


def test_switch_sets_the_model_and_redraws_preview_field_and_generate(
    client, editor, project, ready_shot, deprecated_previz
):
    client.force_login(editor)
    response = client.post(
        reverse("projects:shot-use-model", args=[project.pk, ready_shot.pk]),
        {"model": "veo-3.1"},
        HTTP_HX_REQUEST="true",
    )
    html = text(response)
    assert response.status_code == 200
    ready_shot.refresh_from_db()
    assert ready_shot.target_model == "veo-3.1"
    assert "What Veo 3.1 will be sent" in html
    assert '<div id="target-model-field" hx-swap-oob="true">' in html
    assert '<option value="veo-3.1" selected>' in html
    assert 'id="generate-form" hx-swap-oob="true"' in html
    assert "Generate on Veo 3.1" in html


def test_a_viewer_cannot_switch_the_model(client, viewer, project, ready_shot, deprecated_previz):
    client.force_login(viewer)
    response = client.post(
        reverse("projects:shot-use-model", args=[project.pk, ready_shot.pk]),
        {"model": "veo-3.1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    ready_shot.refresh_from_db()
    assert ready_shot.target_model == "previz"


def test_a_retired_model_is_a_preflight_error_and_generate_says_why(
    client, editor, project, ready_shot, retired_previz
):
    client.force_login(editor)
    html = text(client.get(reverse("projects:shot", args=[project.pk, ready_shot.pk])))
    reason = (
        f"Previz no longer serves Previz since {spoken_date(retired_previz)}: "
        "switch the shot to Veo 3.1."
    )
    assert f'<div class="preflight" id="preflight-target_model" aria-live="polite"><p>{reason}' in (
        html
    )
    assert 'id="generate" disabled' in html
    assert ">Switch to Veo 3.1</button>" in html


def test_a_retired_model_is_refused_before_any_money_is_held(editor, ready_shot, retired_previz):
    priced_previz()
    with pytest.raises(ValidationError) as error:
        take_request(shot=ready_shot, user=editor)
    assert "no longer serves Previz" in error.value.messages[0]
    assert not Take.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_a_deprecated_model_past_its_date_counts_as_retired(monkeypatch, editor, ready_shot):
    priced_previz()
    yesterday = timezone.localdate() - timedelta(days=1)
    set_lifecycle(monkeypatch, "previz", status=DEPRECATED, retires_on=yesterday)
    with pytest.raises(ValidationError) as error:
        take_request(shot=ready_shot, user=editor)
    assert error.value.messages == [
        f"Previz no longer serves Previz since {spoken_date(yesterday)}: choose another model."
    ]
    assert not LedgerEntry.objects.exists()


def test_scene_generate_skips_a_retired_shot_and_holds_nothing(
    editor, scene, ready_shot, retired_previz
):
    priced_previz()
    result = scene_generate(scene=scene, user=editor)
    assert result.started == []
    assert "no longer serves" in result.skipped["1A"]
    assert not LedgerEntry.objects.exists()


def _retired(*args, **kwargs):
    raise ModelRetired("Model not found: previz-v1 (HTTP 404)")


def test_model_gone_at_submit_ends_the_take_failed_in_words_about_the_model(
    monkeypatch, client, editor, project, ready_shot, render_queue
):
    set_lifecycle(monkeypatch, "previz", replacement="veo-3.1")
    take = take_request(shot=ready_shot, user=editor)
    monkeypatch.setattr(PrevizProvider, "submit", _retired)
    take_submit(take.pk)
    take.refresh_from_db()
    assert (take.state, take.error_kind) == (TakeState.FAILED, "model_retired")
    assert take.error_message.startswith(
        "Previz no longer serves Previz to this studio: switch the shot to "
        "Veo 3.1. Nothing was made and nothing was charged."
    )
    client.force_login(editor)
    card = text(client.get(reverse("projects:take-card", args=[project.pk, take.pk])))
    assert f'id="retired-note-{take.pk}"' in card
    assert "Rejected by the provider" not in card


def test_model_gone_at_poll_fails_the_take_at_once_and_releases_the_hold(
    monkeypatch, editor, ready_shot, render_queue
):
    priced_previz()
    take = take_request(shot=ready_shot, user=editor)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING
    monkeypatch.setattr(PrevizProvider, "poll", _retired)
    take_follow(take.pk)
    take.refresh_from_db()
    assert (take.state, take.error_kind, take.poll_errors) == (
        TakeState.FAILED,
        "model_retired",
        0,
    )
    assert "no longer serves Previz" in take.error_message
    held = sum(e.reserved_change for e in LedgerEntry.objects.filter(take=take))
    assert held == 0


def test_a_take_awaiting_approval_is_not_sent_once_its_model_retired(
    monkeypatch, editor, owner, project, ready_shot
):
    from decimal import Decimal

    from projects.services.takes import take_approve, take_decline

    priced_previz("1.00")
    project.approval_threshold = Decimal("1.00")
    project.save()
    take = take_request(shot=ready_shot, user=editor)  # $2: waits for an owner
    assert take.state == TakeState.AWAITING_APPROVAL
    set_lifecycle(monkeypatch, "previz", status=RETIRED, replacement="veo-3.1")
    with pytest.raises(ValidationError) as error:
        take_approve(take=take, user=owner)
    assert error.value.messages == ["Previz no longer serves Previz: switch the shot to Veo 3.1."]
    assert Take.objects.get(pk=take.pk).state == TakeState.AWAITING_APPROVAL
    take_decline(take=take, user=owner)  # the way out: the hold is released
    held = sum(e.reserved_change for e in LedgerEntry.objects.filter(take=take))
    assert held == 0
