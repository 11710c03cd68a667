"""Reading a person's notifications, across all their projects."""

from __future__ import annotations

from projects.models import EmailChoice, Notification, NotificationSettings

PAGE = 50


def unread_count(user) -> int:
    """The top bar's number: one COUNT on the (user, read_at) index."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_page(user, *, before: int | None = None) -> tuple[list[Notification], int | None]:
    """Newest first, a page at a time by id; each with its activity and project."""
    mine = Notification.objects.filter(user=user).select_related("activity", "activity__project")
    if before:
        mine = mine.filter(pk__lt=before)
    page = list(mine.order_by("-pk")[: PAGE + 1])
    older = page[PAGE - 1].pk if len(page) > PAGE else None
    return page[:PAGE], older


def notification_of(user, notification_id: int) -> Notification | None:
    """The user's own notification (another person's is as good as missing)."""
    return (
        Notification.objects.filter(user=user, pk=notification_id)
        .select_related("activity")
        .first()
    )


def email_choice(user) -> str:
    found = NotificationSettings.objects.filter(user=user).values_list("email", flat=True).first()
    return found or EmailChoice.INSTANT
