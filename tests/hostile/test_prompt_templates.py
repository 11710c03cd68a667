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
    "x" * 1_000_000,
    "{{ subject ",
    *CLASSICS[::6],
]
NUMBERS = ["", "0", "-1", "1e308", HUGE_NUMBER, "9000000000000000000", "v1", *CLASSICS[::8]]


def urls(world) -> list[str]:
    project = f"/projects/{world.project.pk}/prompts/"
    return [project, "/prompts/"]


@pytest.mark.parametrize("role", [*ROLES, "staff"])
def test_hostile_templates_and_versions_as_every_visitor(world, role):
    statuses = set()
    for base in urls(world):
        for family in ("kling", "no-such-family"):
            for text in HOSTILE_TEXT:
                for end in ("", "preview/"):
                    case = Case(role, "POST", f"{base}{family}/{end}", {"text": text})
                    statuses.add(run(world, case, "hand-written").status_code)
            for number in NUMBERS:
                case = Case(role, "POST", f"{base}{family}/revert/", {"number": number})
                statuses.add(run(world, case, "hand-written").status_code)
    assert all(status < 500 for status in statuses), statuses


def test_staff_revert_the_studio_default(world):
    response = run(
        world, Case("staff", "POST", "/prompts/kling/revert/", {"number": "1"}), "hand-written"
    )
    assert response.status_code == 302
