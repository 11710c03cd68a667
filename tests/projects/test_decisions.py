"""Decisions: an owner approves a shot's circled take for final; versions v1, v2, … of takes."""

from html import unescape

import pytest
from django.urls import reverse

from projects.models import Activity, ActivityKind, Shot, ShotStatus, Take, TakeKind, TakeState
from projects.selectors.board import storyboard_scenes
from projects.selectors.versions import stacked, version_numbers
from projects.services.takes import take_circle
from tests.factories import ShotFactory, take_of

pytestmark = pytest.mark.django_db


def make_take(shot, number, *, kind=TakeKind.VIDEO, state=TakeState.SUCCEEDED) -> Take:
    return take_of(shot, number, state=state, kind=kind)


def approve(client, shot, note=""):
    url = reverse("projects:shot-approve", args=[shot.project_id, shot.pk])
    return client.post(url, {"note": note})


@pytest.fixture
def circled(shot, owner):
    make_take(shot, 1)
    make_take(shot, 2, kind=TakeKind.FRAME)
    third = make_take(shot, 3)
    take_circle(take=third, user=owner)
    shot.refresh_from_db()
    return third


def test_an_owner_approves_the_circled_take_with_a_note(client, owner, shot, circled):
    client.force_login(owner)
    response = approve(client, shot, "Locked: the wave is right")
    assert response.status_code == 302
    shot.refresh_from_db()
    assert (shot.approved_take, shot.approved_by, shot.status) == (circled, owner, "approved")
    assert shot.approval_note == "Locked: the wave is right"
    assert shot.approved_at is not None
    activity = Activity.objects.filter(kind=ActivityKind.SHOT_APPROVED).get()
    assert activity.summary == (
        f"Approved take 3 of shot {shot.label} for final: Locked: the wave is right"
    )
    assert (activity.actor, activity.take) == (owner, circled)
    page = client.get(reverse("projects:shot", args=[shot.project_id, shot.pk])).content.decode()
    assert f"Approved · take 3 · by {owner.username}" in page
    assert "Locked: the wave is right" in page
    board = client.get(reverse("projects:storyboard", args=[shot.project_id])).content.decode()
    assert f"Approved · take 3 · by {owner.username}" in unescape(board)  # "&middot;" there


def test_an_editor_cannot_approve(client, editor, shot, circled):
    client.force_login(editor)
    assert approve(client, shot).status_code == 403
    assert Shot.objects.get(pk=shot.pk).approved_at is None


def test_approval_needs_a_circled_take(client, owner, shot):
    client.force_login(owner)
    response = approve(client, shot, "Anything")
    assert response.status_code == 422
    assert "Circle a take first" in response.content.decode()
    shot.refresh_from_db()
    assert (shot.approved_at, shot.status) == (None, ShotStatus.DRAFT)
    assert not Activity.objects.filter(kind=ActivityKind.SHOT_APPROVED).exists()


def test_a_note_over_500_characters_is_refused_and_kept(client, owner, shot, circled):
    client.force_login(owner)
    response = approve(client, shot, "x" * 501)
    assert response.status_code == 422
    html = response.content.decode()
    assert "under 500 characters" in html
    assert "x" * 501 in html
    assert Shot.objects.get(pk=shot.pk).approved_at is None


def test_circling_another_take_withdraws_the_approval(client, owner, editor, shot, circled):
    client.force_login(owner)
    approve(client, shot)
    client.force_login(editor)
    first = Take.objects.get(shot=shot, number=1)
    url = reverse("projects:take-action", args=[shot.project_id, first.pk, "circle"])
    client.post(url)
    shot.refresh_from_db()
    assert shot.circled_take == first
    assert (shot.approved_take, shot.approved_by, shot.approved_at) == (None, None, None)
    assert shot.status == ShotStatus.REVIEW
    kinds = list(Activity.objects.order_by("pk").values_list("kind", "summary", "actor"))
    assert kinds[-2] == (
        ActivityKind.TAKE_CIRCLED,
        f"Take 1 of shot {shot.label} circled",
        editor.pk,
    )
    assert kinds[-1][0] == ActivityKind.SHOT_APPROVED
    assert "withdrawn: the circled take changed" in kinds[-1][1]


def test_uncircling_is_recorded_with_who(owner, shot, circled):
    take_circle(take=circled, user=owner)
    latest = Activity.objects.order_by("-pk").first()
    assert (latest.kind, latest.actor) == (ActivityKind.TAKE_CIRCLED, owner)
    assert latest.summary == f"Take 3 of shot {shot.label} un-circled"


def test_an_owner_withdraws_an_approval(client, owner, editor, shot, circled):
    client.force_login(owner)
    approve(client, shot)
    url = reverse("projects:shot-unapprove", args=[shot.project_id, shot.pk])
    client.force_login(editor)
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.post(url).status_code == 302
    shot.refresh_from_db()
    assert (shot.approved_at, shot.status) == (None, ShotStatus.REVIEW)


def test_versions_count_video_takes_by_number_with_the_circled_on_top(shot, owner, circled):
    takes = list(shot.takes.filter(kind=TakeKind.VIDEO))
    fourth = make_take(shot, 4)
    takes.append(fourth)
    ordered = stacked(takes, circled_id=circled.pk)
    assert [(take.number, take.version) for take in ordered] == [(3, 2), (4, 3), (1, 1)]
    assert version_numbers(shot) == {take.pk: take.version for take in ordered}


def test_the_shot_page_and_the_board_show_versions(client, owner, shot, circled):
    make_take(shot, 4)
    client.force_login(owner)
    page = client.get(reverse("projects:shot", args=[shot.project_id, shot.pk])).content.decode()
    assert page.index("v2</span> · Take 3") < page.index("v3</span> · Take 4")
    board = client.get(reverse("projects:storyboard", args=[shot.project_id])).content.decode()
    assert "v2 circled of 3" in board


def test_board_versions_come_with_the_shots_query(project, shot, circled, scene):
    other = ShotFactory(scene=scene, label="9Z")
    make_take(other, 1)
    shots = {s.pk: s for s in storyboard_scenes(project)[0].shots.all()}
    assert (shots[shot.pk].circled_version, shots[shot.pk].versions) == (2, 2)
    assert (shots[other.pk].circled_version, shots[other.pk].versions) == (0, 1)
