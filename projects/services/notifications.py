"""Telling people: one Notification per person per activity (never the person who did it), and
an e-mail right away for those who chose it (the daily digest is a beat task)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils import timezone

from projects.models import Activity, EmailChoice, Notification, NotificationSettings

EMAIL_NOW = "projects.email_notification"
EMAIL_DIGESTS = "projects.email_digests"


def notify(*, users: Iterable, activity: Activity, reason: str) -> list[Notification]:
    """Notify each of `users` (deduplicated, without the activity's actor) about `activity`."""
    wanted = {user.pk: user for user in users if user is not None and user.pk != activity.actor_id}
    if not wanted:
        return []
    made = [
        Notification.objects.get_or_create(
            user_id=pk, activity=activity, defaults={"reason": reason}
        )
        for pk in wanted
    ]
    fresh = [notification for notification, created in made if created]
    not_now = set(
        NotificationSettings.objects.filter(
            user_id__in=wanted, email__in=[EmailChoice.OFF, EmailChoice.DAILY]
        ).values_list("user_id", flat=True)
    )
    for notification in fresh:
        if notification.user_id not in not_now:  # no settings row: instant is the default
            transaction.on_commit(
                partial(current_app.send_task, EMAIL_NOW, args=(notification.pk,))
            )
    return fresh


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's unread notifications read; how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_settings_save(*, user, email: str) -> NotificationSettings:
    """How this person wants to hear by e-mail: off, right away or a daily digest."""
    if email not in EmailChoice.values:
        raise ValueError(f"Unknown e-mail choice {email!r}")
    found, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"email": email})
    return found
