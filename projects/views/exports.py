"""The film leaves the studio: the exports page, files made on the spot (timelines, boards,
the shot list) and deliverables a worker makes (the animatic MP4, the editor package)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from projects.deliver.errors import DeliveryError
from projects.forms import DeliverableForm, ExportForm
from projects.models import Deliverable
from projects.selectors.exports import FORMATS, deliverables_of, export_file
from projects.services.deliverables import deliverable_request

from .access import member_of
from .media import ranged_file_response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def exports(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: the page. POST: ask a worker for a deliverable (editors and owners)."""
    need = "edit" if request.method == "POST" else "view"
    membership = member_of(request, project_id, need=need)
    project = membership.project
    make_form = DeliverableForm(request.POST or None, project=project)
    status = 200
    if request.method == "POST":
        if make_form.is_valid():
            data = make_form.cleaned_data
            deliverable = deliverable_request(
                membership=membership,
                kind=data["kind"],
                scene=data["scene"],
                resolution=data["resolution"] or "720p",
                burn_in=data["burn_in"],
            )
            return redirect(f"{request.path}#deliverable-{deliverable.pk}")
        status = 422
    return _page(request, membership, make_form=make_form, status=status)


@login_required
@require_safe
def export_download(request: HttpRequest, project_id: int) -> HttpResponse:
    """A timeline, the boards or the shot list, made now. A bad choice or a cut that cannot be
    exported is said on the exports page, by the form, not as an error page."""
    membership = member_of(request, project_id)
    form = ExportForm(request.GET, project=membership.project, formats=FORMATS)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = export_file(
                membership.project,
                data["format"],
                scene=data["scene"],
                per_page=data["per_page"] or 3,
            )
        except DeliveryError as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(made.content, content_type=made.content_type)
            response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
    return _page(request, membership, export_form=form, status=422)


@login_required
@require_safe
def deliverable_card(request: HttpRequest, project_id: int, deliverable_id: int):
    """One deliverable's row: HTMX polls it while a worker makes it."""
    membership = member_of(request, project_id)
    deliverable = get_object_or_404(deliverables_of(membership.project), pk=deliverable_id)
    context = {"project": membership.project, "deliverable": deliverable}
    return render(request, "projects/exports.html#deliverable", context)


@login_required
@require_safe
def deliverable_file(request: HttpRequest, project_id: int, deliverable_id: int):
    membership = member_of(request, project_id)
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("project", "scene"),
        project=membership.project,
        pk=deliverable_id,
    )
    if not deliverable.file:
        raise Http404("This is not ready yet.")
    content_type = "video/mp4" if deliverable.kind == "animatic" else "application/zip"
    download_name = None if request.GET.get("play") == "1" else deliverable.download_name
    return ranged_file_response(
        request, deliverable.file, content_type, download_name=download_name
    )


def _page(request, membership, *, make_form=None, export_form=None, status=200):
    project = membership.project
    if make_form is not None and make_form.is_bound and not make_form.is_valid():
        messages.error(request, "The deliverable was not queued: see the form below.")
    context = {
        "project": project,
        "membership": membership,
        "export_form": export_form or ExportForm(project=project, formats=FORMATS),
        "make_form": make_form or DeliverableForm(project=project),
        "deliverables": deliverables_of(project)[:30],
        "animatic_url": reverse("projects:animatic", args=[project.pk]),
    }
    return render(request, "projects/exports.html", context, status=status)
