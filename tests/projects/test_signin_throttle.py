"""Sign-in throttling (django-axes): per username and per address, a clear 429, admin unlock."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

LOCKED = (
    "Too many failed sign-ins for this account or from this address. Try again in 15 minutes, "
    "or ask a studio admin to unlock it."
)
PASSWORD = "correct horse battery"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def ana(db):
    return UserFactory(username="ana")


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, ana):
    for _ in range(40):
        sign_in(client, "ana", "wrong-guess")
    response = sign_in(client, "ana", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert 'value="ana"' in html  # the sign-in page again, username kept
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("projects:list")).status_code == 302


def test_the_fifth_failure_locks_and_four_do_not(client, ana):
    for _ in range(4):
        assert sign_in(client, "ana", "wrong-guess").status_code == 200
    assert sign_in(client, "ana", "wrong-guess").status_code == 429
    assert sign_in(client, "ana", PASSWORD).status_code == 429


def test_four_failures_then_the_right_password_signs_in(client, ana):
    for _ in range(4):
        sign_in(client, "ana", "wrong-guess")
    assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_another_username_from_the_same_address_is_throttled(client, ana):
    UserFactory(username="ben")
    for number in range(5):
        sign_in(client, f"guess{number}", "wrong-guess")  # five different accounts, one address
    response = sign_in(client, "ben", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # From elsewhere, ben is fine: the address tripped, not his account.
    assert sign_in(Client(), "ben", PASSWORD, address="198.51.100.2").status_code == 302


def test_the_same_username_from_many_addresses_is_throttled(client, ana):
    for number in range(5):
        sign_in(Client(), "ana", "wrong-guess", address=f"198.51.100.{number + 10}")
    assert sign_in(client, "ana", PASSWORD, address="192.0.2.1").status_code == 429


def test_an_admin_unlock_lets_the_right_password_in(client, ana):
    for _ in range(40):
        sign_in(client, "ana", "wrong-guess")
    assert sign_in(client, "ana", PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "ana" in staff.get(changelist).content.decode()
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    confirm = staff.post(
        changelist, {"action": "delete_selected", "_selected_action": attempts, "post": "yes"}
    )
    assert confirm.status_code == 302
    assert not AccessAttempt.objects.exists()
    response = sign_in(client, "ana", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:list")


def test_the_limit_and_the_wait_come_from_settings(client, ana, settings):
    from datetime import timedelta

    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    sign_in(client, "ana", "wrong-guess")
    response = sign_in(client, "ana", "wrong-guess")
    assert response.status_code == 429
    assert "Try again in 1 minute, or ask a studio admin to unlock it." in response.content.decode()


def test_behind_a_proxy_the_forwarded_address_counts(client, ana, settings):
    from axes.models import AccessAttempt

    settings.SIGNIN_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": f"x{_}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.50",
        )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.50").count() == 5
    # Another client behind the same proxy is not locked out by the first one's guesses.
    response = Client().post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert response.status_code == 302


def test_the_test_client_login_still_works(client, ana):
    assert client.login(username="ana", password=PASSWORD)
    assert client.get(reverse("projects:list")).status_code == 200
    assert not client.login(username="ana", password="wrong")
