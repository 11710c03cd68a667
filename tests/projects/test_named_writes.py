"""Every write names its fields: a save never puts back what a worker or a teammate changed
while the request was running. Each test changes the row from "outside" after the view loaded
it (a hook at the point the view has its copy), then lets the save go on.

tests/test_lost_updates.py does the same with a real worker for the three main forms.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.admin import ProjectAdmin, ShotAdmin
from projects.forms import ShotCardForm, ShotForm
from projects.images import clean_uploaded_image
from projects.models import Project, Scene, Shot, ShotStatus, Take, TakeState
from projects.selectors.books import books_out_of_balance
from projects.services import design as design_writes
from projects.services.money import budget_reserve
from projects.services.shot_media import shot_remove_voice_sample, shot_set_hero_frame
from providers.design.presets import PRESETS
from tests.factories import ShotFactory, UserFactory, paid_take, shot_form_data, take_of
from tests.html import form_data


def hold_a_take(shot, number=9, amount="3.00") -> Take:
    """What a Generate does to the books: $3 held on the project and the scene."""
    take = take_of(
        shot,
        number,
        model="veo-3.1",
        provider="google",
        estimated_cost=Decimal(amount),
        state=TakeState.RUNNING,
    )
    budget_reserve(project=shot.project, take=take, amount=Decimal(amount))
    return take


def worker_moves_status(shot, status=ShotStatus.REVIEW):
    # As projects.services.take_states.shot_after_take does when the last take finishes.
    Shot.objects.filter(pk=shot.pk).update(status=status)


@pytest.fixture
def meanwhile(monkeypatch):
    """meanwhile(Class, "method", change): `change()` runs just before Class.method does."""

    def install(owner, name, change):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            change()
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    return install


def test_a_card_edit_keeps_the_status_a_worker_moved(client, editor, project, scene, meanwhile):
    shot = ShotFactory(scene=scene, label="1A", status=ShotStatus.GENERATING)
    client.force_login(editor)
    url = reverse("projects:shot-card-edit", args=[project.pk, shot.pk])
    data = form_data(client.get(url, HTTP_HX_REQUEST="true").content.decode(), f"shot-{shot.pk}")
    data[f"card-{shot.pk}-subject"] = "The ship"
    meanwhile(ShotCardForm, "clean", lambda: worker_moves_status(shot))

    client.post(url, data, HTTP_HX_REQUEST="true")

    shot.refresh_from_db()
    assert (shot.subject, shot.status) == ("The ship", ShotStatus.REVIEW)


def test_a_status_the_person_changed_is_saved(client, editor, project, scene):
    shot = ShotFactory(scene=scene, label="1A", status=ShotStatus.REVIEW)
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    data = shot_form_data(shot, status=ShotStatus.APPROVED, **{"initial-status": "review"})
    assert client.post(url, data).status_code == 302
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.APPROVED


def test_an_editor_opened_before_a_take_started_does_not_stop_it_generating(
    client, editor, project, scene, meanwhile
):
    shot = ShotFactory(scene=scene, label="1A", status=ShotStatus.DRAFT)
    client.force_login(editor)
    url = reverse("projects:shot", args=[project.pk, shot.pk])
    data = form_data(client.get(url).content.decode(), "shot-form")
    assert data["initial-status"] == "draft"
    data["notes"] = "Wet stairs"
    meanwhile(ShotForm, "clean", lambda: worker_moves_status(shot, ShotStatus.GENERATING))

    assert client.post(url, data).status_code == 302

    shot.refresh_from_db()
    assert (shot.notes, shot.status) == ("Wet stairs", ShotStatus.GENERATING)


def test_a_new_hero_frame_keeps_the_status_and_the_circled_take(project, scene, png_upload):
    shot = ShotFactory(scene=scene)
    stale = Shot.objects.get(pk=shot.pk)
    take = paid_take(shot)
    worker_moves_status(shot)
    Shot.objects.filter(pk=shot.pk).update(circled_take=take)

    shot_set_hero_frame(shot=stale, image=clean_uploaded_image(png_upload()))
    shot_remove_voice_sample(shot=stale)

    shot.refresh_from_db()
    assert shot.hero_frame and (shot.status, shot.circled_take_id) == ("review", take.pk)


def test_applying_a_preset_keeps_the_status_a_worker_moved(
    client, editor, project, scene, meanwhile
):
    shot = ShotFactory(scene=scene, status=ShotStatus.GENERATING)
    client.force_login(editor)
    meanwhile(design_writes, "preset_values", lambda: worker_moves_status(shot))
    url = reverse("projects:shot-apply-preset", args=[project.pk, shot.pk])
    client.post(url, {"preset": PRESETS[0].slug})
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.REVIEW


# --- the admin -----------------------------------------------------------------------------
@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_form(client, url: str) -> dict:
    html = client.get(url).content.decode()
    form_id = next(f for f in ("project_form", "shot_form") if f'id="{f}"' in html)
    return form_data(html, form_id)


def test_the_admin_project_form_keeps_money_that_moved_meanwhile(
    staff_client, project, scene, meanwhile
):
    shot = ShotFactory(scene=scene)
    Project.objects.filter(pk=project.pk).update(created_by=UserFactory())
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = admin_form(staff_client, url)
    data["name"] = "Renamed by staff"
    data["scenes-0-title"] = "Renamed scene"
    meanwhile(ProjectAdmin, "save_form", lambda: hold_a_take(shot))

    response = staff_client.post(url, data)

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.reserved) == ("Renamed by staff", Decimal("3"))
    assert Scene.objects.get(pk=scene.pk).title == "Renamed scene"
    assert Scene.objects.get(pk=scene.pk).reserved == Decimal("3")
    assert books_out_of_balance() == []


def test_the_admin_shot_form_keeps_the_workers_status_and_the_circled_take(
    staff_client, project, scene, meanwhile
):
    shot = ShotFactory(scene=scene, status=ShotStatus.GENERATING)
    take = paid_take(shot)
    url = reverse("admin:projects_shot_change", args=[shot.pk])
    data = admin_form(staff_client, url)
    data["notes"] = "Checked by staff"

    def meanwhile_change():
        worker_moves_status(shot)
        Shot.objects.filter(pk=shot.pk).update(circled_take=take)

    meanwhile(ShotAdmin, "save_form", meanwhile_change)

    assert staff_client.post(url, data).status_code == 302

    shot.refresh_from_db()
    assert (shot.notes, shot.status, shot.circled_take_id) == (
        "Checked by staff",
        "review",
        take.pk,
    )


def test_a_project_that_moved_money_is_not_deletable_in_the_admin(staff_client, project, scene):
    paid_take(ShotFactory(scene=scene))
    response = staff_client.post(
        reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()
