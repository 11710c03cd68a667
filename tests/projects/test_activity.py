"""The project's activity: written where things happen, read on the activity page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import (
    Activity,
    ActivityKind,
    Notification,
    NotificationReason,
    RateCard,
    TakeState,
)
from projects.services.activity import activity_record
from projects.services.take_states import move
from projects.services.takes import take_request
from tests.factories import MembershipFactory, ProjectFactory, SceneFactory, ShotFactory
from tests.queries import SESSION

pytestmark = pytest.mark.django_db


def kinds(project) -> list[str]:
    return list(Activity.objects.filter(project=project).values_list("kind", flat=True))


def test_adding_and_deleting_a_shot_is_recorded_with_who(client, editor, project, scene):
    client.force_login(editor)
    client.post(
        reverse("projects:shot-create", args=[project.pk, scene.pk]),
        {
            f"add-{scene.pk}-subject": "A keeper climbs",
            f"add-{scene.pk}-duration_seconds": 4,
            f"add-{scene.pk}-shot_size": "cu",
        },
    )
    added = Activity.objects.get(project=project, kind=ActivityKind.SHOT_CREATED)
    assert added.actor == editor and added.shot is not None
    assert added.summary.startswith("Added shot ")
    client.post(reverse("projects:shot-delete", args=[project.pk, added.shot_id]))
    deleted = Activity.objects.get(project=project, kind=ActivityKind.SHOT_DELETED)
    assert deleted.summary == f"Deleted shot {added.summary.split()[2]}"
    assert deleted.actor_name == editor.username


def test_a_requested_take_reads_as_a_filmmaker_says_it(editor, project, shot):
    take = take_request(shot=shot, user=editor)
    line = Activity.objects.get(project=project, kind=ActivityKind.TAKE_REQUESTED)
    assert line.summary == (
        f"Requested take {take.number} of shot {shot.label} on {take.get_model_display()} "
        f"(up to ${take.estimated_cost:.2f})"
    )
    assert (line.take_id, line.shot_id, line.actor) == (take.pk, shot.pk, editor)


def test_a_finished_take_tells_its_requester_and_a_failed_one_too(editor, project, shot):
    take = take_request(shot=shot, user=editor)
    move(take.pk, TakeState.QUEUED, TakeState.SUCCEEDED)
    done = Notification.objects.get(user=editor)
    assert done.reason == NotificationReason.TAKE_FINISHED
    assert done.activity.summary == f"Take {take.number} of shot {shot.label} is ready to review"
    again = take_request(shot=shot, user=editor, allow_duplicate=True)
    move(again.pk, TakeState.QUEUED, TakeState.FAILED, error_message="The provider said no.")
    failed = Notification.objects.filter(user=editor).latest("pk")
    assert failed.reason == NotificationReason.TAKE_FAILED
    assert "failed: The provider said no." in failed.activity.summary
    # A canceled take is nobody's news.
    third = take_request(shot=shot, user=editor, allow_duplicate=True)
    move(third.pk, TakeState.QUEUED, TakeState.CANCELED)
    assert Notification.objects.filter(user=editor).count() == 2


def test_a_costly_take_notifies_every_owner_and_the_decision_is_recorded(
    client, editor, owner, project, scene
):
    other_owner = MembershipFactory(project=project, role="owner").user
    RateCard.objects.filter(model="previz").update(price=Decimal("1.00"))
    project.approval_threshold, project.budget = Decimal("3.00"), Decimal("20.00")
    project.save()
    take = take_request(shot=ShotFactory(scene=scene, duration_seconds=5), user=editor)
    assert take.state == TakeState.AWAITING_APPROVAL
    waiting = Notification.objects.filter(reason=NotificationReason.APPROVAL)
    assert {n.user for n in waiting} == {owner, other_owner}
    client.force_login(owner)
    client.post(reverse("projects:take-action", args=[project.pk, take.pk, "approve"]))
    approved = Activity.objects.filter(project=project).first()
    assert approved.summary.startswith(f"Approved take {take.number}")
    assert approved.actor == owner


def test_budget_and_role_changes_say_before_and_after(client, owner, editor, project, scene):
    client.force_login(owner)
    data = {
        "name": project.name,
        "logline": "",
        "aspect_ratio": project.aspect_ratio,
        "default_model": project.default_model,
        "budget": "150",
        "approval_threshold": "",
    }
    client.post(reverse("projects:settings", args=[project.pk]), data)
    line = Activity.objects.get(project=project, kind=ActivityKind.BUDGET_CHANGED)
    assert line.changes == {"budget": ["no limit", "$150.00"]}
    client.post(reverse("projects:settings", args=[project.pk]), data)  # nothing changed
    assert kinds(project).count(ActivityKind.BUDGET_CHANGED) == 1
    member = project.memberships.get(user=editor)
    client.post(
        reverse("projects:member-role", args=[project.pk, member.pk]),
        {"role": "viewer", "monthly_quota": ""},
    )
    role = Activity.objects.get(project=project, kind=ActivityKind.ROLE_CHANGED)
    assert role.summary == f"Made {editor.username} viewer (was editor)"


def lines_of(project, n):
    Activity.objects.bulk_create(
        Activity(
            project=project,
            kind=ActivityKind.SHOT_EDITED,
            summary=f"Edit {i}",
            actor_name="ada",
            changes={"subject": ["before", f"after {i}"]},
        )
        for i in range(n)
    )


@pytest.mark.parametrize("history", [10, 1000])
def test_the_activity_page_costs_the_same_whatever_the_history(
    client, viewer, project, scene, history, django_assert_num_queries
):
    ShotFactory(scene=scene)
    lines_of(project, history)
    client.force_login(viewer)
    url = reverse("projects:activity", args=[project.pk])
    client.get(url)
    # session, user, membership, the page of lines, scenes, shots, people, unread count
    with django_assert_num_queries(SESSION + 7):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Edit {history - 1}" in page and "after" in page
    assert ("Older" in page) == (history > 50)


def test_older_pages_and_filters(client, viewer, project, scene):
    shot = ShotFactory(scene=scene)
    lines_of(project, 60)
    activity_record(
        project_id=project.pk,
        kind=ActivityKind.TAKE_REQUESTED,
        summary="Only this one",
        shot_id=shot.pk,
        scene_id=scene.pk,
    )
    client.force_login(viewer)
    url = reverse("projects:activity", args=[project.pk])
    first = client.get(url).content.decode()
    assert "Only this one" in first and "Edit 9<" not in first
    oldest = Activity.objects.filter(project=project).order_by("pk").first()
    second = client.get(url, {"before": oldest.pk + 11}).content.decode()
    assert "Edit 0<" in second and "Only this one" not in second
    only = client.get(url, {"shot": shot.pk, "kind": "take_requested"}).content.decode()
    assert "Only this one" in only and "Edit 1<" not in only
    assert client.get(url, {"scene": "x", "kind": "nonsense", "before": "-3"}).status_code == 200
    assert client.get(url, {"person": "99999999999999999999999"}).status_code == 200
    foreign = SceneFactory(project=ProjectFactory())
    assert client.get(url, {"scene": foreign.pk}).status_code == 404


def test_the_storyboard_links_to_the_activity(client, viewer, project):
    client.force_login(viewer)
    page = client.get(reverse("projects:storyboard", args=[project.pk])).content.decode()
    assert reverse("projects:activity", args=[project.pk]) in page
