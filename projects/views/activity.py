"""The project's activity page: what happened, newest first, filtered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from projects.selectors.activity import activity_choices, activity_filters, activity_page

from .access import member_of


@login_required
@require_safe
def activity(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="view")
    project = membership.project
    filters = activity_filters(project, request.GET)
    lines, older = activity_page(project, filters)
    context = {
        "project": project,
        "membership": membership,
        "lines": lines,
        "older": older,
        "filters": filters,
        **activity_choices(project),
    }
    template = "projects/activity.html#lines" if request.htmx else "projects/activity.html"
    return render(request, template, context)
