"""Server errors another engineer's branch of issue 9 fixes (see known.py). Strict: when the
merge fixes one, its test passes, which fails the run until the entry is removed here and in
known.py — and then the generated cases attack that input too."""

import pytest

from .harness import Case, run

pytestmark = pytest.mark.django_db
ELSEWHERE = pytest.mark.xfail(strict=True, reason="fixed on another branch of issue 9")


@ELSEWHERE
@pytest.mark.parametrize("target", ["javascript:alert(1)", "NaN", "https://evil.example/"])
def test_a_take_action_with_a_hostile_next(world, target):
    take = world.takes["queued"]
    url = f"/projects/{world.project.pk}/takes/{take.pk}/cancel/"
    response = run(world, Case("editor", "POST", url, {"next": target}), "elsewhere")
    assert response.status_code < 500
    assert "evil.example" not in response.get("Location", "")  # item 10: only our own URLs


@ELSEWHERE
def test_a_webhook_token_that_is_not_ascii(world):
    response = run(world, Case("anonymous", "POST", "/hooks/seedance/é/", "{}"), "elsewhere")
    assert response.status_code == 404


@ELSEWHERE
def test_a_webhook_body_of_100000_nested_brackets(world):
    from .test_webhooks import hook_url, valid_token

    url = hook_url(world, "provider-webhook", "seedance", valid_token("seedance"))
    body = "[" * 100_000 + "]" * 100_000
    response = run(world, Case("anonymous", "POST", url, body, "application/json"), "elsewhere")
    assert response.status_code < 500
