"""The owner's side of review links: list them with their views, make one, revoke one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from projects.forms import ReviewLinkForm
from projects.models import ReviewLink, Role
from projects.selectors.review import review_links_of
from projects.services.review_links import review_link_create, review_link_revoke

from .access import member_of


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_links(request: HttpRequest, project_id: int) -> HttpResponse:
    if request.method == "POST":
        membership = member_of(request, project_id, need="own")
        form = ReviewLinkForm(request.POST, project=membership.project)
        if form.is_valid():
            data = form.cleaned_data
            link = review_link_create(
                project=membership.project,
                created_by=request.user,
                label=data["label"],
                scene=data["scene"],
                expires_at=data["expires_at"],
                password=data["password"],
                allow_comments=data["allow_comments"],
            )
            return redirect(f"{request.path}#link-{link.pk}")
        status = 422
    else:
        membership = member_of(request, project_id)
        if membership.role != Role.OWNER:  # an archived project's links can still be read
            raise PermissionDenied("Only the project's owners can share review links.")
        form, status = ReviewLinkForm(project=membership.project), 200
    context = {
        "project": membership.project,
        "membership": membership,
        "form": form,
        "links": review_links_of(membership.project),
    }
    return render(request, "projects/review_links.html", context, status=status)


@login_required
@require_POST
def review_link_revoke_view(request: HttpRequest, project_id: int, link_id: int):
    membership = member_of(request, project_id, need="own")
    link = get_object_or_404(ReviewLink, project=membership.project, pk=link_id)
    review_link_revoke(link=link, revoked_by=request.user)
    return redirect(reverse("projects:review-links", args=[project_id]) + f"#link-{link.pk}")
