"""Extend a ready take (Veo scene extension) and a Seedance draft made final from its task: the
services, the money, what the worker sends, and the take card."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from projects.models import LedgerEntry, Take, TakeState
from projects.pipeline.requests import generation_request
from projects.selectors.books import books_out_of_balance
from projects.selectors.money import held_for, take_quote
from projects.selectors.shot_spec import shot_spec
from projects.selectors.snapshots import spec_from_dict
from projects.services.continuations import take_extend, take_request_draft
from projects.services.takes import DuplicateTake, take_promote, take_retry
from providers.core.media import probe
from tests.factories import ShotFactory
from tests.queries import SESSION

GEMINI_FILE = "https://generativelanguage.googleapis.com/v1beta/files/abc123:download?alt=media"
# The Gemini API's -preview Veo ids are shut down: an account names the ids its key lists
# (GEMINI_VEO_MODEL_IDS, studio/settings.py); in the simulator the GA ids stand in for them.
GEMINI_MODEL_IDS = "veo-3.1=veo-3.1-generate-001,veo-3.1-fast=veo-3.1-fast-generate-001"


@pytest.fixture(autouse=True)
def gemini_lists_a_veo_id(monkeypatch):
    from projects.registry import _build

    monkeypatch.setenv("GEMINI_VEO_MODEL_IDS", GEMINI_MODEL_IDS)
    _build.cache_clear()
    yield
    _build.cache_clear()


@pytest.fixture
def veo_shot(scene):
    return ShotFactory(
        scene=scene,
        label="2A",
        target_model="veo-3.1",
        duration_seconds=8,
        resolution="1080p",
        aspect_ratio="16:9",
        subject="A keeper",
        action="lifts a storm lantern",
    )


def ready_take(shot, *, number=1, seconds=8.0, saved_ago=timedelta(hours=1), **fields) -> Take:
    """A Veo take the worker finished: its operation, Google's link to the file, our copy."""
    now = timezone.now()
    take = Take.objects.create(
        project=shot.project,
        shot=shot,
        number=number,
        model="veo-3.1",
        provider="google-veo",
        prompt="A keeper lifts a storm lantern.",
        params={"durationSeconds": 8, "resolution": "1080p"},
        spec=dataclasses.asdict(shot_spec(shot)),
        state=TakeState.SUCCEEDED,
        remote_id="models/veo-3.1-generate-preview/operations/op1",
        result_url=GEMINI_FILE,
        running_at=now - saved_ago - timedelta(minutes=2),
        downloading_at=now - saved_ago,
        finished_at=now - saved_ago,
        duration_seconds=seconds,
        estimated_cost=Decimal("3.20"),
        **fields,
    )
    take.video.save("take.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 the clip"), save=True)
    return take


def extension_price(resolution="720p") -> Decimal:
    spec = dataclasses.replace(
        shot_spec(ShotFactory.build(target_model="veo-3.1")),
        duration_seconds=7,
        resolution=resolution,
    )
    return take_quote("veo-3.1", spec).amount


# --- the service -----------------------------------------------------------------------------
def test_extend_makes_a_new_take_of_seven_seconds_priced_and_held(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)

    new = take_extend(take=parent, user=editor)

    assert (new.extends, new.shot, new.model, new.number) == (parent, veo_shot, "veo-3.1", 2)
    assert new.state == TakeState.QUEUED
    # Priced at the extension's seconds, at Veo's extension size (720p, not the clip's 1080p).
    assert new.spec["duration_seconds"] == 7 and new.spec["resolution"] == "720p"
    quoted = take_quote("veo-3.1", spec_from_dict(new.spec))
    assert (quoted.unit, quoted.quantity, quoted.rate.resolution) == ("second", 7, "720p")
    assert new.estimated_cost == quoted.amount == 7 * quoted.rate.price == extension_price()
    assert new.input_images == []  # the clip is continued, no frames are sent
    assert "storm lantern" in new.prompt
    assert held_for(new.pk) == new.estimated_cost
    hold = LedgerEntry.objects.get(take=new)
    assert hold.note == f"hold for take 2 of {veo_shot.label}"
    veo_shot.project.refresh_from_db()
    assert veo_shot.project.reserved == new.estimated_cost


def test_the_extension_takes_the_shot_as_it_reads_now(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)
    veo_shot.action = "sets the lantern down on the rail"
    veo_shot.save()
    new = take_extend(take=parent, user=editor)
    assert "sets the lantern down" in new.prompt


def test_a_second_extend_while_the_first_is_in_flight_is_refused(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)
    first = take_extend(take=parent, user=editor)
    with pytest.raises(DuplicateTake) as refused:
        take_extend(take=parent, user=editor)
    assert refused.value.existing == first
    assert Take.objects.filter(extends=parent).count() == 1
    # Asked for again on purpose: a second extension.
    assert take_extend(take=parent, user=editor, allow_duplicate=True).extends == parent


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (dict(state=TakeState.FAILED), "Only a finished take with a video can be extended."),
        (dict(model="previz", provider="previz"), "Previz cannot extend a clip it made."),
        (dict(duration_seconds=145.0), "extends clips up to 148 s in all"),
        (dict(result_url=""), "it gave no link to this one"),
        (
            dict(downloading_at=timezone.now() - timedelta(days=2, minutes=1)),
            "Too late to extend: the Gemini API keeps a Veo 3.1 video for about 2 days",
        ),
    ],
)
def test_extend_is_refused_in_plain_words(simulator, editor, veo_shot, change, words):
    parent = ready_take(veo_shot)
    Take.objects.filter(pk=parent.pk).update(**change)
    parent.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        take_extend(take=parent, user=editor)
    assert words in " ".join(refused.value.messages)
    assert not Take.objects.filter(extends=parent).exists()
    assert not LedgerEntry.objects.filter(take__extends=parent).exists()


def test_extend_is_refused_over_the_budget_and_holds_nothing(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)
    project = veo_shot.project
    project.budget = Decimal("1.00")
    project.save()
    with pytest.raises(ValidationError) as refused:
        take_extend(take=parent, user=editor)
    assert "budget" in " ".join(refused.value.messages)
    project.refresh_from_db()
    assert project.reserved == 0
    assert not Take.objects.filter(extends=parent).exists()


def test_an_extension_above_the_approval_limit_waits_for_an_owner(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)
    project = veo_shot.project
    project.approval_threshold = Decimal("1.00")
    project.save()
    new = take_extend(take=parent, user=editor)
    assert new.state == TakeState.AWAITING_APPROVAL
    assert held_for(new.pk) == new.estimated_cost


def test_retrying_a_failed_extension_continues_the_same_clip(simulator, editor, veo_shot):
    parent = ready_take(veo_shot)
    first = take_extend(take=parent, user=editor)
    Take.objects.filter(pk=first.pk).update(state=TakeState.FAILED)
    first.refresh_from_db()
    again = take_retry(take=first, user=editor)
    assert (again.extends, again.retry_of, again.prompt) == (parent, first, first.prompt)


# --- what the worker sends -------------------------------------------------------------------
def test_the_request_continues_the_clip_with_its_link_a_copy_and_its_length(
    simulator, editor, veo_shot
):
    parent = ready_take(veo_shot, seconds=8.04)
    new = take_extend(take=parent, user=editor)
    with generation_request(Take.objects.get(pk=new.pk)) as request:
        continues = request.continues
        assert continues is not None
        assert (continues.kind, continues.remote_id, continues.result_url) == (
            "extend",
            parent.remote_id,
            GEMINI_FILE,
        )
        assert continues.duration_seconds == 8.04
        with open(continues.video_path, "rb") as copy:
            assert copy.read() == b"\x00\x00\x00\x18ftypmp42 the clip"
        assert request.images == ()
        scratch = continues.video_path
    assert not os.path.exists(scratch)  # the scratch copy goes when the call is done


def test_a_plain_take_continues_nothing(simulator, editor, veo_shot):
    take = ready_take(veo_shot)
    with generation_request(take) as request:
        assert request.continues is None
        assert "draft" not in request.options


# --- Seedance: a draft, then a final made from its task ---------------------------------------
@pytest.fixture
def seedance_shot(scene):
    return ShotFactory(
        scene=scene,
        label="3A",
        target_model="seedance-1.5-pro",
        duration_seconds=6,  # a length Veo makes too, for the promote to Veo
        resolution="1080p",
        aspect_ratio="16:9",
    )


def test_a_draft_is_sent_as_a_draft_at_480p_and_priced_there(simulator, editor, seedance_shot):
    draft = take_request_draft(shot=seedance_shot, user=editor)
    assert draft.params["draft"] is True
    assert draft.spec["resolution"] == "480p" and draft.params["resolution"] == "480p"
    at_480 = dataclasses.replace(shot_spec(seedance_shot), resolution="480p")
    assert draft.estimated_cost == take_quote("seedance-1.5-pro", at_480).amount
    assert draft.estimated_cost < take_quote("seedance-1.5-pro", shot_spec(seedance_shot)).amount
    with generation_request(draft) as request:
        assert request.options["draft"] is True
        assert request.continues is None


def test_a_model_without_drafts_offers_none(simulator, editor, veo_shot):
    with pytest.raises(ValidationError) as refused:
        take_request_draft(shot=veo_shot, user=editor)
    assert refused.value.messages == ["Veo 3.1 makes no drafts: generate the shot instead."]


def finished(take: Take, remote_id: str, *, ago=timedelta(hours=1)) -> Take:
    when = timezone.now() - ago
    Take.objects.filter(pk=take.pk).update(
        state=TakeState.SUCCEEDED, remote_id=remote_id, running_at=when, downloading_at=when
    )
    take.refresh_from_db()
    return take


def test_the_final_of_a_draft_is_made_from_its_task(simulator, editor, seedance_shot):
    draft = finished(take_request_draft(shot=seedance_shot, user=editor), "cgt-draft-1")
    final = take_promote(take=draft, model="seedance-1.5-pro", resolution="1080p", user=editor)
    assert final.promoted_from == draft
    assert "draft" not in final.params and final.params["resolution"] == "1080p"
    assert final.input_images == []
    at_1080 = dataclasses.replace(shot_spec(seedance_shot), resolution="1080p")
    assert final.estimated_cost == take_quote("seedance-1.5-pro", at_1080).amount
    with generation_request(final) as request:
        assert request.continues is not None
        assert (request.continues.kind, request.continues.remote_id) == (
            "final_from_draft",
            "cgt-draft-1",
        )
        assert "draft" not in request.options and request.images == ()


def test_a_draft_promoted_to_another_model_is_generated_afresh(simulator, editor, seedance_shot):
    draft = finished(take_request_draft(shot=seedance_shot, user=editor), "cgt-draft-2")
    final = take_promote(take=draft, model="veo-3.1", resolution="720p", user=editor)
    with generation_request(final) as request:
        assert request.continues is None


def test_a_draft_older_than_seven_days_cannot_be_made_final(simulator, editor, seedance_shot):
    draft = take_request_draft(shot=seedance_shot, user=editor)
    draft = finished(draft, "cgt-draft-3", ago=timedelta(days=7))
    with pytest.raises(ValidationError) as refused:
        take_promote(take=draft, model="seedance-1.5-pro", resolution="1080p", user=editor)
    assert "keeps a draft task 7 days" in refused.value.messages[0]


# --- the take card ---------------------------------------------------------------------------
def card(client, take) -> str:
    url = reverse("projects:take-card", args=[take.project_id, take.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_ready_veo_card_offers_extend_with_its_price(simulator, client, editor, veo_shot):
    parent = ready_take(veo_shot)
    client.force_login(editor)
    html = card(client, parent)
    assert f"Extend +7 s · ${extension_price():.2f}" in html
    assert reverse("projects:take-extend", args=[parent.project_id, parent.pk]) in html


def test_a_viewer_sees_no_extend_button(simulator, client, viewer, veo_shot):
    parent = ready_take(veo_shot)
    client.force_login(viewer)
    assert "Extend +7 s" not in card(client, parent)


def test_too_late_is_said_on_the_card(simulator, client, editor, veo_shot):
    parent = ready_take(veo_shot, saved_ago=timedelta(days=3))
    client.force_login(editor)
    html = card(client, parent)
    assert "Too late to extend" in html
    assert 'disabled aria-describedby="extend-note-' in html


def test_extend_through_htmx_adds_the_new_card_and_redraws_the_old(
    simulator, client, editor, veo_shot
):
    parent = ready_take(veo_shot)
    client.force_login(editor)
    url = reverse("projects:take-extend", args=[parent.project_id, parent.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    new = Take.objects.get(extends=parent)
    html = response.content.decode()
    assert f'id="take-{new.pk}"' in html and "Continues take 1" in html
    assert 'hx-swap-oob="true"' in html and "Extended by take 2" in html
    # The shot page says both too.
    page = client.get(reverse("projects:shot", args=[veo_shot.project_id, veo_shot.pk]))
    text = page.content.decode()
    assert "Continues take 1" in text and "Extended by take 2" in text


def test_a_refused_extend_is_said_where_the_button_is(simulator, client, editor, veo_shot):
    parent = ready_take(veo_shot)
    veo_shot.project.budget = Decimal("0.50")
    veo_shot.project.save()
    client.force_login(editor)
    url = reverse("projects:take-extend", args=[parent.project_id, parent.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#take-{parent.pk}"
    assert f'id="extend-error-{parent.pk}"' in response.content.decode()
    assert not Take.objects.filter(extends=parent).exists()


def test_extend_without_htmx_redirects_with_a_message(simulator, client, editor, veo_shot):
    parent = ready_take(veo_shot)
    client.force_login(editor)
    url = reverse("projects:take-extend", args=[parent.project_id, parent.pk])
    response = client.post(url)
    assert response.status_code == 302
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages[-1].startswith("Take 2 continues take 1 (up to $")


def test_the_draft_button_is_offered_for_seedance_only(
    simulator, client, editor, seedance_shot, veo_shot
):
    client.force_login(editor)
    page = client.get(reverse("projects:shot", args=[seedance_shot.project_id, seedance_shot.pk]))
    assert "Draft first (480p) · up to $" in page.content.decode()
    page = client.get(reverse("projects:shot", args=[veo_shot.project_id, veo_shot.pk]))
    assert "Draft first" not in page.content.decode()
    response = client.post(
        reverse("projects:take-draft", args=[seedance_shot.project_id, seedance_shot.pk])
    )
    assert response.status_code == 302
    draft = Take.objects.get(shot=seedance_shot)
    assert draft.params["draft"] is True
    assert ">Draft</span>" in card(client, draft)


def test_a_ready_extendable_card_costs_two_queries_more(
    simulator, client, viewer, veo_shot, django_assert_num_queries
):
    parent = ready_take(veo_shot)
    client.force_login(viewer)
    url = reverse("projects:take-card", args=[parent.project_id, parent.pk])
    # The session (unless Redis holds it), the user, the take with its project, shot, history
    # and the viewer's role; then the rate cards (Extend's price) and the takes that extend it.
    with django_assert_num_queries(SESSION + 4):
        assert client.get(url).status_code == 200


# --- end to end: a real worker, the simulator speaking Veo's and Seedance's contracts ---------
def post(client, name: str, *args, **data):
    return client.post(reverse(f"projects:{name}", args=args), data)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_veo_take_is_extended_end_to_end(client, simulator, pipeline_worker):
    from tests.test_providers_end_to_end import final_state, generate, make_shot

    user, shot = make_shot("veo-3.1")
    first = final_state(generate(client, user, shot))
    assert first.state == TakeState.SUCCEEDED, (first.error_kind, first.error_message)
    response = post(client, "take-extend", shot.project_id, first.pk)
    assert response.status_code == 302
    extension = final_state(Take.objects.get(extends=first))

    assert extension.state == TakeState.SUCCEEDED, (extension.error_kind, extension.error_message)
    # Google was sent the earlier result back, by its link, and nothing else to start from.
    sent = [body for provider, body in simulator.sim.submissions if provider == "gemini"]
    assert len(sent) == 2
    instance = sent[1]["instances"][0]
    assert instance["video"] == {"uri": first.result_url}
    assert "image" not in instance
    # The clip stored is the one Veo returned, probed as any other.
    assert extension.video and extension.duration_seconds
    assert probe(extension.video.path).codec == "h264"
    # Charged at the extension's seven seconds, and the ledger names the take.
    assert extension.estimated_cost == extension_price()
    notes = list(LedgerEntry.objects.filter(take=extension).values_list("kind", "note"))
    assert notes[0] == ("reserve", f"hold for take 2 of {shot.label}")
    assert {kind for kind, _ in notes} == {"reserve", "settle"}
    assert held_for(extension.pk) == 0
    assert books_out_of_balance() == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_seedance_draft_then_its_final_end_to_end(client, simulator, pipeline_worker):
    from tests.test_providers_end_to_end import final_state, make_shot

    user, shot = make_shot("seedance-1.5-pro")
    client.force_login(user)
    assert post(client, "take-draft", shot.project_id, shot.pk).status_code == 302
    draft = final_state(Take.objects.get(shot=shot))
    assert draft.state == TakeState.SUCCEEDED, (draft.error_kind, draft.error_message)

    response = post(
        client,
        "take-action",
        shot.project_id,
        draft.pk,
        "promote",
        model="seedance-1.5-pro",
        resolution="1080p",
    )
    assert response.status_code == 302
    final = final_state(Take.objects.get(promoted_from=draft))
    assert final.state == TakeState.SUCCEEDED, (final.error_kind, final.error_message)

    sent = [body for provider, body in simulator.sim.submissions if provider == "seedance"]
    assert len(sent) == 2
    assert sent[0]["draft"] is True and sent[0]["resolution"] == "480p"
    # The final was made from the draft's task: its id went, the shot's images did not.
    assert sent[1]["draft_task_id"] == draft.remote_id
    assert "draft" not in sent[1]
    assert probe(final.video.path).codec == "h264"
    assert draft.estimated_cost < final.estimated_cost
    assert held_for(draft.pk) == held_for(final.pk) == 0
    assert books_out_of_balance() == []


def test_the_same_extension_again_is_offered_on_purpose(simulator, client, editor, veo_shot):
    parent = ready_take(veo_shot)
    first = take_extend(take=parent, user=editor)
    Take.objects.filter(pk=first.pk).update(state=TakeState.SUCCEEDED)
    client.force_login(editor)
    url = reverse("projects:take-extend", args=[parent.project_id, parent.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Take 2 already has exactly this request and a finished video." in html
    assert 'name="allow_duplicate" value="1"' in html
    assert client.post(url, {"allow_duplicate": "1"}, HTTP_HX_REQUEST="true").status_code == 200
    assert Take.objects.filter(extends=parent).count() == 2


def test_a_platform_that_extends_short_clips_only_says_so(simulator, veo_shot):
    # Vertex AI extends clips of at most 30 s; take_extend asks the built provider its limit.
    from projects.selectors.continuations import extend_refusal

    parent = ready_take(veo_shot, seconds=36.0)
    assert extend_refusal(parent) == ""  # the Gemini API goes to 148 s
    assert extend_refusal(parent, longest_input=30.0) == (
        "This clip is 36 s; this studio's Veo 3.1 platform extends clips of at most 30 s."
    )


def test_retrying_a_failed_final_makes_it_from_the_draft_again(simulator, editor, seedance_shot):
    draft = finished(take_request_draft(shot=seedance_shot, user=editor), "cgt-draft-4")
    final = take_promote(take=draft, model="seedance-1.5-pro", resolution="720p", user=editor)
    Take.objects.filter(pk=final.pk).update(state=TakeState.FAILED)
    final.refresh_from_db()
    again = take_retry(take=final, user=editor)
    assert (again.promoted_from, again.retry_of) == (draft, final)
    with generation_request(again) as request:
        assert request.continues.kind == "final_from_draft"
        assert request.continues.remote_id == "cgt-draft-4"
