"""The cost dashboard: who sees which slice, figures that match the ledger, filters and CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import LedgerEntry, LedgerKind, Role, Take, TakeState
from projects.selectors.dashboard import Period, safe_cell
from projects.services.money import budget_refund
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    ShotFactory,
    UserFactory,
    paid_take,
)
from tests.queries import SESSION

URL = "/projects/dashboard/"
D = Decimal


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_the_route_is_named_in_the_projects_namespace():
    assert reverse("projects:dashboard") == URL


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_every_project(client, shot):
    other = ShotFactory(scene__project=ProjectFactory(name="Harbour Lights"))
    paid_take(shot, actual="1.50")
    paid_take(other, actual="2.25")
    staff = UserFactory(is_staff=True)

    response = page(client, staff)

    names = {row["label"] for row in response.context["data"].by_project}
    assert names == {shot.project.name, "Harbour Lights"}
    assert response.context["data"].total == D("3.75")


def test_an_owner_sees_only_the_projects_they_own(client, owner, shot):
    stranger = ShotFactory(scene__project=ProjectFactory(name="Somebody Elses Film"))
    MembershipFactory(project=stranger.project, role=Role.OWNER)
    paid_take(shot, actual="1.50")
    paid_take(stranger, actual="9.00")

    response = page(client, owner)

    data = response.context["data"]
    assert [p.pk for p in data.projects] == [shot.project.pk]
    assert data.total == D("1.50")
    assert "Somebody Elses Film" not in response.content.decode()


def test_an_editor_who_owns_nothing_sees_none_of_the_project(client, editor, owner, shot):
    paid_take(shot, user=owner, actual="1.50")

    response = page(client, editor)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You do not own any projects, so there is no spending to show here." in html
    assert shot.project.name not in html
    assert response.context["data"].projects == []


def test_an_owner_cannot_pick_someone_elses_project(client, owner, shot):
    stranger = ShotFactory(scene__project=ProjectFactory(name="Somebody Elses Film"))
    paid_take(stranger, actual="9.00")

    response = page(client, owner, project=stranger.project.pk)

    html = response.content.decode()
    assert "That project is not on your dashboard. Showing all of them." in html
    assert "Somebody Elses Film" not in html
    assert response.context["data"].total == D("0")


def test_totals_equal_the_ledger_and_the_project_columns(client, owner, shot):
    first = paid_take(shot, number=1, user=owner, held="3.00", actual="2.40")
    paid_take(shot, number=2, user=owner, held="2.00", actual=None)  # settles at the hold
    paid_take(shot, number=3, held="5.00", state=TakeState.FAILED)
    budget_refund(take=first, amount=D("0.40"), note="provider credit")

    data = page(client, owner).context["data"]

    spent = LedgerEntry.objects.filter(kind__in=[LedgerKind.SETTLE, LedgerKind.REFUND])
    ledger_total = sum(entry.spent_change for entry in spent)
    shot.project.refresh_from_db()
    assert data.total == ledger_total == shot.project.spent == D("4.00")
    assert sum(row["spent"] for row in data.per_day) == data.total
    assert sum(row["spent"] for row in data.per_month) == data.total
    for table in (data.by_project, data.by_scene, data.by_member, data.by_provider, data.by_model):
        assert sum(row["spent"] for row in table) == data.total
    assert data.by_member[0]["label"] == owner.username
    assert data.budgets[0]["spent"] == D("4.00") and data.budgets[0]["held"] == D("0")


def test_the_date_range_excludes_rows_outside_it(client, owner, shot):
    today = timezone.localdate()
    inside = timezone.now() - timedelta(days=3)
    paid_take(shot, number=1, actual="1.00", when=inside)
    paid_take(shot, number=2, actual="7.00", when=timezone.now() - timedelta(days=40))

    start = (today - timedelta(days=5)).isoformat()
    data = page(client, owner, start=start, end=today.isoformat()).context["data"]

    assert data.total == D("1.00")
    assert data.period == Period(today - timedelta(days=5), today)
    assert len(data.per_day) == 6 and len(data.day_bars) == 6
    day = timezone.localtime(inside).date()
    assert [row["spent"] for row in data.per_day if row["day"] == day] == [D("1.00")]


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"start": "2024-02-31", "end": "soon"},
            "Start date: Enter a valid date. End date: Enter a valid date. "
            "Showing the last 30 days instead.",
        ),
        (
            {"start": "2025-03-10", "end": "2025-03-01"},
            "The start date must be on or before the end date. Showing the last 30 days instead.",
        ),
        (
            {"start": "2020-01-01", "end": "2025-01-01"},
            "Choose a range of at most 366 days. Showing the last 30 days instead.",
        ),
    ],
)
def test_bad_dates_explain_and_fall_back_to_the_last_30_days(client, owner, params, message):
    response = page(client, owner, **params)

    assert response.status_code == 200
    assert response.context["message"] == message
    assert message in response.content.decode()
    assert response.context["period"] == Period.last_days(30)


def test_failed_and_rejected_takes_show_what_they_cost(client, owner, shot):
    paid_take(shot, number=1, held="2.00", state=TakeState.FAILED)
    paid_take(shot, number=2, held="3.00", state=TakeState.REJECTED)
    # A provider that charged for a take it then failed to deliver.
    charged = paid_take(shot, number=3, held="4.00", actual="4.00")
    Take.objects.filter(pk=charged.pk).update(state=TakeState.FAILED)

    data = page(client, owner).context["data"]

    assert data.wasted_spent == D("4.00")
    assert data.wasted_held == D("9.00")
    rows = {row["label"]: row for row in data.wasted}
    assert rows["Failed"]["takes"] == 2 and rows["Failed"]["spent"] == D("4.00")
    assert rows["Rejected by the provider"]["held"] == D("3.00")


def test_estimate_against_actual_per_model(client, owner, shot):
    paid_take(shot, number=1, held="2.00", actual="1.50", model="veo-3.1")
    paid_take(shot, number=2, held="3.00", actual="2.50", model="veo-3.1")
    paid_take(shot, number=3, held="1.00", actual="1.20", model="kling-2.6-pro")

    rows = {row["label"]: row for row in page(client, owner).context["data"].estimates}

    veo = rows["Google Veo 3.1"]
    assert (veo["takes"], veo["estimated"], veo["actual"]) == (2, D("5.00"), D("4.00"))
    assert veo["off"] == D("-20.0")
    assert rows["Kling 2.6 Pro"]["difference"] == D("0.20")


def test_a_refund_lowers_the_actual_and_leaves_the_estimate_counted_once(client, owner, shot):
    refunded = paid_take(shot, number=1, held="2.00", actual="1.50", model="veo-3.1")
    budget_refund(take=refunded, amount=D("0.50"), note="provider credit")
    paid_take(shot, number=2, held="3.00", actual="3.00", model="veo-3.1")
    paid_take(shot, number=3, held="4.00", state=TakeState.FAILED, model="veo-3.1")

    (veo,) = page(client, owner).context["data"].estimates

    assert (veo["takes"], veo["estimated"], veo["actual"]) == (2, D("5.00"), D("4.00"))


def test_success_rate_and_median_time_to_video_per_provider(client, owner, shot):
    paid_take(shot, number=1, provider="google", seconds=60)
    paid_take(shot, number=2, provider="google", seconds=100)
    paid_take(shot, number=3, provider="google", seconds=300)
    paid_take(shot, number=4, provider="google", state=TakeState.FAILED)

    (google,) = page(client, owner).context["data"].providers

    assert (google["succeeded"], google["decided"], google["rate"]) == (3, 4, D("75.0"))
    assert google["median"] == "1 min 40 s"


def test_budget_use_warns_at_80_percent(client, owner, shot):
    shot.project.budget = D("10.00")
    shot.project.save()
    paid_take(shot, held="8.50", actual="8.50")

    response = page(client, owner)

    (row,) = response.context["data"].budgets
    assert row["share"] == D("85.0") and row["warn"] and row["bar"] == 170
    assert "85 % of the $10.00 budget is spent or held" in response.content.decode()
    assert 'class="budget-bar"' in response.content.decode()


def test_the_csv_exports_ledger_rows_with_a_safe_name_and_no_formulas(client, owner, shot):
    project = shot.project
    project.name = '=HYPERLINK("http://evil.example","x")'
    project.save()
    shot.scene.title = "@SUM(A1)"
    shot.scene.save()
    member = UserFactory(username="-mara")
    paid_take(shot, user=member, held="2.00", actual="1.50")

    client.force_login(owner)
    response = client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today, start = timezone.localdate(), timezone.localdate() - timedelta(days=29)
    assert response["Content-Disposition"] == (
        f'attachment; filename="shot-studio-ledger-{start}-to-{today}.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "date",
        "project",
        "scene",
        "shot",
        "take",
        "member",
        "provider",
        "model",
        "kind",
        "reserved change",
        "spent change",
    ]
    assert [row[8] for row in rows[1:]] == ["Reserved", "Spent"]
    reserve, settle = rows[1:]
    assert reserve[1] == "'" + project.name
    assert reserve[2].startswith("'") is False and "@SUM(A1)" in reserve[2]
    assert reserve[3:8] == [shot.label, "1", "'-mara", "google", "veo-3.1"]
    assert settle[9:] == ["-2.0000", "1.5000"]  # amounts stay numbers


def test_a_scene_heading_starting_with_a_formula_is_quoted(client, owner, shot):
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@x") == "'@x"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("plain") == "plain"
    assert safe_cell(D("-1.50")) == "-1.50"


def test_the_csv_follows_the_date_range(client, owner, shot):
    paid_take(shot, number=1, when=timezone.now() - timedelta(days=40))
    paid_take(shot, number=2)

    client.force_login(owner)
    response = client.get(URL, {"format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row[4] for row in rows[1:]} == {"2"}


def many_rows(shot, count: int) -> None:
    for number in range(count):
        user = UserFactory()
        MembershipFactory(project=shot.project, user=user, role=Role.EDITOR)
        state = [TakeState.SUCCEEDED, TakeState.FAILED, TakeState.REJECTED][number % 3]
        paid_take(
            shot,
            number=number + 1,
            user=user,
            state=state,
            provider=["google", "kling"][number % 2],
            model=["veo-3.1", "kling-2.6-pro"][number % 2],
            when=timezone.now() - timedelta(days=number % 20),
        )


# Session, user, the project choices, per day, five groupings, estimate (1), failures (2),
# providers (2), budgets, the top bar's unread notifications.
DASHBOARD_QUERIES = SESSION + 15


@pytest.mark.parametrize("count", [1, 30])
def test_the_dashboard_query_count_does_not_grow_with_rows(
    client, owner, shot, count, django_assert_num_queries
):
    many_rows(shot, count)
    client.force_login(owner)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(LedgerEntry.objects.all()) == count * 2


@pytest.mark.parametrize("count", [1, 30])
def test_the_csv_query_count_does_not_grow_with_rows(
    client, owner, shot, count, django_assert_num_queries
):
    many_rows(shot, count)
    client.force_login(owner)

    with django_assert_num_queries(SESSION + 2):  # session, user, the ledger rows with their joins
        response = client.get(URL, {"format": "csv"})
        rows = b"".join(response.streaming_content).decode().splitlines()

    assert len(rows) == 1 + count * 2


def test_staff_can_narrow_the_dashboard_to_one_project(client, shot):
    other = ShotFactory(scene__project=ProjectFactory(name="Harbour Lights"))
    paid_take(shot, actual="1.50")
    paid_take(other, actual="2.25")

    response = page(client, UserFactory(is_staff=True), project=other.project.pk)

    data = response.context["data"]
    assert [p.name for p in data.projects] == ["Harbour Lights"]
    assert data.total == D("2.25")
    assert f"project={other.project.pk}" in response.context["csv_query"]


def test_hero_frame_candidates_are_spending_under_their_still_models_name(client, owner, shot):
    paid_take(shot, number=1, held="0.134", actual="0.134", model="nano-banana-pro")
    data = page(client, owner).context["data"]
    assert [row["label"] for row in data.estimates] == ["Nano Banana Pro (Gemini 3 Pro Image)"]
    assert [row["label"] for row in data.by_model] == ["Nano Banana Pro (Gemini 3 Pro Image)"]
