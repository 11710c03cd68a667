"""Every form the studio renders, posted back wrong by every kind of visitor."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import Case, fill, routes, run, url_for
from .values import CLASSICS, HX_HEADERS, apply, mutations
from .values import HUGE_NUMBER as HUGE
from .world import ROLES, bogus_files

HOSTILE = dict(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
RANDOM_POSTS = 80
pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(world):
    return world, [form for form in world.forms if form.method == "post"]


def field_names(form) -> list[str]:
    names = {f.name for f in form.fields if f.kind != "file"}
    return sorted(names - {"csrfmiddlewaretoken"})


def file_fields(form) -> dict[str, str]:
    return {f.name: f.accept for f in form.fields if f.kind == "file"}


def test_every_form_as_every_visitor(posts):
    """Each kind of form once per visitor, with one classic hostile value in turn."""
    world, forms = posts
    distinct = {}
    for form in forms:
        distinct.setdefault(form.key, form)
    for n, form in enumerate(distinct.values()):
        names = field_names(form)
        for r, role in enumerate(ROLES):
            payload = form.payload()
            if names:
                name = names[(n + r) % len(names)]
                payload[name] = [CLASSICS[(n * len(ROLES) + r) % len(CLASSICS)]]
            run(world, Case(role, "POST", form.url, payload), "forms")


def test_every_post_route_posted_blind(world):
    """Every route that takes a POST, whether or not a page renders a form for it: empty,
    junk fields or a JSON body, as its owner and one other visitor in turn."""
    blind = [
        {},
        {"\x00": "\x00", "id": HUGE, "next": "//evil.example/"},
        {"position": HUGE, "amount": "NaN", "direction": "é" * 500},
    ]
    for route in routes():
        if "POST" not in world.methods.get(route.name, ()):
            continue
        url = url_for(route, fill(route, world)[0])
        for n, role in enumerate(("owner", ROLES[1 + len(url) % (len(ROLES) - 1)])):
            payload = blind[(n + len(url)) % len(blind)]
            run(world, Case(role, "POST", url, payload), "forms")
        run(
            world,
            Case("owner", "POST", url, '{"a": [1, {"b": null}]}', "application/json"),
            "forms",
        )


@settings(max_examples=RANDOM_POSTS, **HOSTILE)
@given(data=st.data())
def test_hostile_posts(posts, data):
    world, forms = posts
    form = data.draw(st.sampled_from(forms), label="form")
    role = data.draw(st.sampled_from(ROLES), label="role")
    payload = apply(form.payload(), data.draw(mutations(field_names(form)), label="changes"))
    encoding = data.draw(st.sampled_from(["multipart", "multipart", "urlencoded", "json"]))
    headers = data.draw(HX_HEADERS, label="headers")
    if encoding == "multipart":
        body: dict | str = dict(payload)
        for name, accept in sorted(file_fields(form).items()):
            kind = data.draw(st.sampled_from([None, *sorted(bogus_files(accept))]), label=name)
            if kind:
                body[name] = bogus_files(accept)[kind]
        case = Case(role, "POST", form.url, body, headers=headers)
    elif encoding == "urlencoded":
        body = urlencode(payload, doseq=True)
        case = Case(role, "POST", form.url, body, "application/x-www-form-urlencoded", headers)
    else:
        case = Case(role, "POST", form.url, json.dumps(payload), "application/json", headers)
    run(world, case, "forms")
