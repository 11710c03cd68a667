"""Every page, partial and file, read by every kind of visitor with hostile query strings
and headers: never a server error, and a read never changes anything."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .harness import KNOWN_PARAMS, Case, fill, routes, run, url_for
from .test_forms import HOSTILE
from .values import CLASSICS, DATES, HX_HEADERS, RANGES, hostile_strings
from .world import ROLES

pytestmark = pytest.mark.django_db
VISITORS = (*ROLES, "staff")
RANDOM_READS = 40


def readable(world) -> list[str]:
    return [route for route in routes() if "GET" in world.methods.get(route.name, ())]


def test_every_page_as_every_visitor(world):
    """Each page as its owner and a viewer, and as one more kind of visitor in turn (who may
    see what is covered elsewhere: here the input is the point)."""
    others = [v for v in VISITORS if v not in ("owner", "viewer")]
    for n, route in enumerate(readable(world)):
        url = url_for(route, fill(route, world)[0])
        for r, visitor in enumerate(("owner", "viewer", others[n % len(others)])):
            hostile = CLASSICS[(n * len(VISITORS) + r) % len(CLASSICS)]
            query = {KNOWN_PARAMS[(n + r) % len(KNOWN_PARAMS)]: hostile}
            headers = {"HX-Request": "true"} if r % 2 else {}
            run(world, Case(visitor, "GET", url, query, headers=headers), "reads")


def test_every_search_form_filled_wrong(world):
    """Forms that GET (the dashboard's filter): each field given hostile values in turn."""
    searches = [form for form in world.forms if form.method == "get"]
    for form in searches:
        for n, field in enumerate(f for f in form.fields if f.kind != "submit"):
            values = DATES if field.kind == "date" else CLASSICS[n::6][:8]
            for value in values:
                query = {**form.payload(), field.name: [value]}
                run(world, Case("owner", "GET", form.url, query), "reads")
                if field.kind == "date":  # the CSV export reads the same dates
                    csv = {**query, "format": "csv"}
                    run(world, Case("staff", "GET", form.url, csv), "reads")


def test_byte_ranges_on_every_take_file(world):
    take_media = [route for route in routes() if route.name == "projects:take-media"]
    for route in take_media:
        for kwargs in fill(route, world)[:1]:  # the finished take's video
            for header in RANGES:
                url = url_for(route, kwargs)
                run(world, Case("viewer", "GET", url, headers={"Range": header}), "reads")


@settings(max_examples=RANDOM_READS, **HOSTILE)
@given(data=st.data())
def test_hostile_reads(world, data):
    route = data.draw(st.sampled_from(readable(world)), label="route")
    url = url_for(route, data.draw(st.sampled_from(fill(route, world)), label="kwargs"))
    visitor = data.draw(st.sampled_from(VISITORS), label="visitor")
    query = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(KNOWN_PARAMS), st.text(max_size=8)),
            st.one_of(hostile_strings, st.lists(hostile_strings, max_size=3)),
            max_size=4,
        ),
        label="query",
    )
    headers = data.draw(HX_HEADERS, label="headers")
    if data.draw(st.booleans(), label="range"):
        headers["Range"] = data.draw(st.sampled_from(RANGES))
    run(world, Case(visitor, "GET", url, query, headers=headers), "reads")
