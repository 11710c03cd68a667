"""Checking the books: totals against the ledger, and holds that outlived their take."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from projects.models import Membership, MemberSpend, Project, Scene, TakeState
from projects.selectors.books import books_out_of_balance
from projects.selectors.money import charged_for, held_for
from projects.services.money import budget_refund
from projects.services.take_states import move
from projects.services.takes import take_request
from tests.factories import paid_take
from tests.projects.test_money import priced_previz


@pytest.fixture
def busy(editor, project, scene, shot):
    """A project with spending, a hold in flight, a release and a refund."""
    priced_previz()
    Membership.objects.filter(user=editor, project=project).update(monthly_quota=Decimal(50))
    refunded = paid_take(shot, held="0.50", actual="0.50")
    budget_refund(take=refunded, amount=Decimal("0.10"), note="credit")
    take_request(shot=shot, user=editor)  # held while it waits
    failed = take_request(shot=shot, user=editor, allow_duplicate=True)
    move(failed.pk, TakeState.QUEUED, TakeState.FAILED, error_message="boom")
    return project


def test_the_studios_own_movements_keep_the_books_balanced(busy, capsys):
    assert books_out_of_balance() == []
    call_command("check_books")
    assert "The books balance: 1 projects, 1 scenes, 1 member months." in capsys.readouterr().out


def test_a_total_changed_behind_the_ledgers_back_is_named(busy):
    Project.objects.filter(pk=busy.pk).update(spent=Decimal("99"))
    Scene.objects.filter(project=busy).update(reserved=Decimal("0"))
    problems = books_out_of_balance()
    assert len(problems) == 2
    assert problems[0].startswith(f'Project "{busy.name}": held $')
    assert "spent $99.0000, but the ledger says" in problems[0]
    assert problems[1].startswith("Budget of scene ")
    with pytest.raises(CommandError, match="out of balance in 2 places"):
        call_command("check_books")


def test_a_finished_take_that_still_holds_money_is_named(busy, shot):
    take = shot.takes.filter(state=TakeState.QUEUED).get()
    # As if the take had been failed by hand in the database, skipping the release.
    type(take).objects.filter(pk=take.pk).update(state=TakeState.FAILED)
    assert books_out_of_balance() == [
        f"Take {take.number} of shot {shot.label} is failed but still holds $0.5000."
    ]


def test_a_quota_set_mid_month_counts_what_was_already_spent(editor, project, shot):
    priced_previz()
    paid = take_request(shot=shot, user=editor)
    move(paid.pk, TakeState.QUEUED, TakeState.SUCCEEDED)
    cost = paid.estimated_cost
    Membership.objects.filter(user=editor, project=project).update(monthly_quota=cost * 2)
    take_request(shot=shot, user=editor, allow_duplicate=True)
    row = MemberSpend.objects.get(user=editor, project=project)
    assert (row.spent, row.reserved) == (cost, cost)
    assert books_out_of_balance() == []
    with pytest.raises(ValidationError, match="monthly quota"):
        take_request(shot=shot, user=editor, allow_duplicate=True)


def test_a_lost_result_is_settled_and_balances(editor, shot):
    priced_previz()
    take = take_request(shot=shot, user=editor)
    move(take.pk, TakeState.QUEUED, TakeState.RESULT_LOST, error_message="HTTP 403")
    assert held_for(take.pk) == 0
    assert charged_for(take.pk) == take.estimated_cost  # billed: no provider figure
    assert books_out_of_balance() == []


def test_a_take_settled_twice_is_named(busy, shot):
    take = shot.takes.filter(state=TakeState.SUCCEEDED).get()
    settle = take.ledger.get(kind="settle")
    settle.pk = None
    settle.spent_change = settle.reserved_change = Decimal(0)
    settle.save()
    assert books_out_of_balance() == [
        f"Take {take.number} of shot {shot.label} was settled 2 times."
    ]
