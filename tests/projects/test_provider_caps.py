"""Studio-wide monthly caps per provider account: refused beyond the cap, before the click too."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from projects.models import LedgerEntry, ProviderSpend, Take, TakeState
from projects.selectors.books import books_out_of_balance
from projects.services.money import BudgetExceeded, budget_refund, budget_reserve
from projects.services.take_states import move
from projects.services.takes import take_cancel, take_request
from studio.models import ProviderAccount
from tests.factories import MembershipFactory, SceneFactory, ShotFactory
from tests.projects.test_money import priced_previz


def month_name() -> str:
    return f"{timezone.localdate():%B}"


def previz_cap(amount: str) -> ProviderAccount:
    account, _ = ProviderAccount.objects.update_or_create(
        slug="previz", defaults={"monthly_cap": Decimal(amount)}
    )
    return account


@pytest.fixture
def capped(editor, project, scene):
    priced_previz()  # $0.10 a second
    previz_cap("1.20")
    return ShotFactory(scene=scene, duration_seconds=5)  # $0.50 a take


def refusal(left: str, cost: str = "0.50", cap: str = "1.20") -> str:
    return (
        f"Previz's studio-wide cap for {month_name()} is ${cap} and only ${left} is left; "
        f"this take may cost up to ${cost}."
    )


def test_takes_beyond_the_cap_are_refused_with_what_is_left(editor, capped):
    take_request(shot=capped, user=editor, allow_duplicate=True)
    take_request(shot=capped, user=editor, allow_duplicate=True)
    with pytest.raises(ValidationError) as error:
        take_request(shot=capped, user=editor, allow_duplicate=True)
    assert error.value.messages == [refusal("0.20")]
    assert Take.objects.count() == 2
    row = ProviderSpend.objects.get(provider="previz")
    assert (row.reserved, row.spent) == (Decimal("1.0"), Decimal(0))


def test_the_cap_is_studio_wide_across_projects(editor, capped):
    take_request(shot=capped, user=editor, allow_duplicate=True)
    other = MembershipFactory(role="editor")
    other_shot = ShotFactory(scene=SceneFactory(project=other.project), duration_seconds=5)
    take_request(shot=other_shot, user=other.user, allow_duplicate=True)
    with pytest.raises(ValidationError) as error:
        take_request(shot=other_shot, user=other.user, allow_duplicate=True)
    assert error.value.messages == [refusal("0.20")]


def test_the_message_names_the_provider_as_in_the_brief(project, shot):
    ProviderAccount.objects.create(slug="google-veo", monthly_cap=Decimal("500"))
    take = Take.objects.create(
        project=project, shot=shot, number=1, model="veo-3.1", provider="google-veo", prompt="p"
    )
    ProviderSpend.objects.create(
        provider="google-veo", month=timezone.localdate().replace(day=1), spent=Decimal("497")
    )
    with pytest.raises(BudgetExceeded) as error:
        budget_reserve(project=project, take=take, amount=Decimal("3.20"))
    assert str(error.value) == (
        f"Veo's studio-wide cap for {month_name()} is $500.00 and only $3.00 is left; "
        "this take may cost up to $3.20."
    )
    assert not LedgerEntry.objects.exists()


def test_the_generate_button_says_so_before_the_click_and_the_post_is_refused(
    client, editor, project, capped
):
    take_request(shot=capped, user=editor, allow_duplicate=True)
    take_request(shot=capped, user=editor, allow_duplicate=True)
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, capped.pk])
    html = client.get(url).content.decode()
    assert (
        f'<p class="help" id="generate-blocked">{refusal("0.20")}</p>'.replace("'", "&#x27;")
        in html
    )
    assert 'id="generate" disabled' in html
    response = client.post(
        reverse("projects:take-create", args=[project.pk, capped.pk]), follow=True
    )
    assert refusal("0.20").replace("'", "&#x27;") in response.content.decode()
    assert Take.objects.count() == 2


def test_a_cap_set_mid_month_counts_what_was_already_spent(editor, project, scene):
    priced_previz()
    shot = ShotFactory(scene=scene, duration_seconds=5)
    paid = take_request(shot=shot, user=editor, allow_duplicate=True)
    move(paid.pk, TakeState.QUEUED, TakeState.SUCCEEDED, actual_cost=Decimal("0.40"))
    take_request(shot=shot, user=editor, allow_duplicate=True)  # $0.50 still held
    assert not ProviderSpend.objects.exists()  # no cap, no row
    previz_cap("1.20")
    with pytest.raises(ValidationError) as error:
        take_request(shot=shot, user=editor, allow_duplicate=True)
    assert error.value.messages == [refusal("0.30")]
    assert not ProviderSpend.objects.exists()  # a refused hold leaves nothing behind
    previz_cap("1.50")
    take_request(shot=shot, user=editor, allow_duplicate=True)
    row = ProviderSpend.objects.get(provider="previz")
    assert (row.spent, row.reserved) == (Decimal("0.4"), Decimal("1.0"))


def test_settle_release_and_refund_move_the_providers_month(editor, capped):
    done = take_request(shot=capped, user=editor, allow_duplicate=True)
    dropped = take_request(shot=capped, user=editor, allow_duplicate=True)
    move(done.pk, TakeState.QUEUED, TakeState.SUCCEEDED, actual_cost=Decimal("0.30"))
    take_cancel(take=dropped)
    budget_refund(take=Take.objects.get(pk=done.pk), amount=Decimal("0.10"), note="credit")
    row = ProviderSpend.objects.get(provider="previz")
    assert (row.reserved, row.spent) == (Decimal(0), Decimal("0.2"))
    assert set(LedgerEntry.objects.values_list("provider", flat=True)) == {"previz"}
    assert books_out_of_balance() == []
    # Room again: 1.20 - 0.20 spent fits two more.
    take_request(shot=capped, user=editor, allow_duplicate=True)
    take_request(shot=capped, user=editor, allow_duplicate=True)


def test_a_cap_taken_away_keeps_its_row_following_the_ledger(editor, capped):
    take_request(shot=capped, user=editor, allow_duplicate=True)
    ProviderAccount.objects.filter(slug="previz").update(monthly_cap=None)
    for _ in range(3):
        take_request(shot=capped, user=editor, allow_duplicate=True)  # no cap: all accepted
    row = ProviderSpend.objects.get(provider="previz")
    assert row.reserved == Decimal("2.0")
    assert books_out_of_balance() == []


def test_the_books_check_names_a_provider_month_that_disagrees(editor, capped):
    take_request(shot=capped, user=editor, allow_duplicate=True)
    ProviderSpend.objects.filter(provider="previz").update(reserved=Decimal("7"))
    month = timezone.localdate()
    assert books_out_of_balance() == [
        f"Studio-wide spending on Previz in {month:%B %Y}: held $7.0000, spent $0.0000, but the "
        "ledger says held $0.5000, spent $0.0000."
    ]


def test_the_cap_is_edited_in_the_admin(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:studio_provideraccount_add"),
        {"slug": "kling", "max_concurrent": "", "monthly_cap": "250.00"},
    )
    assert response.status_code == 302
    assert ProviderAccount.objects.get(slug="kling").monthly_cap == Decimal("250.00")
    refused = client.post(
        reverse("admin:studio_provideraccount_add"),
        {"slug": "runway", "max_concurrent": "", "monthly_cap": "-1"},
    )
    assert refused.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_many_simultaneous_requests_against_a_cap_for_six_accept_six():
    priced_previz()
    previz_cap("3.00")  # six takes of $0.50, across three projects
    memberships = [MembershipFactory(role="editor") for _ in range(3)]
    shots = [
        (m.user, ShotFactory(scene=SceneFactory(project=m.project), duration_seconds=5))
        for m in memberships
        for _ in range(10)
    ]
    barrier = threading.Barrier(len(shots))
    outcomes: list[str] = []
    lock = threading.Lock()

    def generate(user, shot):
        try:
            barrier.wait(timeout=30)
            take_request(shot=shot, user=user)
            result = "accepted"
        except ValidationError as error:
            result = error.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=generate, args=pair) for pair in shots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert outcomes.count("accepted") == 6
    refused = [o for o in outcomes if o != "accepted"]
    assert len(refused) == 24
    cap = f"Previz's studio-wide cap for {month_name()} is $3.00"
    assert all(o.startswith(cap) for o in refused)
    assert Take.objects.count() == 6
    row = ProviderSpend.objects.get(provider="previz")
    assert (row.reserved, row.spent) == (Decimal("3.0"), Decimal(0))
    assert books_out_of_balance() == []
