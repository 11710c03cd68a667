"""Reading the project's activity: newest first, filtered by scene, shot, person and kind, a
page at a time by id (keyset), so a page costs the same whatever the history's length."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.http import Http404

from projects.models import Activity, ActivityKind, Project

PAGE = 50


@dataclass
class ActivityFilters:
    """What the filter form asked for, cleaned: unreadable values are dropped, ids of another
    project's scenes or shots are a 404."""

    scene: int | None = None
    shot: int | None = None
    person: int | None = None
    kind: str = ""
    before: int | None = None
    query: dict = field(default_factory=dict)  # the filters to keep in "older" links


def _number(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def activity_filters(project: Project, params) -> ActivityFilters:
    found = ActivityFilters(
        scene=_number(params.get("scene")),
        shot=_number(params.get("shot")),
        person=_number(params.get("person")),
        kind=params.get("kind", "") if params.get("kind") in ActivityKind.values else "",
        before=_number(params.get("before")),
    )
    if found.scene and not project.scenes.filter(pk=found.scene).exists():
        raise Http404("No such scene in this project.")
    if found.shot and not project.shots.filter(pk=found.shot).exists():
        raise Http404("No such shot in this project.")
    found.query = {
        name: getattr(found, name)
        for name in ("scene", "shot", "person", "kind")
        if getattr(found, name)
    }
    return found


def activity_page(project: Project, filters: ActivityFilters) -> tuple[list[Activity], int | None]:
    """One page of lines, and the id to ask for the next (older) page from, if any."""
    lines = Activity.objects.filter(project=project)
    if filters.scene:
        lines = lines.filter(scene_id=filters.scene)
    if filters.shot:
        lines = lines.filter(shot_id=filters.shot)
    if filters.person:
        lines = lines.filter(actor_id=filters.person)
    if filters.kind:
        lines = lines.filter(kind=filters.kind)
    if filters.before:
        lines = lines.filter(pk__lt=filters.before)
    page = list(lines.order_by("-pk")[: PAGE + 1])
    older = page[PAGE - 1].pk if len(page) > PAGE else None
    return page[:PAGE], older


def activity_choices(project: Project) -> dict:
    """The filter form's lists: the project's scenes, shots and people."""
    people = get_user_model().objects.filter(memberships__project=project).order_by("username")
    return {
        "scenes": list(project.scenes.order_by("order", "number").values("pk", "number", "title")),
        "shots": list(project.shots.order_by("scene__order", "order").values("pk", "label")),
        "people": list(people.values("pk", "username")),
        "kinds": ActivityKind.choices,
    }
