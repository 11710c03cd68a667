"""Named hostile cases that were server errors before issue 9 (items 10 and 11): a hostile
`next` on take actions, a non-ASCII webhook token, 100,000 nested brackets."""

import pytest

from .harness import Case, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["javascript:alert(1)", "NaN", "https://evil.example/"])
def test_a_take_action_with_a_hostile_next(world, target):
    take = world.takes["queued"]
    url = f"/projects/{world.project.pk}/takes/{take.pk}/cancel/"
    response = run(world, Case("editor", "POST", url, {"next": target}), "named")
    assert response.status_code < 500
    assert "evil.example" not in response.get("Location", "")  # item 10: only our own URLs


def test_a_webhook_token_that_is_not_ascii(world):
    response = run(
        world, Case("anonymous", "POST", "/hooks/seedance/é/", "{}", "application/json"), "named"
    )
    assert response.status_code == 404


def test_a_webhook_body_of_100000_nested_brackets(world):
    from .test_webhooks import hook_url, valid_token

    url = hook_url(world, "provider-webhook", "seedance", valid_token("seedance"))
    body = "[" * 100_000 + "]" * 100_000
    response = run(world, Case("anonymous", "POST", url, body, "application/json"), "named")
    assert response.status_code < 500
