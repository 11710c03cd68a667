"""The final-render gate, duplicate requests, and promoting a draft to a final render."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import Project, RateCard, Take, TakeState
from projects.pipeline.submit import take_submit
from projects.services.takes import DuplicateTake, take_promote, take_request
from tests.factories import ShotFactory


@pytest.fixture
def costly(project, scene):
    RateCard.objects.filter(model="previz").update(price=Decimal("1.00"))
    project.approval_threshold = Decimal("3.00")
    project.budget = Decimal("20.00")
    project.save()
    return ShotFactory(scene=scene, duration_seconds=5)  # $5, above the $3 limit


def test_an_expensive_take_waits_for_an_owner(client, editor, owner, project, costly):
    client.force_login(editor)
    response = client.post(
        reverse("projects:take-create", args=[project.pk, costly.pk]), follow=True
    )
    take = Take.objects.get(shot=costly)
    assert take.state == TakeState.AWAITING_APPROVAL
    assert "above the project's approval limit: it waits for an owner's approval." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert Project.objects.get(pk=project.pk).reserved == Decimal("5")
    take_submit(take.pk)  # a stray message changes nothing
    assert Take.objects.get(pk=take.pk).state == TakeState.AWAITING_APPROVAL
    approve = reverse("projects:take-action", args=[project.pk, take.pk, "approve"])
    assert client.post(approve).status_code == 403  # editors cannot approve
    client.force_login(owner)
    client.post(approve)
    assert Take.objects.get(pk=take.pk).state == TakeState.QUEUED


def test_a_declined_take_releases_its_hold(client, editor, owner, project, costly):
    take = take_request(shot=costly, user=editor)
    client.force_login(owner)
    client.post(reverse("projects:take-action", args=[project.pk, take.pk, "decline"]))
    take.refresh_from_db()
    assert take.state == TakeState.CANCELED
    assert take.error_message.startswith("Declined by ")
    assert Project.objects.get(pk=project.pk).reserved == 0


def test_the_same_request_twice_is_offered_the_existing_take(client, editor, project, shot):
    first = take_request(shot=shot, user=editor)
    Take.objects.filter(pk=first.pk).update(state=TakeState.SUCCEEDED)
    with pytest.raises(DuplicateTake) as duplicate:
        take_request(shot=shot, user=editor)
    assert duplicate.value.existing == first
    client.force_login(editor)
    url = reverse("projects:take-create", args=[project.pk, shot.pk])
    response = client.post(url)
    assert response["Location"].endswith(f"?duplicate={first.pk}#takes")
    assert Take.objects.filter(shot=shot).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Generate again anyway" in page
    client.post(url, {"allow_duplicate": "1"})
    assert Take.objects.filter(shot=shot).count() == 2


def test_a_changed_shot_is_not_a_duplicate(editor, shot):
    first = take_request(shot=shot, user=editor)
    Take.objects.filter(pk=first.pk).update(state=TakeState.SUCCEEDED)
    shot.pan = 6
    shot.save()
    assert take_request(shot=shot, user=editor).number == 2


def test_promote_a_circled_draft_to_a_final_render(editor, shot, monkeypatch):
    draft = take_request(shot=shot, user=editor)
    Take.objects.filter(pk=draft.pk).update(state=TakeState.SUCCEEDED)
    draft.refresh_from_db()
    monkeypatch.setenv("ARK_API_KEY", "a-key")
    from projects.registry import _build

    _build.cache_clear()
    final = take_promote(take=draft, model="seedance-1.5-pro", resolution="1080p", user=editor)
    _build.cache_clear()
    assert (final.promoted_from, final.model, final.spec["resolution"]) == (
        draft,
        "seedance-1.5-pro",
        "1080p",
    )
    assert final.spec["subject"] == draft.spec["subject"]
    assert final.estimated_cost > 0


def test_promote_to_a_model_without_keys_says_so(editor, shot):
    draft = take_request(shot=shot, user=editor)
    Take.objects.filter(pk=draft.pk).update(state=TakeState.SUCCEEDED)
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        take_promote(take=draft, model="veo-3.1", resolution="1080p", user=editor)
    assert "Veo 3.1 is unavailable: No Gemini API key" in error.value.messages[0]
