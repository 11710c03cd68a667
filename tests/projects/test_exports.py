"""The exports page, files made on the spot, and deliverables a worker makes (services and
pipeline); the writers themselves are tested in tests/deliver/."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from projects.images import clean_uploaded_image
from projects.models import Deliverable, DeliverableState, Membership, Take, TakeState
from projects.pipeline.deliverables import deliverable_make
from projects.services.deliverables import (
    deliverable_claim,
    deliverable_progress,
    deliverable_request,
)
from projects.services.shot_media import shot_set_hero_frame
from tests.factories import SceneFactory, ShotFactory


@pytest.fixture
def board(project, owner, png_upload):
    """Scene 1: shot 1A with a hero frame, 1B with nothing; scene 2: 2A with a hero frame."""
    first = SceneFactory(project=project, number=1, title="Storm", order=0)
    second = SceneFactory(project=project, number=2, title="Lamp", order=1)
    framed = ShotFactory(scene=first, label="1A", order=0, duration_seconds=4, action="waves")
    ShotFactory(scene=first, label="1B", order=1, duration_seconds=3, action="she runs")
    later = ShotFactory(scene=second, label="2A", order=0, duration_seconds=5)
    for shot in (framed, later):
        shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    return {"first": first, "second": second}


def membership(project, user) -> Membership:
    return Membership.objects.get(project=project, user=user)


def page(client, project):
    return client.get(reverse("projects:exports", args=[project.pk]))


def download(client, project, **query):
    return client.get(reverse("projects:export-download", args=[project.pk]), query)


def test_a_viewer_downloads_the_timeline_of_one_scene(client, project, viewer, board):
    client.force_login(viewer)
    response = download(client, project, format="otio", scene=board["first"].pk)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('-scene1.otio"')
    timeline = json.loads(response.content)
    clips = timeline["tracks"]["children"][0]["children"]
    assert [clip["name"] for clip in clips] == ["1A", "1B"]


def test_each_format_downloads_for_the_whole_film(client, project, viewer, board):
    client.force_login(viewer)
    starts = {
        "otio": b"{",
        "edl": b"TITLE:",
        "fcpxml": b"<?xml",
        "pdf": b"%PDF",
        "csv": "\ufeff".encode(),
        "shotlist-pdf": b"%PDF",
    }
    for fmt, start in starts.items():
        response = download(client, project, format=fmt)
        assert response.status_code == 200, (fmt, response.content[:300])
        assert response.content.startswith(start), fmt


def test_a_format_outside_the_list_is_said_by_the_form(client, project, viewer, board):
    client.force_login(viewer)
    response = download(client, project, format="xls")
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_a_film_with_no_shots_says_so_instead_of_an_empty_file(client, project, viewer):
    client.force_login(viewer)
    response = download(client, project, format="edl")
    assert response.status_code == 422
    assert "no shots" in response.content.decode()


def test_a_scene_of_another_project_is_refused_by_the_form(client, project, viewer, board):
    other = SceneFactory()
    client.force_login(viewer)
    response = download(client, project, format="otio", scene=other.pk)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_an_editor_queues_a_render_and_the_page_follows_it(client, project, editor, board):
    client.force_login(editor)
    url = reverse("projects:exports", args=[project.pk])
    response = client.post(url, {"kind": "animatic", "resolution": "1080p", "burn_in": "on"})
    made = Deliverable.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#deliverable-{made.pk}")
    assert made.options == {"resolution": "1080p", "burn_in": True}
    assert made.state == DeliverableState.QUEUED and made.requested_by == editor
    card = client.get(reverse("projects:deliverable", args=[project.pk, made.pk]))
    assert 'hx-trigger="every 2s"' in card.content.decode()  # polled while it is made


def test_a_bad_resolution_is_said_by_the_form_and_nothing_is_queued(client, project, editor):
    client.force_login(editor)
    url = reverse("projects:exports", args=[project.pk])
    response = client.post(url, {"kind": "animatic", "resolution": "4k"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Deliverable.objects.exists()


def test_asking_again_while_it_is_made_hands_back_the_same_one(project, editor, board):
    member = membership(project, editor)
    first = deliverable_request(membership=member, kind="animatic", scene=board["first"])
    again = deliverable_request(membership=member, kind="animatic", scene=board["first"])
    other_scene = deliverable_request(membership=member, kind="animatic", scene=board["second"])
    other_size = deliverable_request(
        membership=member, kind="animatic", scene=board["first"], resolution="1080p"
    )
    assert again.pk == first.pk
    assert len({first.pk, other_scene.pk, other_size.pk}) == 3


def test_a_package_is_made_with_its_manifest_and_a_second_run_changes_nothing(
    project, editor, board
):
    member = membership(project, editor)
    made = deliverable_request(membership=member, kind="package", scene=board["first"])
    deliverable_make(made.pk)
    made.refresh_from_db()
    assert made.state == DeliverableState.READY, made.error
    assert made.progress == 100 and made.attempts == 1 and made.claimed_until is None
    assert [(row["label"], row["source"]) for row in made.manifest] == [
        ("1A", "frame"),
        ("1B", "title"),
    ]
    assert [row["start"] for row in made.manifest] == [0, 4]
    with made.file.open("rb") as handle:
        names = zipfile.ZipFile(io.BytesIO(handle.read())).namelist()
    assert {"timeline.otio", "timeline.edl", "timeline.xml", "README.txt"} <= set(names)
    assert any(name.startswith("media/") and "1A" in name for name in names)

    file_name = made.file.name
    deliverable_make(made.pk)  # the message delivered twice: it is finished, left alone
    made.refresh_from_db()
    assert made.attempts == 1 and made.file.name == file_name


def test_a_copy_of_the_task_steps_aside_while_another_holds_it(project, editor, board):
    made = deliverable_request(membership=membership(project, editor), kind="package")
    claim = deliverable_claim(made.pk)
    assert claim is not None
    deliverable_make(made.pk)  # a second worker: held, so it does nothing
    made.refresh_from_db()
    assert made.state == DeliverableState.MAKING and made.attempts == 1
    assert deliverable_progress(made.pk, claim, 40) is not None


def test_a_worker_whose_claim_was_taken_over_stops_reporting(project, editor, board):
    made = deliverable_request(membership=membership(project, editor), kind="package")
    claim = deliverable_claim(made.pk)
    Deliverable.objects.filter(pk=made.pk).update(claimed_until=timezone.now())  # taken over
    assert deliverable_progress(made.pk, claim, 50) is None


def test_missing_media_fails_with_the_shot_named(project, editor, board):
    shot = board["first"].shots.get(label="1A")
    shot.hero_frame.storage.delete(shot.hero_frame.name)
    made = deliverable_request(membership=membership(project, editor), kind="package")
    deliverable_make(made.pk)
    made.refresh_from_db()
    assert made.state == DeliverableState.FAILED
    assert made.error == "Shot 1A: its media could not be read."
    assert not made.file


def test_a_ready_file_downloads_under_a_readable_name(client, project, viewer):
    made = Deliverable.objects.create(project=project, kind="animatic", state="ready")
    made.file.save("animatic.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    client.force_login(viewer)
    url = reverse("projects:deliverable-file", args=[project.pk, made.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert f"-film-animatic-{made.pk}.mp4" in response["Content-Disposition"]
    played = client.get(url, {"play": "1"})
    assert not played.get("Content-Disposition", "").startswith("attachment")


def test_a_deliverable_not_made_yet_has_no_file(client, project, viewer):
    made = Deliverable.objects.create(project=project, kind="package")
    client.force_login(viewer)
    url = reverse("projects:deliverable-file", args=[project.pk, made.pk])
    assert client.get(url).status_code == 404


def test_the_page_lists_what_was_made_in_few_queries(
    client, project, viewer, board, django_assert_max_num_queries
):
    for _ in range(5):
        Deliverable.objects.create(project=project, kind="animatic", scene=board["first"])
    client.force_login(viewer)
    with django_assert_max_num_queries(14):
        response = page(client, project)
    assert response.status_code == 200
    assert response.content.decode().count('class="card deliverable') == 5


def test_a_failed_take_is_not_what_the_animatic_plays(project, editor, board):
    from projects.selectors.cut import cut_of

    shot = board["first"].shots.get(label="1A")
    take = Take.objects.create(
        project=project,
        shot=shot,
        number=1,
        model="previz",
        provider="previz",
        prompt="x",
        state=TakeState.FAILED,
    )
    type(shot).objects.filter(pk=shot.pk).update(circled_take=take)
    segment = cut_of(project, board["first"]).segments[0]
    assert segment.source == "frame"


def test_the_sweeper_sends_again_what_no_worker_holds_once_per_wait(
    project, editor, board, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from projects.pipeline.sweeper import sweep

    member = membership(project, editor)
    fresh = deliverable_request(membership=member, kind="package")
    lost = deliverable_request(membership=member, kind="animatic")
    held = deliverable_request(membership=member, kind="package", scene=board["first"])
    long_ago = timezone.now() - timedelta(hours=1)
    Deliverable.objects.filter(pk__in=[lost.pk, held.pk]).update(created_at=long_ago)
    deliverable_claim(held.pk)  # a live worker holds this one

    with django_capture_on_commit_callbacks() as sent:
        counts = sweep()
    assert counts["deliverables"] == 1  # the fresh one may still be in the queue; one is held
    assert ("projects.render_animatic", lost.pk) in messages(sent)
    with django_capture_on_commit_callbacks() as again:
        assert sweep()["deliverables"] == 0  # not again until the wait is over
    assert not [name for name, _ in messages(again) if "animatic" in name or "package" in name]
    assert fresh.state == DeliverableState.QUEUED


def messages(callbacks) -> list[tuple[str, int]]:
    """The Celery messages on-commit callbacks would send: (task name, id)."""
    return [(c.args[0], c.keywords["args"][0]) for c in callbacks if hasattr(c, "keywords")]
