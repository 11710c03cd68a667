"""Webhooks are called by machines we do not control: any body, any token, any type."""

import json

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from .harness import Case, fill, routes, run, url_for
from .test_forms import HOSTILE
from .values import hostile_strings

pytestmark = pytest.mark.django_db
WEBHOOK_ROUTES = tuple(route.name for route in routes() if route.csrf_exempt)
RANDOM_HOOKS = 50
ID_KEYS = ("task_id", "id", "request_id", "external_task_id", "name", "status", "data")

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_strings,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(ID_KEYS), st.text(max_size=6)), inner, max_size=4
        ),
    ),
    max_leaves=200,
)
bodies = st.one_of(
    json_values.map(lambda value: (json.dumps(value), "application/json")),
    st.binary(max_size=300).map(lambda raw: (raw, "application/json")),
    st.sampled_from(
        [
            ("", "application/json"),
            ("task_id=1&status=succeed", "application/x-www-form-urlencoded"),
            ('{"task_id": "1"', "application/json"),
            ("\ufeff{}", "application/json"),
            ('{"task_id": "' + "x" * 200_000 + '"}', "application/json"),
            ('{"a":' * 50 + "1" + "}" * 50, "application/json"),
            ("[" * 500 + "]" * 500, "application/json"),
            ("<xml/>", "text/xml"),
        ]
    ),
)
token_chars = st.characters(
    exclude_categories=("Cs", "Cc"),
    exclude_characters="/?#%",
)


def valid_token(provider: str) -> str:
    """The token the studio gives `provider` (made and stored on first use)."""
    from projects.pipeline.webhooks import webhook_token

    return webhook_token(provider)


def hook_url(world, route_name: str, provider: str, token: str) -> str:
    route = next(route for route in routes() if route.name == route_name)
    kwargs = fill(route, world)[0]
    kwargs.update({k: v for k, v in (("provider", provider), ("token", token)) if k in kwargs})
    return url_for(route, kwargs)


@settings(max_examples=RANDOM_HOOKS, **HOSTILE)
@given(data=st.data())
def test_hostile_webhooks(world, data):
    if not WEBHOOK_ROUTES:
        pytest.skip("no webhook routes")
    route = data.draw(st.sampled_from(WEBHOOK_ROUTES), label="route")
    provider = data.draw(st.sampled_from([*sorted(django_settings.VIDEO_PROVIDERS), "nope"]))
    token = data.draw(
        st.one_of(st.just(valid_token(provider)), st.text(token_chars, min_size=1, max_size=64)),
        label="token",
    )
    body, content_type = data.draw(bodies, label="body")
    visitor = data.draw(st.sampled_from(["anonymous", "anonymous", "owner"]), label="visitor")
    case = Case(visitor, "POST", hook_url(world, route, provider, token), body, content_type)
    run(world, case, "webhooks")
