"""The guest's side of a review link: the board and the takes, read-only, plus comments under
a typed name. Guests are anonymous: the link is their only key, so every request goes through
`guest_link` (unknown 404, over the rate 429, revoked or expired 410, locked 401) and every
shot, take and file is looked up inside the link's scope (outside it: 404).

Opening the link counts as a view through a small POST beacon (static/js/review.js), once per
guest session: a GET never writes."""

from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from projects.ids import parse_id
from projects.models import Comment, ReviewLink
from projects.selectors.comments import take_notes
from projects.selectors.review import (
    finished_videos,
    review_board,
    review_link_by_token,
    review_link_password_matches,
    review_shot,
    review_take,
    shot_comments,
)
from projects.services.comments import comment_add
from projects.services.review_links import review_link_viewed
from studio.signin import client_address

from .comments import Failed, refused_write
from .media import ranged_file_response

# (requests, seconds) per link and client address.
RATES = {"page": (300, 600), "comment": (20, 600)}
MEDIA = {
    "video.mp4": ("video", "video/mp4"),
    "poster.jpg": ("poster", "image/jpeg"),
    "thumb.jpg": ("thumbnail", "image/jpeg"),
}
NAME_KEY = "review-guest-name"
MAX_SECONDS = 24 * 3600


def _unlocked_key(link: ReviewLink) -> str:
    return f"review-unlocked-{link.pk}"


def _over_rate(request: HttpRequest, link: ReviewLink, bucket: str) -> bool:
    """Count this request against the link and the client's address (the Django cache)."""
    limit, seconds = getattr(settings, "REVIEW_LINK_RATES", RATES)[bucket]
    # Behind a proxy every guest would share its address: the same rule as the sign-in throttle.
    key = f"review-rate:{bucket}:{link.pk}:{client_address(request) or ''}"
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count > limit


def guest_link(bucket: str = "page", *, locked_ok: bool = False):
    """Turn the URL's token into the link, or answer for it (404, 429, 410, 401)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, **kwargs):
            link = review_link_by_token(token)
            if link is None:
                raise Http404("No such review link.")
            if _over_rate(request, link, bucket):
                return render(request, "projects/review/slow_down.html", status=429)
            if not link.works:
                return render(request, "projects/review/gone.html", status=410)
            if link.password_hash and not locked_ok and not _is_unlocked(request, link):
                context = {"link": link}
                return render(request, "projects/review/unlock.html", context, status=401)
            return view(request, link, **kwargs)

        return wrapper

    return decorate


def _is_unlocked(request: HttpRequest, link: ReviewLink) -> bool:
    return request.session.get(_unlocked_key(link)) == link.password_hash[-16:]


@require_safe
@guest_link()
def review_board_view(request: HttpRequest, link: ReviewLink) -> HttpResponse:
    context = {"link": link, "project": link.project, "scenes": review_board(link)}
    return render(request, "projects/review/board.html", context)


@require_POST
@guest_link(locked_ok=True)
def review_unlock(request: HttpRequest, link: ReviewLink) -> HttpResponse:
    if not link.password_hash or _is_unlocked(request, link):
        return redirect("review:board", token=link.token)
    if not review_link_password_matches(link, request.POST.get("password", "")):
        context = {"link": link, "error": "That password is not right."}
        return render(request, "projects/review/unlock.html", context, status=422)
    # Keyed by link and by its password: a new password locks the link again.
    request.session[_unlocked_key(link)] = link.password_hash[-16:]
    return redirect("review:board", token=link.token)


@require_POST
@guest_link()
def review_seen(request: HttpRequest, link: ReviewLink) -> HttpResponse:
    """The page's beacon: one view per guest session."""
    key = f"review-seen-{link.pk}"
    if not request.session.get(key):
        request.session[key] = True
        review_link_viewed(link=link)
    return HttpResponse(status=204)


def _shot_or_404(link: ReviewLink, shot_id: int):
    shot = review_shot(link, shot_id)
    if shot is None:
        raise Http404("No such shot in this review.")
    return shot


def _shot_page(request, link, shot, *, errors=None, data=None, status=200) -> HttpResponse:
    context = {
        "link": link,
        "project": link.project,
        "shot": shot,
        "takes": finished_videos(shot),
        "comments": shot_comments(shot),
        "guest_name": request.session.get(NAME_KEY, ""),
        "errors": errors or {},
        "data": data or {},
    }
    return render(request, "projects/review/shot.html", context, status=status)


@require_safe
@guest_link()
def review_shot_view(request: HttpRequest, link: ReviewLink, shot_id: int) -> HttpResponse:
    return _shot_page(request, link, _shot_or_404(link, shot_id))


def _take_page(request, link, take, *, failed: Failed | None = None, status=200) -> HttpResponse:
    """One take with its notes on a timeline, the member's player with the guest's name field
    (templates/projects/take_review.html#player)."""
    context = {
        "link": link,
        "project": link.project,
        "shot": take.shot,
        "take": take,
        "notes": take_notes(take),
        "post_url": reverse("review:comments", args=[link.token, take.shot_id]),
        "media_url": reverse("review:take-media", args=[link.token, take.pk, "video.mp4"]),
        "can_comment": link.allow_comments,
        "guest": True,
        "guest_name": request.session.get(NAME_KEY, ""),
        "in_review": True,
        "failed": failed,
    }
    return render(request, "projects/review/take.html", context, status=status)


@require_safe
@guest_link()
def review_take_view(request: HttpRequest, link: ReviewLink, take_id: int) -> HttpResponse:
    take = review_take(link, take_id)
    if take is None:
        raise Http404("No such take in this review.")
    return _take_page(request, link, take)


@require_POST
@guest_link("comment")
def review_comment(request: HttpRequest, link: ReviewLink, shot_id: int) -> HttpResponse:
    shot = _shot_or_404(link, shot_id)
    if not link.allow_comments:
        raise PermissionDenied("This review link is for watching only.")
    data = request.POST
    try:
        comment_add(
            shot=shot,
            body=data.get("body", ""),
            guest_name=data.get("guest_name", ""),
            review_link=link,
            take=_take_for(link, shot, data.get("take", "")),
            parent=_parent_for(shot, data.get("parent", "")),
            at_seconds=_seconds(data.get("at_seconds", "")),
            drawing=_drawing(data.get("drawing", "")),
        )
    except ValidationError as error:
        take = review_take(link, parse_id(data.get("take", "")) or 0)
        if data.get("from") == "take" and take is not None:
            parent = parse_id(data.get("parent", ""))
            failed = refused_write(
                "reply" if parent else "new", parent, error, data.get("body", "")
            )
            return _take_page(request, link, take, failed=failed, status=422)
        errors = error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}
        return _shot_page(request, link, shot, errors=errors, data=data, status=422)
    request.session[NAME_KEY] = data.get("guest_name", "").strip()[:80]
    take_id = parse_id(data.get("take", ""))
    if data.get("from") == "take" and take_id:  # back to the timeline the note was written on
        return redirect(reverse("review:take", args=[link.token, take_id]))
    return redirect(reverse("review:shot", args=[link.token, shot.pk]) + "#comments")


def _take_for(link, shot, value: str):
    if not value:
        return None
    take = review_take(link, parse_id(value) or 0)
    if take is None or take.shot_id != shot.pk:
        raise ValidationError({"take": "That take is not in this review."})
    return take


def _parent_for(shot, value: str):
    if not value:
        return None
    parent = Comment.objects.filter(shot=shot, pk=parse_id(value) or 0).first()
    if parent is None:
        raise ValidationError({"body": "That thread is gone."})
    return parent


def _seconds(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise ValidationError({"at_seconds": "The moment must be a number of seconds."}) from None
    # No take lasts a day: a bigger number would only overflow the frame count.
    if not 0 <= seconds <= MAX_SECONDS:
        raise ValidationError({"at_seconds": "The moment must be a time from the take's start."})
    return seconds


def _drawing(value: str) -> dict | None:
    if not value.strip():
        return None
    try:
        drawing = json.loads(value)
    except (ValueError, RecursionError):
        raise ValidationError({"drawing": "The drawing could not be read."}) from None
    if not isinstance(drawing, dict):
        raise ValidationError({"drawing": "The drawing could not be read."})
    return drawing


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@guest_link()
def review_take_media(request: HttpRequest, link: ReviewLink, take_id: int, kind: str):
    take = review_take(link, take_id)
    if take is None or kind not in MEDIA:
        raise Http404("No such file in this review.")
    field, content_type = MEDIA[kind]
    if not getattr(take, field):
        raise Http404("No such file.")
    return _private(ranged_file_response(request, getattr(take, field), content_type))


@require_safe
@guest_link()
def review_hero(request: HttpRequest, link: ReviewLink, shot_id: int):
    shot = _shot_or_404(link, shot_id)
    picture = shot.hero_thumbnail or shot.hero_frame
    if not picture:
        raise Http404("This shot has no hero frame.")
    return _private(ranged_file_response(request, picture, "image/jpeg"))
