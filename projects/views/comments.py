"""Comments on shots and frame notes on takes: the shot's panel, the take review page, and the
edit, delete, resolve and reopen buttons of a comment.

Viewers are the reviewers, so any member may comment and reply; an archived project takes no
comment. A form posted from the take review page carries `take`, and gets the take's notes back
(HTMX) or goes back to the review page; from the shot page it gets the shot's threads."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors.comments import shot_threads, take_notes
from projects.services.comments import (
    comment_add,
    comment_delete,
    comment_edit,
    comment_resolve,
)

from ..ids import parse_ids
from ..models import Comment, Membership, Shot, Take, TakeKind, TakeState
from .access import ARCHIVED, member_of
from .shots import shot_of
from .takes import back_to


@dataclass
class Failed:
    """A refused write, shown beside the form it came from with what was typed."""

    where: str  # "new", "reply" or "edit"
    pk: int | None  # the thread replied to, or the comment edited
    field: str
    message: str
    body: str


def commenter_of(request: HttpRequest, project_id: int) -> Membership:
    """Any member may comment (viewers are the reviewers), but an archived project is view only."""
    membership = member_of(request, project_id, need="view")
    if membership.project.is_archived:
        raise PermissionDenied(ARCHIVED)
    return membership


def can_moderate(membership: Membership, comment: Comment) -> bool:
    return membership.can_edit or comment.author_id == membership.user_id


def _take_in(membership: Membership, raw: str | None) -> Take | None:
    ids = parse_ids([raw] if raw else [])
    if not ids:
        return None
    takes = Take.objects.filter(project=membership.project).select_related("shot")
    return get_object_or_404(takes, pk=ids[0])


def _comment_of(membership: Membership, comment_id: int) -> Comment:
    comments = Comment.objects.filter(project=membership.project).select_related("shot", "take")
    return get_object_or_404(comments, pk=comment_id)


def _seconds(raw: str) -> float | None:
    if not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValidationError({"at_seconds": "The moment must be a number of seconds."}) from None


def _drawing(raw: str) -> dict | None:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise ValidationError({"drawing": "The drawing could not be read."}) from None


def refused_write(where: str, pk: int | None, error: ValidationError, body: str) -> Failed:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        message = " ".join(message for e in errors for message in e.messages)
    else:
        field, message = "body", " ".join(error.messages)
    return Failed(where=where, pk=pk, field=field, message=message, body=body)


def review_context(membership: Membership, take: Take, **extra) -> dict:
    project = membership.project
    return {
        "project": project,
        "membership": membership,
        "shot": take.shot,
        "take": take,
        "notes": take_notes(take),
        "post_url": reverse("projects:comments", args=[project.pk, take.shot_id]),
        "media_url": reverse("projects:take-media", args=[project.pk, take.pk, "video.mp4"]),
        "can_comment": not project.is_archived,
        "guest": False,
        "in_review": True,
        **extra,
    }


def panel_context(membership: Membership, shot: Shot, **extra) -> dict:
    return {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "threads": shot_threads(shot),
        "post_url": reverse("projects:comments", args=[membership.project_id, shot.pk]),
        "can_comment": not membership.project.is_archived,
        **extra,
    }


def respond(
    request: HttpRequest,
    membership: Membership,
    shot: Shot,
    take: Take | None,
    *,
    failed: Failed | None = None,
) -> HttpResponse:
    """After a write: the refreshed list (HTMX), the page again with the error (422 without
    JS), or back where the form was (post + redirect)."""
    status = 422 if failed else 200
    if take is not None:
        if request.htmx:
            context = review_context(membership, take, failed=failed)
            return render(request, "projects/take_review.html#notes-swap", context, status=status)
        if failed:
            context = review_context(membership, take, failed=failed)
            return render(request, "projects/take_review.html", context, status=status)
        url = reverse("projects:take-review", args=[membership.project_id, take.pk])
        return redirect(back_to(request, url))
    if request.htmx:
        context = panel_context(membership, shot, failed=failed)
        return render(request, "projects/comments.html#threads", context, status=status)
    if failed:
        context = panel_context(membership, shot, failed=failed)
        return render(request, "projects/comments.html", context, status=status)
    fallback = reverse("projects:shot", args=[membership.project_id, shot.pk]) + "#comments"
    return redirect(back_to(request, fallback))


@login_required
@require_http_methods(["GET", "POST"])
def comments(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """The shot's comment panel (GET), or a new comment, frame note or reply (POST)."""
    if request.method == "GET":
        membership = member_of(request, project_id)
        shot = shot_of(membership, shot_id)
        template = "projects/comments.html#panel" if request.htmx else "projects/comments.html"
        return render(request, template, panel_context(membership, shot))
    membership = commenter_of(request, project_id)
    shot = shot_of(membership, shot_id)
    take = _take_in(membership, request.POST.get("take"))
    parent = None
    if parent_ids := parse_ids([request.POST.get("parent", "")]):
        parent = get_object_or_404(Comment.objects.filter(shot=shot), pk=parent_ids[0])
    body = request.POST.get("body", "")
    try:
        comment_add(
            shot=shot,
            body=body,
            author=request.user,
            take=take if parent is None else None,
            parent=parent,
            at_seconds=_seconds(request.POST.get("at_seconds", "")) if take else None,
            drawing=_drawing(request.POST.get("drawing", "")) if take else None,
        )
    except ValidationError as error:
        where, pk = ("reply", parent.pk) if parent else ("new", None)
        failed = refused_write(where, pk, error, body)
        return respond(request, membership, shot, take, failed=failed)
    if not request.htmx:
        messages.success(request, "Reply added." if parent else "Comment added.")
    return respond(request, membership, shot, take)


@login_required
@require_POST
def comment_change(request: HttpRequest, project_id: int, comment_id: int) -> HttpResponse:
    """Edit the text of one's own comment."""
    membership = commenter_of(request, project_id)
    comment = _comment_of(membership, comment_id)
    take = _take_in(membership, request.POST.get("take"))
    body = request.POST.get("body", "")
    try:
        comment_edit(comment=comment, user=request.user, body=body)
    except ValidationError as error:
        failed = refused_write("edit", comment.pk, error, body)
        return respond(request, membership, comment.shot, take, failed=failed)
    return respond(request, membership, comment.shot, take)


@login_required
@require_POST
def comment_remove(request: HttpRequest, project_id: int, comment_id: int) -> HttpResponse:
    membership = commenter_of(request, project_id)
    comment = _comment_of(membership, comment_id)
    take = _take_in(membership, request.POST.get("take"))
    try:
        comment_delete(comment=comment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return respond(request, membership, comment.shot, take)


def _resolve(request: HttpRequest, project_id: int, comment_id: int, resolved: bool):
    membership = commenter_of(request, project_id)
    comment = _comment_of(membership, comment_id)
    thread = comment.parent or comment
    if not can_moderate(membership, thread):
        raise PermissionDenied("Only its author, editors and owners can resolve a comment.")
    take = _take_in(membership, request.POST.get("take"))
    try:
        comment_resolve(comment=thread, user=request.user, resolved=resolved)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return respond(request, membership, comment.shot, take)


@login_required
@require_POST
def comment_resolve_view(request: HttpRequest, project_id: int, comment_id: int):
    return _resolve(request, project_id, comment_id, True)


@login_required
@require_POST
def comment_reopen(request: HttpRequest, project_id: int, comment_id: int):
    return _resolve(request, project_id, comment_id, False)


@login_required
@require_safe
def take_review(request: HttpRequest, project_id: int, take_id: int) -> HttpResponse:
    """A finished take with its notes on a timeline: play, seek to a note, draw and write one."""
    membership = member_of(request, project_id)
    takes = Take.objects.filter(
        project=membership.project, kind=TakeKind.VIDEO, state=TakeState.SUCCEEDED
    ).select_related("shot", "shot__scene")
    take = get_object_or_404(takes, pk=take_id)
    return render(request, "projects/take_review.html", review_context(membership, take))
