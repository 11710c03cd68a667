"""Takes on a shot: generate, follow (HTMX polling reads the database only), review, circle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from projects.selectors.comments import notes_by_take
from projects.selectors.continuations import with_continuations
from projects.selectors.money import budget_warning
from projects.selectors.take_card import card_markup_key, card_version, take_card_of, with_history
from projects.selectors.versions import version_numbers
from projects.services import takes as takes_writes
from projects.services.takes import (
    DuplicateTake,
    take_approve,
    take_cancel,
    take_circle,
    take_decline,
    take_fetch_again,
    take_mark_failed,
    take_promote,
    take_request,
    take_retry,
)

from ..forms import RefundForm
from ..ids import parse_ids
from ..models import Membership, Take, TakeKind, TakeState
from .access import member_of
from .media import ranged_file_response
from .shots import PROMOTE_MODELS, shot_of


def take_of(membership: Membership, take_id: int) -> Take:
    takes = (
        Take.objects.filter(project=membership.project)
        .select_related("shot", "requested_by", "promoted_from", "retry_of", "extends")
        .with_charges()
    )
    return get_object_or_404(takes, pk=take_id)


def card_response(
    request: HttpRequest,
    membership: Membership,
    take: Take,
    status: int = 200,
    refund_form: RefundForm | None = None,
):
    # The camera report lists the take's history: read with the take by the poll, else one
    # query, however long it is.
    if hasattr(take, "history"):
        with_history(take)
    else:
        prefetch_related_objects([take], "events")
    with_continuations([take])  # Extend's offer and lineage: no query unless it can extend
    # One person's refund form with its errors is never shared markup.
    take.markup_key = (
        card_markup_key(take, membership, promote_models=PROMOTE_MODELS)
        if refund_form is None
        else ""
    )
    context = {
        "refund_form": refund_form,
        "project": membership.project,
        "membership": membership,
        "take": take,
        "shot": take.shot,
        "promote_models": PROMOTE_MODELS,
    }
    return render(request, "projects/take_card.html#take-card", context, status=status)


@login_required
@require_POST
def take_create(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    allow_duplicate = request.POST.get("allow_duplicate") == "1"
    try:
        take = take_request(shot=shot, user=request.user, allow_duplicate=allow_duplicate)
    except DuplicateTake as duplicate:
        messages.warning(request, duplicate.messages[0])
        return redirect(f"{shot_url(membership, shot.pk)}?duplicate={duplicate.existing.pk}#takes")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if take.state == TakeState.AWAITING_APPROVAL:
            messages.info(
                request,
                f"Take {take.number} may cost up to ${take.estimated_cost:.2f}, above the "
                "project's approval limit: it waits for an owner's approval.",
            )
        else:
            messages.success(request, f"Take {take.number} of shot {shot.label} is on its way.")
        membership.project.refresh_from_db(fields=["budget", "spent", "reserved"])
        warning = budget_warning(membership.project)
        if warning:
            messages.warning(request, warning)
    return redirect(f"{shot_url(membership, shot.pk)}#takes")


def shot_url(membership: Membership, shot_id: int) -> str:
    return reverse("projects:shot", args=[membership.project_id, shot_id])


@login_required
@require_safe
def take_card(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    """A card in flight polls this every 2 s: one query to see whether anything changed, 304
    if not. The browser revalidates its cached copy itself and hands htmx that copy as a 200,
    so the swap is the same card again. A finished card stops polling and gets no ETag (what
    it shows then also depends on its extensions and the shot's circled take)."""
    membership, take = take_card_of(request.user, project_id, take_id)
    if take.is_finished:
        return card_response(request, membership, take)
    etag = f'"{card_version(membership, take)}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = card_response(request, membership, take)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


# Each action a take card offers: who may press it, and the one service it calls (returning
# what to tell the user, or "" to say nothing). Cards swapped by HTMX re-render in place.
def _approve(request: HttpRequest, take: Take) -> str:
    take_approve(take=take, user=request.user)
    return f"Take {take.number} approved: it joins the queue."


def _decline(request: HttpRequest, take: Take) -> str:
    take_decline(take=take, user=request.user)
    return f"Take {take.number} declined; its hold was released."


def _promote(request: HttpRequest, take: Take) -> str:
    final = take_promote(
        take=take,
        model=request.POST.get("model", ""),
        resolution=request.POST.get("resolution", ""),
        user=request.user,
    )
    return (
        f"Take {final.number} renders take {take.number} on "
        f"{final.get_model_display()} (up to ${final.estimated_cost:.2f})."
    )


def _retry(request: HttpRequest, take: Take) -> str:
    new = take_retry(take=take, user=request.user)
    return f"Take {new.number} retries take {take.number}."


def _circle(request: HttpRequest, take: Take) -> str:
    shot = take_circle(take=take, user=request.user)
    return f"Take {take.number} is circled for shot {shot.label}." if shot.circled_take_id else ""


def _cancel(request: HttpRequest, take: Take) -> str:
    take_cancel(take=take)
    return ""


def _mark_failed(request: HttpRequest, take: Take) -> str:
    take_mark_failed(take=take)
    return ""


def _fetch_again(request: HttpRequest, take: Take) -> str:
    take_fetch_again(take=take)
    return ""


@dataclass(frozen=True)
class TakeAction:
    run: Callable[[HttpRequest, Take], str]
    need: str = "edit"  # the role the action needs (projects.views.access.member_of)
    swaps_card: bool = False  # answered with the card itself for HTMX


TAKE_ACTIONS = {
    "approve": TakeAction(_approve, need="own"),
    "decline": TakeAction(_decline, need="own"),
    "promote": TakeAction(_promote),
    "retry": TakeAction(_retry),
    "circle": TakeAction(_circle),
    "cancel": TakeAction(_cancel, swaps_card=True),
    "mark-failed": TakeAction(_mark_failed, swaps_card=True),
    "fetch-again": TakeAction(_fetch_again, swaps_card=True),
}


@login_required
@require_POST
def take_action(request: HttpRequest, project_id: int, take_id: int, action: str):
    chosen = TAKE_ACTIONS.get(action)
    if chosen is None:
        raise Http404("No such action.")
    membership = member_of(request, project_id, need=chosen.need)
    take = take_of(membership, take_id)
    try:
        done = chosen.run(request, take)
    except DuplicateTake as duplicate:
        # A double click on Retry or Promote: offer the take already asked for.
        messages.warning(request, duplicate.messages[0])
        existing = duplicate.existing.pk
        return redirect(f"{shot_url(membership, take.shot_id)}?duplicate={existing}#takes")
    except ValidationError as error:
        if request.htmx:
            take.refresh_from_db()
            return card_response(request, membership, take, status=422)
        messages.error(request, " ".join(error.messages))
    else:
        if done:
            messages.success(request, done)
    if request.htmx and chosen.swaps_card:
        take.refresh_from_db()
        return card_response(request, membership, take)
    return redirect(back_to(request, f"{shot_url(membership, take.shot_id)}#takes"))


def back_to(request: HttpRequest, fallback: str) -> str:
    """The POSTed `next` if it is a page of this site (never another host or a javascript:
    URL: an open redirect), else `fallback`."""
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A URL of this site or an absolute path, not a bare word: redirect() would try "NaN" as
    # a URL name.
    is_page = bool(urlsplit(wanted).netloc) or wanted.startswith("/")
    return wanted if safe and is_page else fallback


@login_required
@require_POST
def take_refund(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="own")
    take = take_of(membership, take_id)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            takes_writes.take_refund(take=take, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return card_response(request, membership, take_of(membership, take.pk))
            amount = form.cleaned_data["amount"]
            messages.success(request, f"Refund of ${amount:.2f} recorded for take {take.number}.")
            return redirect(f"{shot_url(membership, take.shot_id)}#take-{take.pk}")
    if request.htmx:
        return card_response(request, membership, take, status=422, refund_form=form)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect(f"{shot_url(membership, take.shot_id)}#take-{take.pk}")


@login_required
@require_safe
def take_media(request: HttpRequest, project_id: int, take_id: int, kind: str):
    membership = member_of(request, project_id)
    take = take_of(membership, take_id)
    field, content_type = {
        "video.mp4": (take.video, "video/mp4"),
        "poster.jpg": (take.poster, "image/jpeg"),
        "thumb.jpg": (take.thumbnail, "image/jpeg"),
    }.get(kind, (None, ""))
    if not field:
        raise Http404("No such file.")
    return ranged_file_response(request, field, content_type)


@login_required
@require_safe
def takes_compare(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    shot = shot_of(membership, shot_id)
    chosen = parse_ids(request.GET.getlist("take"))
    takes = shot.takes.filter(state=TakeState.SUCCEEDED, kind=TakeKind.VIDEO)
    if chosen:
        takes = takes.filter(pk__in=chosen)
    takes = list(takes.order_by("number")[:4])
    notes = notes_by_take(takes)  # each take's notes beside it: one query for all
    versions = version_numbers(shot)
    for take in takes:
        take.review_notes = notes[take.pk]
        take.version = versions.get(take.pk)
    takes.sort(key=lambda take: take.pk != shot.circled_take_id)  # the circled one first
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "takes": takes,
    }
    return render(request, "projects/takes_compare.html", context)


@login_required
@require_safe
def queue(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    takes = (
        Take.objects.filter(project=membership.project)
        .exclude(
            state__in=[
                TakeState.SUCCEEDED,
                TakeState.RESULT_LOST,
                TakeState.FAILED,
                TakeState.REJECTED,
                TakeState.CANCELED,
            ]
        )
        .select_related("shot", "requested_by")
        .order_by("queued_at")
    )
    context = {"project": membership.project, "membership": membership, "takes": takes}
    template = "projects/queue.html#queue-list" if request.htmx else "projects/queue.html"
    return render(request, template, context)
