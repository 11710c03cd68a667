"""Provider keys entered by staff: stored encrypted, never shown again, used by the registry."""

from django.urls import reverse

from projects.pipeline.webhooks import webhook_token
from projects.registry import provider_by_slug, provider_for_model
from studio.models import ProviderAccount
from tests.factories import UserFactory


def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_a_key_entered_in_the_admin_is_encrypted_and_makes_the_provider_available(client, db):
    staff(client)
    assert provider_by_slug("runway").availability()[0] is False
    response = client.post(
        reverse("admin:studio_provideraccount_add"),
        {"slug": "runway", "max_concurrent": "2", "api_key": "rk-live-abcdef-1234"},
    )
    assert response.status_code == 302
    account = ProviderAccount.objects.get(slug="runway")
    assert "rk-live" not in account.encrypted_credentials
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}
    assert account.credential_hint == "…1234"
    provider = provider_for_model("runway-gen4.5")
    assert provider.availability() == (True, "")
    assert provider.max_concurrent == 2


def test_the_admin_never_shows_a_stored_key(client, db):
    staff(client)
    account = ProviderAccount(slug="runway")
    account.set_credentials({"api_key": "rk-live-abcdef-1234"})
    account.save()
    html = client.get(
        reverse("admin:studio_provideraccount_change", args=[account.pk])
    ).content.decode()
    assert "rk-live-abcdef" not in html
    assert "…1234" in html
    # Saving without typing a key keeps the stored one.
    client.post(
        reverse("admin:studio_provideraccount_change", args=[account.pk]),
        {"slug": "runway", "max_concurrent": "3", "api_key": ""},
    )
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}


def test_a_webhook_with_the_wrong_secret_is_not_found(client, db):
    assert client.post("/hooks/kling/not-the-secret/", {}).status_code == 404


def test_a_webhook_nudges_a_poll_of_the_named_take(client, shot, settings):
    from django.utils import timezone

    from projects.models import Take, TakeState

    later = timezone.now() + timezone.timedelta(hours=1)
    take = Take.objects.create(
        project=shot.project,
        shot=shot,
        number=1,
        model="seedance-1.5-pro",
        provider="seedance",
        prompt="p",
        state=TakeState.RUNNING,
        remote_id="cgt-123",
        next_poll_at=later,
    )
    url = f"/hooks/seedance/{webhook_token('seedance')}/"
    response = client.post(
        url, {"id": "cgt-123", "status": "succeeded"}, content_type="application/json"
    )
    assert response.status_code == 204
    take.refresh_from_db()
    assert take.next_poll_at < later
    assert take.state == TakeState.RUNNING  # the payload itself changes nothing
