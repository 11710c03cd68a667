"""Refunds: money a provider gives back for a take comes off the project's spending, once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import LedgerEntry, LedgerKind, Take, TakeState
from projects.selectors.money import charged_for
from projects.services.takes import take_refund
from tests.factories import MembershipFactory, SceneFactory, ShotFactory, paid_take
from tests.projects.test_money import assert_ledger_matches
from tests.projects.test_uploads import error_under
from tests.support.threads import at_once


@pytest.fixture
def take(shot):
    return paid_take(shot, held="0.50", actual="0.50")


def refund_url(take) -> str:
    return reverse("projects:take-refund", args=[take.project_id, take.pk])


def test_a_refund_comes_off_the_projects_spending(owner, project, take):
    left = take_refund(take=take, amount=Decimal("0.20"), note="credit 7", user=owner)
    assert left == Decimal("0.30")
    project.refresh_from_db()
    assert project.spent == Decimal("0.30")
    entry = LedgerEntry.objects.get(take=take, kind=LedgerKind.REFUND)
    assert entry.spent_change == Decimal("-0.20")
    assert entry.note == f"{owner.username}: credit 7"
    assert_ledger_matches(project)


def test_more_than_is_charged_is_refused_and_nothing_moves(owner, project, take):
    take_refund(take=take, amount=Decimal("0.40"), note="first", user=owner)
    with pytest.raises(ValidationError) as refused:
        take_refund(take=take, amount=Decimal("0.20"), note="second", user=owner)
    assert refused.value.message_dict == {
        "amount": ["Only $0.10 is charged for this take; refund at most that."]
    }
    project.refresh_from_db()
    assert project.spent == Decimal("0.10")
    assert_ledger_matches(project)


def test_a_free_take_has_nothing_to_refund(owner, shot):
    free = Take.objects.create(
        project=shot.project,
        shot=shot,
        number=9,
        model="previz",
        provider="previz",
        prompt="A keeper.",
        estimated_cost=0,
        state=TakeState.SUCCEEDED,
    )
    with pytest.raises(ValidationError, match="Nothing is charged for this take"):
        take_refund(take=free, amount=Decimal("0.01"), note="x", user=owner)


def test_the_owner_records_a_refund_from_the_take_card(client, owner, project, take):
    client.force_login(owner)
    shot_page = reverse("projects:shot", args=[project.pk, take.shot_id])
    assert "Record a refund" in client.get(shot_page).content.decode()
    response = client.post(
        refund_url(take), {"amount": "0.25", "note": "ticket 12"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "refunded $0.25 · charged now $0.25" in html
    project.refresh_from_db()
    assert project.spent == Decimal("0.25")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0.60", "Only $0.50 is charged for this take; refund at most that."),
        ("-1", "Ensure this value is greater than or equal to 0.01."),
        ("lots", "Enter a number."),
    ],
)
def test_a_bad_amount_is_refused_under_the_field_with_the_typed_note(
    client, owner, project, take, amount, message
):
    client.force_login(owner)
    response = client.post(
        refund_url(take), {"amount": amount, "note": "ticket 12"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert error_under(html, f"refund-amount-{take.pk}") == [message]
    assert 'value="ticket 12"' in html
    project.refresh_from_db()
    assert project.spent == Decimal("0.50")


def test_without_javascript_the_refusal_comes_back_as_a_message(client, owner, project, take):
    client.force_login(owner)
    response = client.post(refund_url(take), {"amount": "9", "note": "x"}, follow=True)
    assert "Only $0.50 is charged for this take" in response.content.decode()


def test_editors_neither_see_nor_record_refunds(client, editor, project, take):
    client.force_login(editor)
    shot_page = reverse("projects:shot", args=[project.pk, take.shot_id])
    assert "Record a refund" not in client.get(shot_page).content.decode()
    assert client.post(refund_url(take), {"amount": "0.10", "note": "x"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_eight_owners_refunding_the_whole_take_at_once_give_it_back_once():
    membership = MembershipFactory(role="owner")
    scene = SceneFactory(project=membership.project)
    take = paid_take(ShotFactory(scene=scene), held="0.50", actual="0.50")

    def refund(_):
        take_refund(take=take, amount=Decimal("0.50"), note="same credit", user=membership.user)
        return "refunded"

    outcomes = at_once(refund, 8, expected=(ValidationError,))
    assert outcomes.count("refunded") == 1
    refused = [o for o in outcomes if o != "refunded"]
    assert len(refused) == 7
    assert all("Nothing is charged" in error.messages[0] for error in refused), refused
    assert charged_for(take.pk) == 0
    assert LedgerEntry.objects.filter(take=take, kind=LedgerKind.REFUND).count() == 1
    assert_ledger_matches(membership.project)
