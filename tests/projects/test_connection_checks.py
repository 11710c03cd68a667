"""Staff's "Test connection" on a provider account, against the provider simulator: the answer
in plain words where the button is, never a key, and for staff only."""

import logging

import pytest
from django.urls import reverse

from projects.registry import _build
from projects.services.provider_checks import provider_check, scrub
from studio.models import ProviderAccount
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG_KEY = "ark-wrong-key-7f3a9c"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def account(slug: str, **keys) -> ProviderAccount:
    row = ProviderAccount(slug=slug)
    if keys:
        row.set_credentials(keys)
    row.save()
    return row


def press(client, row: ProviderAccount):
    return client.post(
        reverse("admin:studio_provideraccount_test_connection", args=[row.pk]),
        HTTP_HX_REQUEST="true",
    )


def test_the_button_is_on_the_account_page(staff_client):
    row = account("seedance")
    html = staff_client.get(
        reverse("admin:studio_provideraccount_change", args=[row.pk])
    ).content.decode()
    url = reverse("admin:studio_provideraccount_test_connection", args=[row.pk])
    assert f'hx-post="{url}"' in html
    assert 'id="connection-check"' in html
    assert "htmx" in html  # the admin page loads htmx for the button


def test_keys_the_simulator_accepts_say_connected(staff_client, simulator):
    row = account("seedance")
    response = press(staff_client, row)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-ok="true"' in html
    assert "Connected" in html


def test_a_missing_key_says_which_one(staff_client, monkeypatch, settings):
    monkeypatch.delenv("ARK_API_KEY", raising=False)
    _build.cache_clear()
    row = account("seedance")
    html = press(staff_client, row).content.decode()
    assert 'data-ok="false"' in html
    assert "No BytePlus ModelArk API key: set ARK_API_KEY or enter one in the admin." in html


def test_a_wrong_key_is_refused_in_words_and_never_shown(
    staff_client, simulator, monkeypatch, caplog
):
    monkeypatch.setenv("ARK_API_KEY", WRONG_KEY)
    _build.cache_clear()
    row = account("seedance")
    with caplog.at_level(logging.DEBUG):
        html = press(staff_client, row).content.decode()
    assert 'data-ok="false"' in html
    assert "ModelArk refused the key" in html
    assert WRONG_KEY not in html
    assert WRONG_KEY not in caplog.text


def test_previz_is_always_connected(staff_client):
    html = press(staff_client, account("previz")).content.decode()
    assert 'data-ok="true"' in html
    assert "own workers" in html


def test_nobody_but_staff_may_press_it(client):
    row = account("previz")
    client.force_login(UserFactory(is_staff=False))
    assert press(client, row).status_code == 403
    client.logout()
    assert press(client, row).status_code == 403


def test_a_provider_that_is_not_set_up_says_so(db):
    check = provider_check(slug="no-such-provider")
    assert (check.ok, check.message) == (
        False,
        "No provider called “no-such-provider” is set up in this studio.",
    )


def test_a_key_echoed_by_a_provider_is_cut_to_its_last_four():
    said = "Invalid key sk-live-abcdef-1234 for this account"
    assert scrub(said, ["sk-live-abcdef-1234"]) == "Invalid key …1234 for this account"
