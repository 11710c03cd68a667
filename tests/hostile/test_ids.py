"""Ids no 64-bit column can hold, and ids of another project's records, in every URL."""

import pytest

from projects.models import Membership

from .harness import Case, fill, routes, run, url_for

pytestmark = pytest.mark.django_db
TOO_BIG = (10**30, 2**63)
SENTINEL = 9_111_111_111_111_111_111  # an id no world record has, to mark the place


def other_ids(world) -> dict[str, int]:
    """The outsider's own project's records: real ids, of the wrong project."""
    other = world.other_project
    shot = other.shots.first()
    return {
        "project_id": other.pk,
        "scene_id": other.scenes.first().pk,
        "shot_id": shot.pk,
        "member_id": Membership.objects.filter(project=other).first().pk,
    }


def method_for(world, route) -> str:
    return "GET" if "GET" in world.methods.get(route.name, ()) else "POST"


def test_ids_too_big_for_64_bits_are_not_found(world):
    for route in routes():
        base = fill(route, world)[0]
        for name in (n for n in route.kwargs if n.endswith("_id")):
            # reverse() refuses such an id, as the resolver now does: put it in by hand.
            marked = url_for(route, {**base, name: SENTINEL})
            for value in TOO_BIG:
                url = marked.replace(str(SENTINEL), str(value))
                method = method_for(world, route)
                response = run(world, Case("owner", method, url, refused=True), "ids")
                assert response.status_code == 404, f"{method} {url}: {response.status_code}"


def test_another_projects_records_are_not_reachable(world):
    others = other_ids(world)
    for route in routes():
        base = fill(route, world)[0]
        for name in (n for n in route.kwargs if n in others):
            url = url_for(route, {**base, name: others[name]})
            method = method_for(world, route)
            response = run(world, Case("owner", method, url, refused=True), "ids")
            assert response.status_code in (302, 404), f"{method} {url}: {response.status_code}"
