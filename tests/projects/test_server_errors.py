"""Input that used to end in a server error, each through HTTP: now a clear answer instead."""

import pytest
from django.contrib import admin
from django.urls import reverse

from projects.models import MemberSpend, Take, TakeState
from projects.selectors.dashboard import Period
from studio.models import WorkerHeartbeat
from tests.factories import UserFactory
from tests.projects.test_take_views import make_take, with_video

HUGE = 10**30
DATE_RANGE = "Enter a date between 1 January 2000 and 31 December 2999."


# --- dashboard dates -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "9999-12-31"}, f"Start date: {DATE_RANGE}"),
        ({"end": "0001-01-01"}, f"End date: {DATE_RANGE}"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, f"Start date: {DATE_RANGE}"),
        ({"start": "0001-01-01", "end": "0001-01-01"}, f"Start date: {DATE_RANGE}"),
        ({"start": "2999-12-31"}, ""),  # the last day allowed: its month still fits
        ({"end": "2000-01-01"}, ""),
    ],
)
def test_dates_at_the_ends_of_the_calendar_explain_themselves(client, owner, params, message):
    client.force_login(owner)
    response = client.get(reverse("projects:dashboard"), params)
    assert response.status_code == 200
    if message:
        assert response.context["message"].startswith(message)
        assert response.context["message"].endswith("Showing the last 30 days instead.")
        assert message in response.content.decode()
        assert response.context["period"] == Period.last_days(30)
    else:
        assert response.context["message"] == ""


# --- byte ranges -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "status", "content_range"),
    [
        ("bytes=" + "9" * 5000 + "-", 416, "bytes */2048"),
        ("bytes=0-" + "9" * 5000, 206, "bytes 0-2047/2048"),
        ("bytes=-" + "9" * 5000, 206, "bytes 0-2047/2048"),
        ("bytes=" + "1" * 19 + "-" + "2" * 19, 416, "bytes */2048"),
        ("bytes=10-19", 206, "bytes 10-19/2048"),
    ],
)
def test_a_range_with_thousands_of_digits_is_answered(
    client, viewer, project, shot, header, status, content_range
):
    take = with_video(make_take(shot, state=TakeState.SUCCEEDED))
    client.force_login(viewer)
    url = reverse("projects:take-media", args=[project.pk, take.pk, "video.mp4"])
    response = client.get(url, HTTP_RANGE=header)
    assert response.status_code == status
    assert response["Content-Range"] == content_range


# --- ids beyond 64 bits ------------------------------------------------------------------------
def test_a_huge_take_id_in_compare_is_ignored(client, viewer, project, shot):
    take = with_video(make_take(shot, state=TakeState.SUCCEEDED))
    client.force_login(viewer)
    url = reverse("projects:takes-compare", args=[project.pk, shot.pk])
    for junk in (str(HUGE), str(2**63), "²", "-1", "1e3", "", "NaN"):
        response = client.get(url, {"take": [junk, str(take.pk)]})
        assert response.status_code == 200, junk
        assert [t.pk for t in response.context["takes"]] == [take.pk]


@pytest.mark.parametrize("value", [HUGE, 2**63, 2**64])
def test_an_id_beyond_64_bits_in_a_url_is_not_found(client, owner, project, shot, value):
    client.force_login(owner)
    for url in (
        f"/projects/{value}/",
        f"/projects/{project.pk}/shots/{value}/",
        f"/projects/{project.pk}/takes/{value}/",
        f"/projects/{project.pk}/scenes/{value}/edit/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_the_largest_64_bit_id_is_still_an_id(client, owner, project):
    client.force_login(owner)
    assert client.get(f"/projects/{2**63 - 1}/").status_code == 404
    assert client.get(f"/projects/{project.pk}/").status_code == 200


def test_a_huge_shot_id_when_deleting_a_preset_goes_back_to_the_storyboard(
    client, owner, project, shot
):
    from projects.models import TeamPreset

    client.force_login(owner)
    for back in (str(HUGE), "²"):
        preset = TeamPreset.objects.create(
            project=project, name=f"p{back}", target_model="veo-3.1", duration_seconds=8
        )
        url = reverse("projects:preset-delete", args=[project.pk, preset.pk])
        response = client.post(url, {"shot": back})
        assert response.status_code == 302
        assert response["Location"] == reverse("projects:storyboard", args=[project.pk])


# --- system records in the admin ----------------------------------------------------------
@pytest.mark.parametrize("model", [WorkerHeartbeat, Take, MemberSpend])
def test_system_records_cannot_be_added_in_the_admin(client, db, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert url not in changelist.content.decode()  # no "Add" button


def test_takes_and_member_spend_are_view_only_in_the_admin(client, shot):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    take = make_take(shot, state=TakeState.FAILED)
    spend = MemberSpend.objects.create(project=shot.project, user=staff, month="2026-01-01")
    for record in (take, spend):
        meta = record._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert client.post(url, {}).status_code == 403
    assert admin.site._registry[Take].has_change_permission(page.wsgi_request) is False
