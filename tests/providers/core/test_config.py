"""One provider account as one ProviderConfig; one backoff rule."""

import dataclasses
from unittest import mock

import pytest

from providers.core.config import ProviderConfig
from providers.core.http import backoff
from providers.runway.adapter import RunwayProvider


def test_credentials_are_read_stripped_and_missing_ones_named_in_order():
    config = ProviderConfig(credentials={"api_key": " rk-1 ", "api_secret": "", "info": {"a": 1}})
    assert config.credential("api_key") == "rk-1"
    assert config.credential("info") == {"a": 1}
    assert config.credential("absent") == ""
    assert config.missing(("api_secret", "api_key", "absent")) == ["api_secret", "absent"]


def test_options_fall_back_to_the_default_when_empty():
    config = ProviderConfig(options={"location": "", "project": "p"})
    assert config.option("location", "us-central1") == "us-central1"
    assert config.option("project") == "p"
    assert config.option("absent") is None


def test_a_config_cannot_change_under_a_built_adapter():
    credentials = {"api_key": "k"}
    config = ProviderConfig(credentials=credentials)
    credentials["api_key"] = "changed"
    assert config.credential("api_key") == "k"
    with pytest.raises(TypeError):
        config.credentials["api_key"] = "x"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.base_url = "https://elsewhere"  # type: ignore[misc]


def test_an_adapter_takes_its_defaults_where_the_config_says_nothing():
    provider = RunwayProvider(ProviderConfig(credentials={"api_key": "k"}))
    assert provider.base_url == "https://api.dev.runwayml.com"
    assert provider.max_concurrent == 1
    assert provider.download_hosts == RunwayProvider.default_download_hosts
    custom = RunwayProvider(
        ProviderConfig(base_url="http://127.0.0.1:9/", max_concurrent=3, download_hosts=("a",))
    )
    assert (custom.base_url, custom.max_concurrent, custom.download_hosts) == (
        "http://127.0.0.1:9",
        3,
        ("a",),
    )
    with pytest.raises(Exception, match="No Runway API key"):
        custom.require_keys()


def test_backoff_doubles_up_to_its_cap_with_optional_jitter():
    assert [backoff(n, first=2, cap=60) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    with mock.patch("providers.core.http.random.random", return_value=0.0):
        assert backoff(3, first=0.5, cap=8.0, jitter=True) == 1.0
    with mock.patch("providers.core.http.random.random", return_value=1.0):
        assert backoff(10, first=0.5, cap=8.0, jitter=True) == 12.0
