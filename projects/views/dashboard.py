"""The cost dashboard: staff see every project, owners see the projects they own."""

from __future__ import annotations

import csv
import itertools
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from projects.selectors.dashboard import (
    CSV_HEADER,
    Period,
    cost_dashboard,
    dashboard_projects,
    ledger_rows,
)

DEFAULT_DAYS = 30
MAX_DAYS = 366


def spoken(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def within_the_calendar(day: date) -> None:
    if not Period.allows(day):
        raise forms.ValidationError(
            f"Enter a date between {spoken(Period.FIRST)} and {spoken(Period.LAST)}."
        )


def date_field() -> forms.DateField:
    return forms.DateField(
        required=False,
        validators=[within_the_calendar],
        widget=forms.DateInput(
            attrs={"type": "date", "min": Period.FIRST.isoformat(), "max": Period.LAST.isoformat()}
        ),
    )


class DashboardFilter(forms.Form):
    start = date_field()
    end = date_field()
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All projects",
        error_messages={"invalid_choice": "That project is not on your dashboard."},
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The start date must be on or before the end date.")
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(f"Choose a range of at most {MAX_DAYS} days.")
        return data


class Filters:
    """The period and projects to show, with a sentence for whatever could not be used."""

    def __init__(self, request: HttpRequest):
        self.projects = dashboard_projects(request.user)
        self.form = DashboardFilter(request.GET or None, projects=self.projects)
        self.period = Period.last_days(DEFAULT_DAYS)
        self.project = None
        self.message = ""
        if not self.form.is_bound:
            self.form = DashboardFilter(initial=self.initial(), projects=self.projects)
            return
        if self.form.is_valid():
            data = self.form.cleaned_data
            self.period = Period.from_ends(data["start"], data["end"], days=DEFAULT_DAYS)
            self.project = data["project"]
        else:
            self.message = self.explain()
            if "project" not in self.form.errors:
                self.project = self.form.cleaned_data.get("project")
        # The inputs show what is actually on screen, so the next submit starts from it.
        self.form = DashboardFilter(initial=self.initial(), projects=self.projects)

    def initial(self) -> dict:
        return {"start": self.period.start, "end": self.period.end, "project": self.project}

    def explain(self) -> str:
        errors = self.form.errors
        reasons = []
        for name in ("start", "end"):
            for error in errors.get(name, []):
                reasons.append(f"{name.capitalize()} date: {error}")
        reasons.extend(errors.get("__all__", []))
        sentence = " ".join(reasons)
        if reasons:
            sentence += f" Showing the last {DEFAULT_DAYS} days instead."
        if "project" in errors:
            sentence = (sentence + " " + errors["project"][0] + " Showing all of them.").strip()
        return sentence

    @property
    def scope(self):
        return self.projects.filter(pk=self.project.pk) if self.project else self.projects

    def query(self, **extra) -> str:
        query = QueryDict(mutable=True)
        query["start"] = self.period.start.isoformat()
        query["end"] = self.period.end.isoformat()
        if self.project:
            query["project"] = str(self.project.pk)
        query.update(extra)
        return query.urlencode()


class Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filters: Filters) -> StreamingHttpResponse:
    writer = csv.writer(Echo())
    rows = ledger_rows(projects=filters.scope, period=filters.period)
    stream = (writer.writerow(row) for row in itertools.chain([CSV_HEADER], rows))
    # Built only from dates and a number we produced: nothing a user typed reaches the header.
    name = f"shot-studio-ledger-{filters.period.start:%Y-%m-%d}-to-{filters.period.end:%Y-%m-%d}"
    if filters.project:
        name += f"-project-{filters.project.pk}"
    response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = Filters(request)
    if request.GET.get("format") == "csv":
        return csv_response(filters)
    context = {
        "form": filters.form,
        "message": filters.message,
        "period": filters.period,
        "selected": filters.project,
        "staff": request.user.is_staff,
        "data": cost_dashboard(projects=filters.scope, period=filters.period),
        "csv_query": filters.query(format="csv"),
    }
    return render(request, "projects/dashboard.html", context)
