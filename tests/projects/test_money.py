"""Budgets: holds, spending and releases through the ledger; the cap holds under concurrency."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.models import LedgerEntry, Project, RateCard, Take, TakeState
from projects.selectors.money import budget_warning, held_for
from projects.services.money import (
    BudgetExceeded,
    budget_refund,
    budget_release,
    budget_reserve,
    budget_settle,
)
from projects.services.take_states import move
from projects.services.takes import take_cancel, take_mark_failed, take_request
from tests.factories import MembershipFactory, SceneFactory, ShotFactory
from tests.support.threads import at_once


def priced_previz(per_second: str = "0.10") -> None:
    """Make previz cost money, so its free pipeline moves real amounts through the budget."""
    RateCard.objects.filter(model="previz").update(price=Decimal(per_second))


def assert_ledger_matches(project: Project) -> None:
    project.refresh_from_db()
    sums = {"reserved": Decimal(0), "spent": Decimal(0)}
    for entry in LedgerEntry.objects.filter(project=project):
        sums["reserved"] += entry.reserved_change
        sums["spent"] += entry.spent_change
    assert (project.reserved, project.spent) == (sums["reserved"], sums["spent"])
    assert project.reserved >= 0


@pytest.fixture
def budget_shot(editor, project, scene):
    priced_previz()
    project.budget = Decimal("2.00")
    project.save()
    return ShotFactory(scene=scene, duration_seconds=5)  # 5 s × $0.10 = $0.50 a take


def test_a_take_holds_its_worst_case_cost(editor, project, budget_shot):
    take = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    assert take.estimated_cost == Decimal("0.5")
    project.refresh_from_db()
    assert (project.reserved, project.spent) == (Decimal("0.5"), Decimal(0))
    assert_ledger_matches(project)


def test_over_budget_is_refused_with_the_numbers(editor, project, budget_shot):
    for _ in range(4):
        take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    with pytest.raises(ValidationError) as error:
        take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    assert error.value.messages == [
        "This take would cost up to $0.50 but only $0.00 of the project's $2.00 budget is left."
    ]
    assert Take.objects.count() == 4
    assert_ledger_matches(project)


def test_failure_releases_and_success_spends(editor, project, budget_shot):
    failed = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    take_cancel(take=failed)
    project.refresh_from_db()
    assert project.reserved == 0
    kept = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    move(kept.pk, TakeState.QUEUED, TakeState.SUCCEEDED, actual_cost=Decimal("0.42"))
    project.refresh_from_db()
    assert (project.reserved, project.spent) == (Decimal(0), Decimal("0.42"))
    assert_ledger_matches(project)


def test_needs_check_keeps_the_hold_until_a_person_decides(editor, project, budget_shot):
    take = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    move(take.pk, TakeState.QUEUED, TakeState.NEEDS_CHECK)
    project.refresh_from_db()
    assert project.reserved == Decimal("0.5")
    take_mark_failed(take=Take.objects.get(pk=take.pk))
    project.refresh_from_db()
    assert project.reserved == 0
    assert_ledger_matches(project)


def test_the_warning_starts_at_80_percent(editor, project, budget_shot):
    for _ in range(3):
        take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    assert budget_warning(project) == ""
    take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    project.refresh_from_db()
    assert budget_warning(project) == (
        "100 % of the $2.00 budget is spent or held ($0.00 spent, $2.00 held for running takes)."
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["reserve", "settle", "release", "refund"]),
            st.integers(0, 5),  # which take
            st.decimals(min_value=0, max_value=3, places=2),
        ),
        max_size=25,
    )
)
def test_any_sequence_keeps_the_ledger_and_columns_equal(editor, project, scene, steps):
    priced_previz()
    Project.objects.filter(pk=project.pk).update(budget=Decimal("5"), spent=0, reserved=0)
    LedgerEntry.objects.filter(project=project).delete()
    shot = ShotFactory(scene=scene)
    takes = [
        Take.objects.create(
            project=project,
            shot=shot,
            number=n,
            model="previz",
            provider="previz",
            prompt="p",
            estimated_cost=0,
        )
        for n in range(6)
    ]
    project.refresh_from_db()
    for action, index, amount in steps:
        take = takes[index]
        if action == "reserve":
            project.refresh_from_db()
            room = project.budget - project.spent - project.reserved
            try:
                budget_reserve(project=project, take=take, amount=amount)
                assert amount <= room  # a hold is only granted when it fits
            except BudgetExceeded:
                assert amount > room
        elif action == "settle":
            budget_settle(take=take, actual=amount)
        elif action == "release":
            budget_release(take=take, note="test")
        else:
            budget_refund(take=take, amount=amount, note="test")
        assert_ledger_matches(project)
        for other in takes:
            assert held_for(other.pk) >= 0
    Take.objects.filter(shot=shot).delete()
    shot.delete()


@pytest.mark.django_db(transaction=True)
def test_fifty_generate_requests_against_a_budget_for_ten():
    membership = MembershipFactory(role="editor")
    project = membership.project
    priced_previz()
    project.budget = Decimal("5.00")  # ten takes of $0.50
    project.save()
    scene = SceneFactory(project=project)
    shots = [ShotFactory(scene=scene, duration_seconds=5) for _ in range(50)]

    def generate(i):
        take_request(shot=shots[i], user=membership.user)
        return "accepted"

    outcomes = [
        o if isinstance(o, str) else o.messages[0]
        for o in at_once(generate, 50, expected=(ValidationError,))
    ]
    assert outcomes.count("accepted") == 10
    refused = [o for o in outcomes if o != "accepted"]
    assert len(refused) == 40
    assert all(o.startswith("This take would cost up to $0.50 but only") for o in refused)
    assert Take.objects.filter(project=project).count() == 10
    assert_ledger_matches(project)
    assert project.reserved == Decimal("5.00")


def test_a_scene_budget_caps_its_own_shots(editor, project, scene, budget_shot):
    scene.budget = Decimal("0.60")
    scene.save()
    take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    with pytest.raises(ValidationError) as error:
        take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    assert error.value.messages == [
        f"This take would cost up to $0.50 but only $0.10 of scene {scene.number}'s $0.60 "
        "budget is left."
    ]
    project.refresh_from_db()
    assert project.reserved == Decimal("0.5")  # the refused hold left nothing behind
    other_scene = SceneFactory(project=project)
    take_request(shot=ShotFactory(scene=other_scene, duration_seconds=5), user=editor)


def test_a_monthly_quota_caps_a_member(editor, project, budget_shot):
    from projects.models import Membership, MemberSpend

    Membership.objects.filter(project=project, user=editor).update(monthly_quota=Decimal("1.00"))
    take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    with pytest.raises(ValidationError) as error:
        take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    assert error.value.messages == [
        "This take would cost up to $0.50 but only $0.00 of your $1.00 monthly quota on this "
        "project is left."
    ]
    row = MemberSpend.objects.get(project=project, user=editor)
    assert row.reserved == Decimal("1.0")


def test_scene_and_member_figures_follow_the_ledger(editor, project, scene, budget_shot):
    from projects.models import Membership, MemberSpend, Scene

    Membership.objects.filter(project=project, user=editor).update(monthly_quota=Decimal("9"))
    done = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    dropped = take_request(shot=budget_shot, user=editor, allow_duplicate=True)
    move(done.pk, TakeState.QUEUED, TakeState.SUCCEEDED, actual_cost=Decimal("0.3"))
    take_cancel(take=dropped)
    scene = Scene.objects.get(pk=scene.pk)
    row = MemberSpend.objects.get(project=project, user=editor)
    for holder in (scene, row):
        assert (holder.reserved, holder.spent) == (Decimal(0), Decimal("0.3"))
    entries = LedgerEntry.objects.filter(scene=scene)
    assert sum(e.spent_change for e in entries) == scene.spent
