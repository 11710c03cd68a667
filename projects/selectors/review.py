"""Reads for review links: the owner's list, and what a guest with a link may see.

Everything a guest reads goes through the link: its project, and its scene when it has one.
Each read is a fixed number of queries whatever the number of shots, takes or comments."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.db.models import Prefetch, QuerySet

from projects.models import Comment, Project, ReviewLink, Scene, Shot, Take, TakeKind, TakeState

TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


def review_link_by_token(token: str) -> ReviewLink | None:
    """The link a guest's URL names, revoked and expired ones too (they get their own page)."""
    if not token or len(token) > 64:
        return None
    return ReviewLink.objects.select_related("project", "scene").filter(token=token).first()


def review_links_of(project: Project) -> QuerySet[ReviewLink]:
    return ReviewLink.objects.filter(project=project).select_related(
        "scene", "created_by", "revoked_by"
    )


def review_link_password_matches(link: ReviewLink, password: str) -> bool:
    return bool(link.password_hash) and check_password(password or "", link.password_hash)


def _shots_of(link: ReviewLink) -> QuerySet[Shot]:
    shots = Shot.objects.filter(project_id=link.project_id)
    return shots.filter(scene_id=link.scene_id) if link.scene_id else shots


def review_board(link: ReviewLink) -> list[Scene]:
    """The link's scenes in order with their shots: two queries."""
    scenes = Scene.objects.filter(project_id=link.project_id)
    if link.scene_id:
        scenes = scenes.filter(pk=link.scene_id)
    shots = Shot.objects.select_related("circled_take", "approved_take").order_by("order", "pk")
    return list(scenes.prefetch_related(Prefetch("shots", queryset=shots)))


def review_shot(link: ReviewLink, shot_id: int) -> Shot | None:
    return (
        _shots_of(link)
        .select_related("scene", "circled_take", "approved_take")
        .filter(pk=shot_id)
        .first()
    )


def finished_videos(shot: Shot) -> list[Take]:
    """The shot's playable takes, the circled one on top, then the newest first."""
    takes = list(
        shot.takes.filter(state=TakeState.SUCCEEDED, kind=TakeKind.VIDEO)
        .exclude(video="")
        .order_by("-number")
    )
    takes.sort(key=lambda take: take.pk != shot.circled_take_id)
    return takes


def review_take(link: ReviewLink, take_id: int) -> Take | None:
    """A finished video take inside the link's scope, or None (then the guest gets a 404)."""
    takes = Take.objects.filter(
        project_id=link.project_id, kind=TakeKind.VIDEO, state=TakeState.SUCCEEDED
    )
    if link.scene_id:
        takes = takes.filter(shot__scene_id=link.scene_id)
    return takes.filter(pk=take_id).first()


def shot_comments(shot: Shot) -> list[Comment]:
    """The shot's comments and notes in threads: one query, replies under their first comment."""
    comments = list(
        Comment.objects.filter(shot=shot)
        .select_related("author", "take")
        .order_by("created_at", "pk")
    )
    threads: dict[int, Comment] = {}
    for comment in comments:
        comment.thread = []
        if comment.parent_id is None:
            threads[comment.pk] = comment
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in threads:
            threads[comment.parent_id].thread.append(comment)
    return [c for c in threads.values() if c.deleted_at is None or c.thread]
