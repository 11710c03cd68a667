"""Reads for comments and frame notes: a shot's threads, a take's notes, the compare view's notes.

Each read is a fixed number of queries however many comments, replies and mentions there are:
the threads, then their replies, the mentions of both, all prefetched."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Prefetch, QuerySet

from projects.models import Comment, Shot, Take


def _threads() -> QuerySet[Comment]:
    replies = Comment.objects.select_related("author").prefetch_related("mentions")
    return (
        Comment.objects.filter(parent=None)
        .select_related("author", "resolved_by", "take")
        .prefetch_related("mentions", Prefetch("replies", queryset=replies))
    )


def shot_threads(shot: Shot, *, take: Take | None = None) -> list[Comment]:
    """The shot's threads, oldest first (comments on the shot and notes on its takes), or only
    the notes on `take`. Four queries whatever their count."""
    threads = _threads().filter(shot=shot)
    if take is not None:
        threads = threads.filter(take=take)
    return list(threads.order_by("created_at", "pk"))


def take_notes(take: Take) -> list[Comment]:
    """The take's note threads in the order they play (by moment), for the timeline's markers;
    notes without a moment come last."""
    threads = _threads().filter(take=take)
    return list(threads.order_by(F("at_seconds").asc(nulls_last=True), "created_at", "pk"))


def notes_by_take(takes: Iterable[Take]) -> dict[int, list[Comment]]:
    """Each take's note threads by moment (the compare view): two queries for any number."""
    takes = list(takes)
    notes: dict[int, list[Comment]] = {take.pk: [] for take in takes}
    threads = (
        Comment.objects.filter(parent=None, take__in=takes)
        .select_related("author")
        .order_by(F("at_seconds").asc(nulls_last=True), "created_at", "pk")
    )
    for thread in threads:
        notes[thread.take_id].append(thread)
    return notes
