"""The provider registry: keyed by each adapter's own slug, built from one ProviderConfig."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from projects.registry import cancel_policy, provider_by_slug, provider_class, provider_config
from providers.capabilities import CAPABILITIES
from providers.core.base import CancelPolicy
from providers.veo.adapter import GeminiVeoProvider, VertexVeoProvider


def test_every_setting_key_is_its_adapters_own_slug(settings):
    for slug in settings.VIDEO_PROVIDERS:
        assert provider_class(slug).slug == slug
    # Both Veo platforms are the same account under one name, whichever the setting picks.
    assert GeminiVeoProvider.slug == VertexVeoProvider.slug == "google-veo"
    # And every model's provider is a key the registry knows.
    assert {caps.provider for caps in CAPABILITIES.values()} == set(settings.VIDEO_PROVIDERS)


def test_a_key_that_is_not_the_adapters_slug_is_refused(settings, db):
    settings.VIDEO_PROVIDERS = {"local": {"BACKEND": "providers.previz.adapter.PrevizProvider"}}
    message = "VIDEO_PROVIDERS['local'] names PrevizProvider, whose slug is 'previz'"
    with pytest.raises(ImproperlyConfigured) as error:
        provider_by_slug("local")
    assert str(error.value) == message
    # Reading a class attribute (no keys, no database) goes through the same check.
    with pytest.raises(ImproperlyConfigured, match="whose slug is 'previz'"):
        cancel_policy("local")


def test_a_config_holds_keys_fields_and_the_providers_own_options(settings, db, monkeypatch):
    monkeypatch.setenv("KLING_ACCESS_KEY", "ak")
    monkeypatch.setenv("KLING_BASE_URL", "https://kling.example")
    monkeypatch.setenv("KLING_USD_PER_UNIT", "0.14")
    settings.PROVIDER_TIMEOUT_SECONDS = 12.0
    config = provider_config("kling", None)
    assert dict(config.credentials) == {"api_key": "", "access_key": "ak", "secret_key": ""}
    assert (config.base_url, config.timeout, config.webhook_url) == (
        "https://kling.example",
        12.0,
        "",
    )
    assert dict(config.options) == {"usd_per_unit": "0.14"}
    provider = provider_class("kling")(config)
    assert provider.availability() == (
        False,
        "Kling 2.6 needs an access key and a secret key: set KLING_SECRET_KEY "
        "(or enter them in the studio's provider settings). The API key serves only Kling 3.0.",
    )
    assert cancel_policy("kling") is CancelPolicy.NEVER
