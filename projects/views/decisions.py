"""An owner's decisions on a shot: approve its circled take for final, or withdraw that."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from projects.services import decisions

from .access import member_of
from .shots import editor_response, shot_of


@login_required
@require_POST
def shot_approve(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="own")
    shot = shot_of(membership, shot_id)
    note = request.POST.get("note", "")
    try:
        shot = decisions.shot_approve(shot=shot, user=request.user, note=note)
    except ValidationError as error:
        # 422 with the typed note kept beside the message; nothing was saved.
        return editor_response(
            request,
            membership,
            shot,
            approval_error=" ".join(error.messages),
            approval_note=note,
            status=422,
        )
    messages.success(request, f"Shot {shot.label} is approved for final.")
    return redirect("projects:shot", membership.project_id, shot.pk)


@login_required
@require_POST
def shot_unapprove(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="own")
    shot = shot_of(membership, shot_id)
    try:
        decisions.shot_unapprove(shot=shot, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The approval of shot {shot.label} is withdrawn.")
    return redirect("projects:shot", membership.project_id, shot.pk)
