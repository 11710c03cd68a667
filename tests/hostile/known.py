"""Server errors that another engineer's branch of issue 9 fixes, not this one.

The generated cases leave these inputs alone, and test_known_elsewhere.py keeps one strict
xfail test for each. Once the branches are merged those tests pass, which fails them (strict):
then delete the entry here and the mark there, and the generators attack the field too.
"""

from __future__ import annotations

# route -> the form fields not to mutate, and why
UNTOUCHED_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "projects:take-action": (
        ("next",),
        "issue 9 item 10: take actions redirect to any POSTed `next` (a 500 for a non-URL)",
    ),
}
# Webhook inputs the generators leave out until the webhook branch is merged (item 11, D).
WEBHOOK_TOKENS_ASCII_ONLY = True
WEBHOOK_BODIES_SHALLOW = True


def untouched(route: str) -> tuple[str, ...]:
    return UNTOUCHED_FIELDS.get(route, ((), ""))[0]


def untouched_routes() -> set[str]:
    return set(UNTOUCHED_FIELDS)
