"""Two people edit the same shot: the second save merges field by field, never overwrites."""

import pytest
from django.core import signing
from django.urls import reverse

from projects.models import Activity, ActivityKind, Shot
from projects.services.shot_edits import SALT, base_unsign
from tests.factories import MembershipFactory, ShotFactory, card_form_data, shot_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(client, project, editor, scene):
    """Ana and Ben, both editors; each holds the editor page of the same shot."""
    shot = ShotFactory(scene=scene, label="2A", subject="A keeper", notes="Wet")
    ben = MembershipFactory(project=project, role="editor").user
    return shot, editor, ben


def save(client, user, shot, data):
    client.force_login(user)
    return client.post(reverse("projects:shot", args=[shot.project_id, shot.pk]), data)


def test_each_save_bumps_the_version_and_records_before_and_after(client, two):
    shot, ana, _ben = two
    response = save(client, ana, shot, shot_form_data(shot, subject="A keeper, soaked"))
    assert response.status_code == 302
    saved = Shot.objects.get(pk=shot.pk)
    assert (saved.subject, saved.version) == ("A keeper, soaked", shot.version + 1)
    edit = Activity.objects.get(kind=ActivityKind.SHOT_EDITED)
    assert edit.changes == {"Subject": ["A keeper", "A keeper, soaked"]}
    assert edit.actor == ana


def test_a_save_that_changes_nothing_records_nothing(client, two):
    shot, ana, _ben = two
    assert save(client, ana, shot, shot_form_data(shot)).status_code == 302
    assert not Activity.objects.filter(kind=ActivityKind.SHOT_EDITED).exists()
    assert Shot.objects.get(pk=shot.pk).version == shot.version


def test_choices_are_recorded_by_their_names(client, two):
    shot, ana, _ben = two
    save(client, ana, shot, shot_form_data(shot, shot_size="cu"))
    changes = Activity.objects.get(kind=ActivityKind.SHOT_EDITED).changes
    assert changes == {"Shot size": ["Medium shot", "Close-up"]}


def test_different_fields_merge_without_a_conflict(client, two):
    shot, ana, ben = two
    bens_page = shot_form_data(shot, notes="Dry stairs")
    assert save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper")).status_code == 302
    assert save(client, ben, shot, bens_page).status_code == 302
    saved = Shot.objects.get(pk=shot.pk)
    # Ben never touched the subject: Ana's stays. Ana never touched the notes: Ben's applies.
    assert (saved.subject, saved.notes) == ("Ana's keeper", "Dry stairs")


def test_both_changing_a_field_is_a_conflict_and_nothing_is_saved(client, two):
    shot, ana, ben = two
    bens_page = shot_form_data(shot, subject="Ben's keeper", notes="Dry stairs")
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper", lens_mm=50))
    response = save(client, ben, shot, bens_page)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved this shot while you were editing it" in html
    assert "Ana&#x27;s keeper" in html and "Ben&#x27;s keeper" in html
    assert f"{ana.username}:" in html  # who changed it last
    assert "Dry stairs</textarea>" in html  # my typing is kept
    assert 'value="50"' in html  # a field only Ana changed now shows hers
    saved = Shot.objects.get(pk=shot.pk)
    assert (saved.subject, saved.notes, saved.lens_mm) == ("Ana's keeper", "Wet", 50)


def conflict_form(response) -> dict:
    """The 409 page's form as the browser would post it again."""
    from tests.projects.test_named_writes import form_data

    return form_data(response.content.decode(), "shot-form")


def test_taking_theirs_resolves_the_conflict(client, two):
    shot, ana, ben = two
    bens_page = shot_form_data(shot, subject="Ben's keeper", notes="Dry stairs")
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper"))
    data = conflict_form(save(client, ben, shot, bens_page))
    assert data["subject"] == "Ben's keeper"
    data["resolve-subject"] = "theirs"
    assert save(client, ben, shot, data).status_code == 302
    saved = Shot.objects.get(pk=shot.pk)
    assert (saved.subject, saved.notes) == ("Ana's keeper", "Dry stairs")


def test_keeping_mine_resolves_the_conflict(client, two):
    shot, ana, ben = two
    bens_page = shot_form_data(shot, subject="Ben's keeper")
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper"))
    data = conflict_form(save(client, ben, shot, bens_page))
    data["resolve-subject"] = "mine"
    assert save(client, ben, shot, data).status_code == 302
    assert Shot.objects.get(pk=shot.pk).subject == "Ben's keeper"


def test_a_resolution_conflicts_again_when_someone_saved_meanwhile(client, two):
    shot, ana, ben = two
    bens_page = shot_form_data(shot, subject="Ben's keeper")
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper"))
    data = conflict_form(save(client, ben, shot, bens_page))
    data["resolve-subject"] = "mine"
    now = Shot.objects.get(pk=shot.pk)
    save(client, ana, now, shot_form_data(now, subject="Ana's second keeper"))
    response = save(client, ben, shot, data)
    assert response.status_code == 409
    assert "Ana&#x27;s second keeper" in response.content.decode()
    assert Shot.objects.get(pk=shot.pk).subject == "Ana's second keeper"


def test_a_forged_base_is_refused(client, two):
    shot, ana, ben = two
    data = shot_form_data(shot, subject="Ben's keeper")
    _version, fields = base_unsign(data["base"], shot=shot)
    fields["subject"] = "Ben's keeper"  # pretend the page loaded what Ben typed
    data["base"] = signing.dumps({"shot": shot.pk, "version": 1, "fields": fields}, salt="x")
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper"))
    response = save(client, ben, shot, data)
    assert response.status_code == 422
    assert "reload the shot" in response.content.decode()
    assert Shot.objects.get(pk=shot.pk).subject == "Ana's keeper"
    assert SALT != "x"


def test_a_post_without_version_and_base_asks_for_a_reload(client, two):
    shot, ana, _ben = two
    data = shot_form_data(shot, subject="Typed")
    del data["version"], data["base"]
    response = save(client, ana, shot, data)
    assert response.status_code == 422
    assert "reload the shot" in response.content.decode()
    assert Shot.objects.get(pk=shot.pk).subject == "A keeper"


def test_the_board_card_edit_merges_and_conflicts_too(client, two):
    shot, ana, ben = two
    url = reverse("projects:shot-card-edit", args=[shot.project_id, shot.pk])
    bens_card = card_form_data(shot, subject="Ben's keeper")
    bens_other_card = card_form_data(shot, duration_seconds=9)
    save(client, ana, shot, shot_form_data(shot, subject="Ana's keeper"))
    client.force_login(ben)
    response = client.post(url, bens_card, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Ana&#x27;s keeper" in response.content.decode()
    assert client.post(url, bens_other_card, HTTP_HX_REQUEST="true").status_code == 200
    saved = Shot.objects.get(pk=shot.pk)
    assert (saved.subject, saved.duration_seconds) == ("Ana's keeper", 9)
