"""Notifications: the top bar's count, the list, marking read, and e-mail right away or daily."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects.models import ActivityKind, EmailChoice, Notification, NotificationSettings
from projects.pipeline.emails import email_digests, email_notification
from projects.services.activity import activity_record
from projects.services.notifications import notify
from tests.factories import UserFactory
from tests.queries import SESSION

pytestmark = pytest.mark.django_db


def told(user, project, n=1, *, summary="Take 1 of shot 1A is ready to review"):
    made = []
    for _ in range(n):
        line = activity_record(
            project_id=project.pk,
            kind=ActivityKind.TAKE_FINISHED,
            summary=summary,
            actor_name="the studio",
        )
        made += notify(users=[user], activity=line, reason="take_finished")
    return made


@pytest.mark.parametrize("history", [10, 1000])
def test_the_list_and_the_count_cost_the_same_whatever_the_history(
    client, editor, project, history, django_assert_num_queries
):
    told(editor, project, history)
    client.force_login(editor)
    url = reverse("projects:notifications")
    client.get(url)
    # session, user, the page with its projects, the count
    with django_assert_num_queries(SESSION + 3):
        page = client.get(url).content.decode()
    assert f'aria-label="{history} unread"' in page
    assert page.count("Mark read") == min(history, 50)
    assert ("Older" in page) == (history > 50)


def test_only_your_own_notifications(client, editor, viewer, project):
    (theirs,) = told(viewer, project)
    client.force_login(editor)
    assert (
        theirs.activity.summary
        not in client.get(reverse("projects:notifications")).content.decode()
    )
    for name in ("notification-read", "notification-go"):
        assert client.post(reverse(f"projects:{name}", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("projects:notification-read", args=[theirs.pk])).status_code == 405
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_one_read_open_one_and_mark_all(client, editor, project, shot):
    first, *_ = told(editor, project, 3)
    client.force_login(editor)
    client.post(reverse("projects:notification-read", args=[first.pk]))
    assert Notification.objects.filter(user=editor, read_at__isnull=True).count() == 2
    line = activity_record(
        project_id=project.pk,
        kind=ActivityKind.TAKE_FINISHED,
        summary="About a shot",
        shot_id=shot.pk,
    )
    (about_shot,) = notify(users=[editor], activity=line, reason="take_finished")
    response = client.post(reverse("projects:notification-go", args=[about_shot.pk]))
    assert response.url == reverse("projects:shot", args=[project.pk, shot.pk])
    assert Notification.objects.get(pk=about_shot.pk).read_at is not None
    client.post(reverse("projects:notifications-read"))
    assert not Notification.objects.filter(user=editor, read_at__isnull=True).exists()
    page = client.get(reverse("projects:storyboard", args=[project.pk])).content.decode()
    assert "unread-count" not in page


def test_the_email_setting_is_per_person(client, editor):
    client.force_login(editor)
    url = reverse("projects:notification-settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"email": "weekly"}).status_code == 422
    client.post(url, {"email": "daily"})
    assert NotificationSettings.objects.get(user=editor).email == EmailChoice.DAILY
    client.logout()
    assert client.get(url).status_code == 302  # sign in first


def test_an_email_right_away_is_sent_once(
    settings, editor, project, django_capture_on_commit_callbacks
):
    settings.STUDIO_PUBLIC_URL = "https://studio.example"
    (notification,) = told(editor, project)
    assert email_notification(notification.pk) is True
    assert email_notification(notification.pk) is False  # a redelivered message
    (sent,) = mail.outbox
    assert sent.to == [editor.email]
    assert "Take 1 of shot 1A is ready to review" in sent.body
    assert f"https://studio.example/projects/{project.pk}/activity/" in sent.body


def test_no_email_when_off_daily_or_no_address(editor, project):
    NotificationSettings.objects.create(user=editor, email=EmailChoice.OFF)
    (off,) = told(editor, project)
    assert email_notification(off.pk) is False
    NotificationSettings.objects.filter(user=editor).update(email=EmailChoice.DAILY)
    (daily,) = told(editor, project)
    assert email_notification(daily.pk) is False
    nameless = UserFactory(email="")
    (no_address,) = told(nameless, project)
    assert email_notification(no_address.pk) is False
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0


def test_the_daily_digest_at_most_once_a_day(editor, viewer, project):
    NotificationSettings.objects.create(user=editor, email=EmailChoice.DAILY)
    old = told(editor, project, summary="Long ago")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    told(editor, project, 2, summary="Fresh news")
    (read,) = told(editor, project, summary="Already seen")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    told(viewer, project)  # instant, not a digest person
    assert email_digests() == 1
    (digest,) = mail.outbox
    assert digest.to == [editor.email]
    assert digest.body.count("Fresh news") == 2
    assert "Long ago" not in digest.body and "Already seen" not in digest.body
    told(editor, project, summary="Later the same day")
    assert email_digests() == 0  # not again within 24 hours
    NotificationSettings.objects.filter(user=editor).update(
        last_digest_at=timezone.now() - timedelta(hours=25)
    )
    assert email_digests() == 1
    assert "Later the same day" in mail.outbox[1].body and "Fresh news" not in mail.outbox[1].body


def test_the_email_tasks_are_registered():
    from studio.celery import app

    app.loader.import_default_modules()
    assert {"projects.email_notification", "projects.email_digests"} <= set(app.tasks)
    from django.conf import settings

    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "projects.email_digests" in beat
