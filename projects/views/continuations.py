"""Extend a ready take, and ask for a draft: each calls one service in
projects.services.continuations. A draft's final is the take card's Promote."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from projects.models import Take, TakeState
from projects.services import continuations
from projects.services.takes import DuplicateTake

from .access import member_of
from .shots import shot_of
from .takes import card_response, shot_url, take_of


@login_required
@require_POST
def take_extend(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    """HTMX: the new take's card goes to the top of the takes list and the extended take's card
    is redrawn with its lineage (out of band); a refusal is said on the take's own card."""
    membership = member_of(request, project_id, need="edit")
    take = take_of(membership, take_id)
    try:
        new = continuations.take_extend(
            take=take, user=request.user, allow_duplicate=request.POST.get("allow_duplicate") == "1"
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            take.extend_error = message
            # The same extension already made: asking again on purpose is a second variation.
            take.extend_again = isinstance(error, DuplicateTake) and error.existing.is_finished
            response = card_response(request, membership, take, status=422)
            return reswap(retarget(response, f"#take-{take.pk}"), "outerHTML")
        messages.error(request, message)
        return redirect(f"{shot_url(membership, take.shot_id)}#take-{take.pk}")
    if request.htmx:
        html = card_response(request, membership, take_of(membership, new.pk)).content
        parent = take_of(membership, take.pk)
        parent.swap_oob = True
        html += card_response(request, membership, parent).content
        return HttpResponse(html)
    messages.success(request, _asked(new, f"continues take {take.number}"))
    return redirect(f"{shot_url(membership, take.shot_id)}#takes")


@login_required
@require_POST
def take_draft(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """The "Draft first" button beside Generate (same form, its own action)."""
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    try:
        new = continuations.take_request_draft(
            shot=shot, user=request.user, allow_duplicate=request.POST.get("allow_duplicate") == "1"
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _asked(new, f"is a draft of shot {shot.label}"))
    return redirect(f"{shot_url(membership, shot.pk)}#takes")


def _asked(take: Take, what: str) -> str:
    if take.state == TakeState.AWAITING_APPROVAL:
        return (
            f"Take {take.number} {what}; it may cost up to ${take.estimated_cost:.2f}, above the "
            "project's approval limit: it waits for an owner's approval."
        )
    return f"Take {take.number} {what} (up to ${take.estimated_cost:.2f})."
