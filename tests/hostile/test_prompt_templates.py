"""Hand-written hostile cases for prompt templates: the studio's revert form (only staff see
it, and the crawl goes as the owner), and hostile template text and version numbers posted to
every template endpoint as every visitor. Never a server error; a refusal saves nothing
(harness.run checks both)."""

import pytest

from .harness import Case, run
from .values import CLASSICS, HUGE_NUMBER
from .world import ROLES

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ subject" + '|replace("a", "aaaaaaaaaa")' * 12 + " }}",
    "{% if subject %}" * 60 + "x" + "{% endif %}" * 60,
    "{{ subject ",
    *CLASSICS[::12],
]
NUMBERS = ["", "-1", "1e308", HUGE_NUMBER, "v1", "\x00"]
# Each case snapshots the studio: the megabyte goes to the save only, the unknown family gets
# one case per endpoint (it is refused before the text is read).
MEGABYTE = "x" * 1_000_000


def cases(base: str) -> list[tuple[str, dict]]:
    found = [(f"{base}kling/", {"text": MEGABYTE})]
    for end in ("", "preview/"):
        found += [(f"{base}kling/{end}", {"text": text}) for text in HOSTILE_TEXT]
        found.append((f"{base}no-such-family/{end}", {"text": HOSTILE_TEXT[0]}))
    found += [(f"{base}kling/revert/", {"number": number}) for number in NUMBERS]
    found.append((f"{base}no-such-family/revert/", {"number": "1"}))
    return found


@pytest.mark.parametrize("role", [*ROLES, "staff"])
def test_hostile_templates_and_versions_as_every_visitor(world, role):
    statuses = set()
    for base in (f"/projects/{world.project.pk}/prompts/", "/prompts/"):
        for url, data in cases(base):
            statuses.add(run(world, Case(role, "POST", url, data), "hand-written").status_code)
    assert all(status < 500 for status in statuses), statuses


def test_staff_revert_the_studio_default(world):
    response = run(
        world, Case("staff", "POST", "/prompts/kling/revert/", {"number": "1"}), "hand-written"
    )
    assert response.status_code == 302
