"""Notification e-mails, sent by the workers through Django's e-mail backend: one right away
for people who chose that, and a daily digest for those who chose it.

Each is claimed with a conditional UPDATE before it is sent, so a redelivered message or two
beat runs at once send it once; a send that fails lets go of the claim for the next try."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from projects.models import EmailChoice, Notification, NotificationSettings

DAY = timedelta(hours=24)


def link_for(notification: Notification) -> str:
    """Where the notification leads, as an address a mail reader can open."""
    activity = notification.activity
    if activity.shot_id:
        path = reverse("projects:shot", args=[activity.project_id, activity.shot_id])
    else:
        path = reverse("projects:activity", args=[activity.project_id])
    return f"{settings.STUDIO_PUBLIC_URL}{path}"


def _lines(notifications: list[Notification]) -> list[dict]:
    return [
        {
            "reason": n.get_reason_display(),
            "project": n.activity.project.name,
            "summary": n.activity.summary,
            "who": n.activity.actor_name,
            "at": n.activity.at,
            "link": link_for(n),
        }
        for n in notifications
    ]


def email_notification(notification_id: int) -> bool:
    """E-mail one notification to its person, if they want it now; True if it was sent."""
    notification = (
        Notification.objects.select_related("user", "activity", "activity__project")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.email:
        return False
    choice = NotificationSettings.objects.filter(user_id=notification.user_id).values_list(
        "email", flat=True
    )
    if (choice.first() or EmailChoice.INSTANT) != EmailChoice.INSTANT:
        return False
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    (line,) = _lines([notification])
    try:
        send_mail(
            f"[Shot Studio] {line['project']}: {line['reason'].lower()}",
            render_to_string("emails/notification.txt", {"line": line, "user": notification.user}),
            None,
            [notification.user.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def email_digests() -> int:
    """Each daily-digest person, at most once every 24 hours: one e-mail with their unread,
    not yet e-mailed notifications of the last day. How many e-mails went out."""
    now = timezone.now()
    due = NotificationSettings.objects.filter(email=EmailChoice.DAILY).filter(
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DAY)
    )
    sent = 0
    for row in due.select_related("user"):
        sent += _digest(row, now)
    return sent


def _digest(row: NotificationSettings, now) -> int:
    user = row.user
    if not user.email:
        return 0
    waiting = list(
        Notification.objects.filter(
            user=user, read_at__isnull=True, emailed_at__isnull=True, created_at__gte=now - DAY
        )
        .select_related("activity", "activity__project")
        .order_by("pk")
    )
    if not waiting:
        return 0
    claimed = (
        NotificationSettings.objects.filter(pk=row.pk)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DAY))
        .update(last_digest_at=now)
    )
    if not claimed:
        return 0  # another beat run has it
    ids = [n.pk for n in waiting]
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
    try:
        send_mail(
            f"[Shot Studio] {len(waiting)} thing{'s' if len(waiting) != 1 else ''} since yesterday",
            render_to_string("emails/digest.txt", {"lines": _lines(waiting), "user": user}),
            None,
            [user.email],
        )
    except Exception:
        Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
        NotificationSettings.objects.filter(pk=row.pk, last_digest_at=now).update(
            last_digest_at=row.last_digest_at
        )
        raise
    return 1
