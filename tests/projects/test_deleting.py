"""Deleting: a project that ever moved money is archived (hidden, view only, restorable by its
owners and staff, its books intact); one that never did goes with every file it stored. Shots and
scenes with takes still in flight are not deleted, so no held money is orphaned."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.images import clean_uploaded_image
from projects.models import (
    Deliverable,
    LedgerEntry,
    Project,
    RateCard,
    Scene,
    Shot,
    Take,
    TakeState,
)
from projects.pipeline.download import take_download
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.selectors.books import books_out_of_balance
from projects.services.projects import project_archive
from projects.services.shot_media import (
    reference_add,
    shot_set_hero_frame,
    shot_set_last_frame,
    shot_set_voice_sample,
)
from projects.services.takes import take_request
from projects.views.access import ARCHIVED
from providers.previz.tasks import render_job
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    ShotFactory,
    UserFactory,
    paid_take,
)


def files_in(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def delete(client, project):
    return client.post(reverse("projects:delete", args=[project.pk]), follow=True)


@pytest.fixture
def spent(shot):
    """$1.50 spent on the project."""
    return paid_take(shot, actual="1.50")


def run_take(take, queue, media_root) -> Take:
    """A worker's whole path for a previz take: submit, render, follow, download."""
    take_submit(take.pk)
    while queue:
        render_job(queue.pop(0), str(media_root / "previz-jobs"))
    take_follow(take.pk)
    take_download(take.pk)
    take.refresh_from_db()
    return take


def previz_shot(scene, **fields):
    return ShotFactory(scene=scene, label="1A", duration_seconds=1, resolution="preview", **fields)


# --- a project that moved money is archived ---------------------------------------------------
def test_deleting_a_project_that_moved_money_archives_it(client, owner, project, spent):
    entries = LedgerEntry.objects.filter(project=project).count()
    client.force_login(owner)

    response = delete(client, project)

    assert response.redirect_chain[-1][0] == reverse("projects:list")
    assert (
        f"Archived the project “{project.name}”: its spending stays on the books. "
        "Restore it from Archived projects below." in response.content.decode()
    )
    project.refresh_from_db()
    assert project.archived_by == owner and project.archived_at is not None
    assert LedgerEntry.objects.filter(project=project).count() == entries
    assert project.spent == Decimal("1.50")
    assert books_out_of_balance() == []


def test_the_settings_page_says_archive_or_delete_before_the_click(client, owner, project, shot):
    client.force_login(owner)
    url = reverse("projects:settings", args=[project.pk])
    html = client.get(url).content.decode()
    assert ">Delete project</button>" in html and "Archive project" not in html
    assert "No money ever moved on this project, so it is deleted for good" in html

    paid_take(shot)
    html = client.get(url).content.decode()
    assert ">Archive project</button>" in html and "Delete project" not in html
    assert "Money was spent or held on this project, so it is archived rather than deleted" in html


def test_an_archived_project_leaves_the_list_for_the_archived_section(
    client, owner, editor, project, spent
):
    MembershipFactory(project=ProjectFactory(name="Harbour Lights"), user=owner)
    project_archive(project=project, user=owner)
    client.force_login(owner)

    response = client.get(reverse("projects:list"))

    assert [p.name for p in response.context["projects"]] == ["Harbour Lights"]
    assert [p.name for p in response.context["archived"]] == [project.name]
    html = response.content.decode()
    section = html[html.index('id="archived-projects"') :]
    assert f"Restore {project.name}" in section

    client.force_login(editor)
    html = client.get(reverse("projects:list")).content.decode()
    assert project.name in html[html.index('id="archived-projects"') :]
    assert f"Restore {project.name}" not in html


def test_an_archived_project_is_view_only_for_its_owner(client, owner, project, scene, spent):
    project_archive(project=project, user=owner)
    client.force_login(owner)

    html = client.get(reverse("projects:storyboard", args=[project.pk])).content.decode()
    assert "View only" in html
    assert "This project was archived on" in html and f"by {owner.username}" in html
    assert "Add scene" not in html and "Edit scene" not in html and ">Settings<" not in html

    response = client.post(
        reverse("projects:scene-edit", args=[project.pk, scene.pk]),
        {f"scene-{scene.pk}-number": 9, f"scene-{scene.pk}-title": "Renamed"},
    )
    assert response.status_code == 403
    assert ARCHIVED in response.content.decode()
    assert Scene.objects.get(pk=scene.pk).title == scene.title


def test_owners_restore_an_archived_project(client, owner, project, spent):
    project_archive(project=project, user=owner)
    client.force_login(owner)

    response = client.post(reverse("projects:restore", args=[project.pk]), follow=True)

    assert f"Restored the project “{project.name}”." in response.content.decode()
    project.refresh_from_db()
    assert project.archived_at is None and project.archived_by is None
    listed = client.get(reverse("projects:list")).context["projects"]
    assert project in listed


@pytest.mark.parametrize("who", ["editor", "viewer"])
def test_editors_and_viewers_cannot_restore(client, request, owner, project, spent, who):
    project_archive(project=project, user=owner)
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("projects:restore", args=[project.pk]))

    assert response.status_code == 403
    assert "Only the project&#x27;s owners can restore it." in response.content.decode()
    project.refresh_from_db()
    assert project.is_archived


def test_restoring_a_live_project_says_it_is_not_archived(client, owner, project):
    client.force_login(owner)
    response = client.post(reverse("projects:restore", args=[project.pk]), follow=True)
    assert f"“{project.name}” is not archived." in response.content.decode()


def test_staff_restore_archived_projects_in_the_admin(client, owner, project, spent):
    project_archive(project=project, user=owner)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "restore_projects", "_selected_action": [project.pk]},
        follow=True,
    )

    assert "Restored 1 archived project(s)." in response.content.decode()
    project.refresh_from_db()
    assert not project.is_archived


def test_the_dashboard_keeps_counting_an_archived_projects_money(client, owner, project, spent):
    project_archive(project=project, user=owner)
    client.force_login(owner)
    response = client.get(reverse("projects:dashboard"))
    assert response.context["data"].total == Decimal("1.50")


def test_a_take_in_flight_on_an_archived_project_settles_normally(
    client, owner, project, scene, render_queue, media_root, django_capture_on_commit_callbacks
):
    RateCard.objects.filter(model="previz").update(price=Decimal("2"))  # so its hold is money
    shot = previz_shot(scene)
    take = take_request(shot=shot, user=owner)
    with django_capture_on_commit_callbacks(execute=False):
        take_submit(take.pk)  # the provider has it: archiving does not stop it
    client.force_login(owner)
    delete(client, project)
    project.refresh_from_db()
    assert project.is_archived and project.reserved == Decimal("2")

    with django_capture_on_commit_callbacks(execute=False):
        take = run_take(take, render_queue, media_root)

    assert take.state == TakeState.SUCCEEDED
    project.refresh_from_db()
    assert (project.reserved, project.spent) == (Decimal("0"), Decimal("0"))
    assert books_out_of_balance() == []


# --- a project that never moved money is deleted with its files -----------------------------
def test_deleting_a_project_that_never_moved_money_leaves_no_file_behind(
    client,
    owner,
    project,
    scene,
    png_upload,
    render_queue,
    media_root,
    django_capture_on_commit_callbacks,
):
    shot = previz_shot(scene)
    shot_set_hero_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    shot_set_last_frame(shot=shot, image=clean_uploaded_image(png_upload()))
    shot_set_voice_sample(
        shot=shot, sample=ContentFile(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(64), "voice.wav")
    )
    reference_add(shot=shot, image=clean_uploaded_image(png_upload()))
    with django_capture_on_commit_callbacks(execute=False):
        take = run_take(take_request(shot=shot, user=owner), render_queue, media_root)
    assert take.state == TakeState.SUCCEEDED  # a free previz take: $0 moved
    for scope in (None, scene):  # a rendered animatic of the film and one of the scene
        made = Deliverable.objects.create(project=project, scene=scope, kind="animatic")
        made.file.save("animatic.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    kinds = {path.split("/")[0] for path in files_in(media_root)}
    assert kinds == {"images", "takes", "previz-jobs", "deliverables"}
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = delete(client, project)

    assert f"Deleted the project “{project.name}” and all its files." in response.content.decode()
    assert not Project.objects.filter(pk=project.pk).exists()
    assert files_in(media_root) == []


def test_a_project_with_a_free_take_in_flight_is_not_deleted(
    client, owner, project, scene, render_queue
):
    take = take_request(shot=previz_shot(scene), user=owner)
    client.force_login(owner)

    response = delete(client, project)

    assert (
        f"“{project.name}” cannot be deleted while one of its takes is still being generated: "
        "cancel it or let it finish first." in response.content.decode()
    )
    assert Take.objects.filter(pk=take.pk).exists()


# --- shots and scenes -------------------------------------------------------------------------
def test_a_shot_with_a_take_in_flight_is_not_deleted(client, editor, project, shot):
    take = paid_take(shot, state=TakeState.RUNNING)
    client.force_login(editor)
    url = reverse("projects:shot-delete", args=[project.pk, shot.pk])
    message = (
        f"Shot {shot.label} cannot be deleted while one of its takes is still being generated: "
        "cancel it or let it finish first."
    )

    board = client.post(url, HTTP_HX_REQUEST="true")
    page = client.post(url, follow=True)

    assert board.status_code == 422 and message in board.content.decode()
    assert message in page.content.decode()
    assert Take.objects.filter(pk=take.pk).exists()
    assert books_out_of_balance() == []


def test_a_scene_with_takes_in_flight_is_not_deleted(client, editor, project, scene, shot):
    paid_take(shot, number=1, state=TakeState.RUNNING)
    paid_take(ShotFactory(scene=scene), number=1, state=TakeState.QUEUED)
    client.force_login(editor)

    response = client.post(
        reverse("projects:scene-delete", args=[project.pk, scene.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 422
    assert (
        f"Scene {scene.number} cannot be deleted while 2 of its takes are still being "
        "generated: cancel them or let them finish first." in response.content.decode()
    )
    assert Shot.objects.filter(scene=scene).count() == 2


def test_deleting_a_shot_deletes_its_takes_files(
    client,
    editor,
    project,
    scene,
    render_queue,
    media_root,
    django_capture_on_commit_callbacks,
):
    shot = previz_shot(scene)
    keep = ShotFactory(scene=scene, label="1B")
    with django_capture_on_commit_callbacks(execute=False):
        take = run_take(take_request(shot=shot, user=editor), render_queue, media_root)
    keep.hero_frame.save("keep.jpg", ContentFile(b"x"), save=True)
    other_files = {keep.hero_frame.name}
    assert take.video and take.poster and take.thumbnail
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:shot-delete", args=[project.pk, shot.pk]))

    assert not Shot.objects.filter(pk=shot.pk).exists()
    assert set(files_in(media_root)) == other_files


def test_archiving_cancels_takes_the_provider_never_received_and_releases_them(
    client, owner, project, scene
):
    RateCard.objects.filter(model="previz").update(price=Decimal("2"))  # so its hold is money
    waiting = take_request(shot=previz_shot(scene), user=owner)
    assert waiting.state == TakeState.QUEUED and waiting.estimated_cost > 0
    client.force_login(owner)

    delete(client, project)

    waiting.refresh_from_db()
    project.refresh_from_db()
    assert project.is_archived  # its hold was money: archived, not deleted
    assert waiting.state == TakeState.CANCELED
    assert waiting.events.last().message == (
        "Canceled before it was sent: the project was archived. Nothing was charged."
    )
    assert project.reserved == 0
    assert books_out_of_balance() == []


def test_deleting_a_scene_deletes_its_rendered_animatics_and_keeps_the_films(
    client, editor, project, scene, media_root, django_capture_on_commit_callbacks
):
    kept = Deliverable.objects.create(project=project, kind="animatic")
    kept.file.save("film.mp4", ContentFile(b"film"))
    gone = Deliverable.objects.create(project=project, scene=scene, kind="animatic")
    gone.file.save("scene.mp4", ContentFile(b"scene"))
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:scene-delete", args=[project.pk, scene.pk]))

    assert not Deliverable.objects.filter(pk=gone.pk).exists()
    assert set(files_in(media_root)) == {kept.file.name}
