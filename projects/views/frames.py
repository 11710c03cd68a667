"""The shot page's hero-frame panel: ask a still model for candidates, watch them arrive side by
side (HTMX polling reads the database only), use one as the shot's hero frame."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from projects.selectors.frames import (
    MAX_CANDIDATES,
    chosen_frame_id,
    frame_candidates,
    frame_offers,
)
from projects.services.frames import frame_choose, frames_request

from ..models import Membership, Shot, Take, TakeKind
from .access import member_of
from .media import ranged_file_response

PANEL = "projects/frames.html#frames-panel"
CANDIDATES = "projects/frames.html#frame-candidates"


def _shot(membership: Membership, shot_id: int) -> Shot:
    return get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)


def _frame_take(membership: Membership, take_id: int) -> Take:
    takes = Take.objects.filter(project=membership.project, kind=TakeKind.FRAME)
    return get_object_or_404(takes.select_related("shot"), pk=take_id)


def _context(membership: Membership, shot: Shot, *, offers: bool) -> dict:
    candidates = frame_candidates(shot)
    return {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "candidates": candidates,
        "chosen_id": chosen_frame_id(shot),
        "in_flight": any(not take.is_finished for take in candidates),
        # The offer reads rate cards and provider accounts: the polled list does without.
        "offers": frame_offers(shot) if offers and membership.can_edit else [],
        "counts": range(1, MAX_CANDIDATES + 1),
    }


def panel_response(
    request: HttpRequest,
    membership: Membership,
    shot: Shot,
    *,
    errors=(),
    asked: dict | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    # `asked`: what the form said, shown again with its error so nothing typed is lost.
    context = _context(membership, shot, offers=True)
    context |= {"errors": errors, "asked": asked or {}, "notice": notice}
    if request.htmx:
        return render(request, PANEL, context, status=status)
    for error in errors:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return redirect(reverse("projects:shot", args=[membership.project_id, shot.pk]) + "#frames")


@login_required
@require_safe
def frames(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    shot = _shot(membership, shot_id)
    return render(request, PANEL, _context(membership, shot, offers=True))


@login_required
@require_safe
def frames_candidates(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    shot = _shot(membership, shot_id)
    return render(request, CANDIDATES, _context(membership, shot, offers=False))


@login_required
@require_POST
def frames_create(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = _shot(membership, shot_id)
    model = request.POST.get("model", "")
    try:
        count = int(request.POST.get("count", "1"))
    except ValueError:
        count = 0  # refused below with the message
    asked = {"model": model, "count": count}
    try:
        takes = frames_request(shot=shot, user=request.user, model=model, count=count)
    except ValidationError as error:
        return panel_response(
            request, membership, shot, errors=error.messages, asked=asked, status=422
        )
    numbers = ", ".join(str(take.number) for take in takes)
    notice = f"Asked for {len(takes)} candidate{'s' if len(takes) > 1 else ''} (take {numbers})."
    return panel_response(request, membership, shot, asked=asked, notice=notice)


@login_required
@require_POST
def frame_use(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    take = _frame_take(membership, take_id)
    try:
        frame_choose(take=take, user=request.user)
    except ValidationError as error:
        return panel_response(request, membership, take.shot, errors=error.messages, status=422)
    messages.success(request, f"Take {take.number} is now the hero frame of {take.shot.label}.")
    if request.htmx:
        # The hero frame in the shot form changed too, and the Generate offer with it: the
        # whole page is drawn again rather than patched in three places.
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return redirect(reverse("projects:shot", args=[project_id, take.shot_id]) + "#frames")


@login_required
@require_safe
def frame_still(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    take = _frame_take(membership, take_id)
    if not take.still:
        return HttpResponse("No image yet.", status=404, content_type="text/plain")
    return ranged_file_response(request, take.still, "image/jpeg")
