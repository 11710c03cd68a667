"""Comments on shots and frame notes on takes: the services, the views, the reads' query counts."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import Comment, Notification, NotificationReason
from projects.selectors.comments import shot_threads, take_notes
from projects.services.comments import comment_add, comment_delete, comment_edit, comment_resolve
from projects.services.projects import project_archive
from projects.views.access import ARCHIVED
from tests.factories import image_bytes, take_of
from tests.queries import SESSION


def finished_take(shot, number: int = 1, *, fps: float | None = 24.0, seconds: float = 5.0):
    take = take_of(
        shot, number, prompt=f"Take {number}.", spec={}, fps=fps, duration_seconds=seconds
    )
    take.video.save("take.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    take.poster.save("poster.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.save()
    return take


def reasons_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("reason", flat=True))


# --- services ---------------------------------------------------------------------------------
def test_a_mention_notifies_the_member_named(shot, owner, editor, outsider):
    comment = comment_add(
        shot=shot, author=owner, body=f"@{editor.username} and @{outsider.username}, look"
    )
    assert list(comment.mentions.all()) == [editor]  # not a member: plain text
    assert reasons_for(editor) == [NotificationReason.MENTION]
    assert reasons_for(outsider) == []
    assert reasons_for(owner) == []  # never yourself


def test_a_reply_notifies_the_earlier_people_in_the_thread(shot, owner, editor, viewer):
    thread = comment_add(shot=shot, author=owner, body="Too dark?")
    comment_add(shot=shot, author=editor, body="A little.", parent=thread)
    comment_add(shot=shot, author=viewer, body="Agreed.", parent=thread)
    assert reasons_for(owner) == [NotificationReason.REPLY, NotificationReason.REPLY]
    assert reasons_for(editor) == [NotificationReason.REPLY]
    assert reasons_for(viewer) == []


def test_only_the_author_edits_or_deletes(shot, owner, editor):
    comment = comment_add(shot=shot, author=editor, body="First")
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, user=owner, body="Hijacked")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=comment, user=owner)
    comment_edit(comment=comment, user=editor, body="Second")
    comment.refresh_from_db()
    assert comment.body == "Second" and comment.edited_at is not None
    comment_delete(comment=comment, user=editor)
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_deleted_thread_with_replies_stays_as_a_deleted_line(shot, owner, editor):
    thread = comment_add(shot=shot, author=owner, body="Hmm")
    comment_add(shot=shot, author=editor, body="Yes?", parent=thread)
    comment_delete(comment=thread, user=owner)
    thread.refresh_from_db()
    assert thread.deleted_at is not None and thread.body == ""


def test_resolve_and_reopen(shot, owner, editor):
    thread = comment_add(shot=shot, author=owner, body="Fix the sky")
    reply = comment_add(shot=shot, author=editor, body="Done", parent=thread)
    comment_resolve(comment=reply, user=editor)  # a reply resolves its thread
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == editor
    comment_resolve(comment=thread, user=owner, resolved=False)
    thread.refresh_from_db()
    assert not thread.is_resolved and thread.resolved_by is None


@pytest.mark.parametrize(
    "drawing",
    [
        {"shape": "star", "points": [[0.1, 0.1]]},
        {"shape": "box", "points": [[0.1, 0.1]]},
        {"shape": "point", "points": [[1.5, 0.1]]},
        {"shape": "path", "points": [["x", 0.1], [0.2, 0.2]]},
        {"shape": "point", "points": [[float("nan"), 0.1]]},
        ["not", "a", "dict"],
    ],
)
def test_a_bad_drawing_is_refused(shot, owner, drawing):
    take = finished_take(shot)
    with pytest.raises(ValidationError):
        comment_add(shot=shot, take=take, author=owner, body="Here", at_seconds=1, drawing=drawing)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("fps", "asked", "seconds", "frame"),
    [(24, 2.5, 2.5, 60), (24, 2.52, 2.5, 60), (30, 2.5, 2.5, 75), (30, 1.0 / 3, 1.0 / 3, 10)],
)
def test_a_note_snaps_to_its_frame(shot, owner, fps, asked, seconds, frame):
    take = finished_take(shot, fps=fps)
    note = comment_add(shot=shot, take=take, author=owner, body="Here", at_seconds=asked)
    assert note.at_frame == frame
    assert note.at_seconds == pytest.approx(seconds)


def test_a_take_without_a_known_rate_counts_24_frames(shot, owner):
    take = finished_take(shot, fps=None)
    note = comment_add(shot=shot, take=take, author=owner, body="Here", at_seconds=1)
    assert note.at_frame == 24


# --- views ------------------------------------------------------------------------------------
def comments_url(shot):
    return reverse("projects:comments", args=[shot.project_id, shot.pk])


def test_an_empty_comment_is_refused_beside_the_field_with_the_text_kept(client, shot, viewer):
    client.force_login(viewer)
    response = client.post(comments_url(shot), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Write something first." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_refused_note_keeps_what_was_typed(client, shot, viewer):
    take = finished_take(shot, seconds=5)
    client.force_login(viewer)
    data = {"take": take.pk, "body": "Too late a moment", "at_seconds": "9"}
    response = client.post(comments_url(shot), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "The take is only 5.00 s long." in html
    assert "Too late a moment</textarea>" in html
    assert not Comment.objects.exists()


def test_a_viewer_leaves_a_drawn_note_and_the_review_page_shows_its_marker(client, shot, viewer):
    take = finished_take(shot)
    client.force_login(viewer)
    drawing = {"shape": "box", "points": [[0.1, 0.2], [0.5, 0.6]]}
    data = {
        "take": take.pk,
        "body": "Fix this",
        "at_seconds": "2.5",
        "drawing": json.dumps(drawing),
    }
    response = client.post(comments_url(shot), data)
    review = reverse("projects:take-review", args=[shot.project_id, take.pk])
    assert response.status_code == 302 and response.url == review
    note = Comment.objects.get()
    assert (note.take, note.at_frame, note.drawing) == (take, 60, drawing)
    html = client.get(review).content.decode()
    assert 'aria-label="Note at 2.50 s by ' + viewer.username + '"' in html
    assert "data-points='0.1,0.2 0.5,0.6'" in html


def test_htmx_gets_the_thread_list_back(client, shot, viewer):
    client.force_login(viewer)
    response = client.post(comments_url(shot), {"body": "Nice light"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="comment-threads"') and "Nice light" in html


def test_edit_and_delete_are_for_the_author_only(client, shot, owner, editor):
    comment = comment_add(shot=shot, author=editor, body="Mine")
    client.force_login(owner)
    edit = reverse("projects:comment-edit", args=[shot.project_id, comment.pk])
    delete = reverse("projects:comment-delete", args=[shot.project_id, comment.pk])
    assert client.post(edit, {"body": "Theirs"}).status_code == 403
    assert client.post(delete).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine"
    client.force_login(editor)
    assert client.post(edit, {"body": ""}).status_code == 422
    assert client.post(edit, {"body": "Still mine"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Still mine"


def test_a_viewer_resolves_their_own_comment_but_not_anothers(client, shot, owner, viewer):
    theirs = comment_add(shot=shot, author=owner, body="Owner's")
    own = comment_add(shot=shot, author=viewer, body="Viewer's")
    client.force_login(viewer)
    url = "projects:comment-resolve"
    assert client.post(reverse(url, args=[shot.project_id, theirs.pk])).status_code == 403
    assert client.post(reverse(url, args=[shot.project_id, own.pk])).status_code == 302
    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.is_resolved and not theirs.is_resolved


def test_an_archived_project_takes_no_comment(client, shot, owner, viewer):
    project_archive(project=shot.project, user=owner)
    client.force_login(viewer)
    response = client.post(comments_url(shot), {"body": "Hello"})
    assert response.status_code == 403
    assert ARCHIVED in response.content.decode()
    assert client.get(comments_url(shot)).status_code == 200


def test_the_compare_view_shows_each_takes_notes(client, shot, owner):
    one, two = finished_take(shot, 1), finished_take(shot, 2)
    comment_add(shot=shot, take=one, author=owner, body="Sky too bright", at_seconds=1.25)
    comment_add(shot=shot, take=two, author=owner, body="Better", at_seconds=3)
    client.force_login(owner)
    url = reverse("projects:takes-compare", args=[shot.project_id, shot.pk])
    html = client.get(url).content.decode()
    assert "1.25 s" in html and "Sky too bright" in html and "Better" in html


# --- a fixed number of queries however many comments -----------------------------------------
def fill(shot, take, users, count: int) -> None:
    """`count` comments: threads with replies and mentions, half of them notes on the take.
    The first 30 go through the service; the rest are the same rows written in bulk (a
    thousand service calls would cost the suite most of a minute and test nothing more)."""
    threads = []
    through_service = min(count, 30)
    for n in range(through_service):
        author = users[n % len(users)]
        mention = f" @{users[(n + 1) % len(users)].username}"
        if n % 3 == 2 and threads:
            comment_add(shot=shot, author=author, body=f"Reply {n}{mention}", parent=threads[-1])
        elif n % 2:
            threads.append(
                comment_add(shot=shot, take=take, author=author, body=f"Note {n}", at_seconds=n % 5)
            )
        else:
            threads.append(comment_add(shot=shot, author=author, body=f"Comment {n}{mention}"))
    rows = []
    for n in range(through_service, count):
        author = users[n % len(users)]
        row = Comment(project_id=shot.project_id, shot=shot, author=author, body=f"Bulk {n}")
        if n % 3 == 2:
            row.parent = threads[n % len(threads)]
        elif n % 2:
            row.take, row.at_seconds, row.at_frame = take, n % 5, (n % 5) * 24
        rows.append(row)
    made = Comment.objects.bulk_create(rows)
    Comment.mentions.through.objects.bulk_create(
        Comment.mentions.through(comment_id=row.pk, user_id=users[0].pk) for row in made
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_the_panel_costs_the_same_queries_for_10_and_1000_comments(
    client, shot, owner, editor, viewer, count, django_assert_num_queries
):
    take = finished_take(shot)
    fill(shot, take, [owner, editor, viewer], count)
    client.force_login(viewer)
    # session, user, membership, shot and its references (shot_of); threads, their mentions,
    # replies, the replies' mentions
    with django_assert_num_queries(SESSION + 8):
        response = client.get(comments_url(shot), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    review = reverse("projects:take-review", args=[shot.project_id, take.pk])
    # A full page: the take instead of the shot, and the top bar's unread notifications.
    with django_assert_num_queries(SESSION + 8):
        assert client.get(review).status_code == 200


def test_the_selectors_hold_everything_they_show(shot, owner, editor, django_assert_num_queries):
    take = finished_take(shot)
    fill(shot, take, [owner, editor], 30)
    with django_assert_num_queries(4):
        threads = shot_threads(shot)
        for thread in threads:
            _ = [thread.who, thread.take and thread.take.number, list(thread.mentions.all())]
            for reply in thread.replies.all():
                _ = [reply.who, list(reply.mentions.all())]
    with django_assert_num_queries(4):
        notes = take_notes(take)
    moments = [note.at_seconds for note in notes]
    assert moments == sorted(moments) and len(notes) == 10
