"""What one Generate costs the studio's database (issue 15: ≥ 50 take requests a second from
one process): the query count of a take request is pinned, and the shortcuts it takes keep
every rule (holds, history, the duplicate refusal, the recorded image hashes)."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from projects.models import LedgerEntry, MemberSpend, ProviderSpend, Shot, ShotStatus, Take
from projects.selectors import snapshots
from projects.services.takes import DuplicateTake, take_request
from studio.models import ProviderAccount
from tests.factories import ShotFactory, image_bytes
from tests.projects.test_money import priced_previz

# SQLite, a shot loaded as the view loads it: provider account, rate cards, the project's and
# the studio's prompt templates (issue 16), BEGIN, the shot's lock (with its last number and
# the project), the duplicate check, the take, project and scene holds, the limits (quota,
# cap), member and provider holds, the ledger, the take's history (the take is stamped as sent
# by its own INSERT), the activity. 24 before issue 15.
TAKE_REQUEST_QUERIES = 16


@pytest.fixture
def busy_shot(project, scene, editor):
    """A paid shot with both frames, a budget, a member quota, a provider cap, earlier takes."""
    priced_previz()  # $0.10 a second
    project.budget, scene.budget = Decimal("100"), Decimal("50")
    project.save(update_fields=["budget"])
    scene.save(update_fields=["budget"])
    project.memberships.filter(user=editor).update(monthly_quota=Decimal("40"))
    ProviderAccount.objects.update_or_create(slug="previz", defaults={"monthly_cap": Decimal("30")})
    shot = ShotFactory(scene=scene, duration_seconds=5)  # $0.50 a take
    shot.hero_frame = default_storage.save("images/t/hero.png", ContentFile(image_bytes()))
    shot.last_frame = default_storage.save(
        "images/t/last.png", ContentFile(image_bytes(color=(1, 2, 3)))
    )
    shot.save()
    for seed in (1, 2):  # earlier requests: the duplicate check reads them
        Shot.objects.filter(pk=shot.pk).update(seed=seed)
        take_request(shot=as_the_view_loads(shot), user=editor)
    Shot.objects.filter(pk=shot.pk).update(seed=3)
    return shot


def as_the_view_loads(shot: Shot) -> Shot:
    """views.shots.shot_of's query."""
    shots = Shot.objects.select_related("scene", "circled_take", "approved_take", "approved_by")
    return shots.prefetch_related("references").get(pk=shot.pk)


def test_a_take_request_runs_a_pinned_number_of_queries(
    busy_shot, editor, django_assert_max_num_queries
):
    shot = as_the_view_loads(busy_shot)
    with django_assert_max_num_queries(TAKE_REQUEST_QUERIES):
        take = take_request(shot=shot, user=editor)
    assert (take.number, take.state, take.estimated_cost) == (3, "queued", Decimal("0.5"))
    # The submit message's stamp, written in the request's own transaction.
    assert Take.objects.get(pk=take.pk).dispatched_at is not None


def test_every_hold_and_line_of_history_is_still_written(busy_shot, editor):
    take = take_request(shot=as_the_view_loads(busy_shot), user=editor)
    hold = LedgerEntry.objects.get(take=take)
    assert (hold.kind, hold.reserved_change, hold.scene_id) == (
        "reserve",
        Decimal("0.5"),
        busy_shot.scene_id,
    )
    busy_shot.project.refresh_from_db()
    busy_shot.scene.refresh_from_db()
    assert busy_shot.project.reserved == busy_shot.scene.reserved == Decimal("1.5")
    assert MemberSpend.objects.get(user=editor).reserved == Decimal("1.5")
    assert ProviderSpend.objects.get(provider="previz").reserved == Decimal("1.5")
    assert take.events.count() == 1
    assert Shot.objects.get(pk=busy_shot.pk).status == ShotStatus.GENERATING


def test_a_quota_reached_refuses_and_holds_nothing(busy_shot, editor):
    busy_shot.project.memberships.filter(user=editor).update(monthly_quota=Decimal("1.20"))
    with pytest.raises(ValidationError) as error:
        take_request(shot=as_the_view_loads(busy_shot), user=editor)
    assert "monthly quota" in error.value.messages[0]
    assert Take.objects.filter(shot=busy_shot).count() == 2
    busy_shot.project.refresh_from_db()
    assert busy_shot.project.reserved == Decimal("1.0")  # the project's hold was undone too


def test_a_scene_budget_reached_names_the_scene(busy_shot, editor):
    busy_shot.scene.budget = Decimal("1.20")
    busy_shot.scene.save(update_fields=["budget"])
    with pytest.raises(ValidationError) as error:
        take_request(shot=as_the_view_loads(busy_shot), user=editor)
    assert f"scene {busy_shot.scene.number}'s" in error.value.messages[0]
    busy_shot.project.refresh_from_db()
    assert busy_shot.project.reserved == Decimal("1.0")


def test_the_same_request_again_is_offered_the_take_in_flight(busy_shot, editor):
    first = take_request(shot=as_the_view_loads(busy_shot), user=editor)
    with pytest.raises(DuplicateTake) as duplicate:
        take_request(shot=as_the_view_loads(busy_shot), user=editor)
    assert duplicate.value.existing.pk == first.pk


def test_input_images_are_hashed_once_and_recorded_exactly(busy_shot, editor, monkeypatch):
    snapshots.stored_image_sha256.cache_clear()
    reads = []
    real = snapshots._sha256
    monkeypatch.setattr(snapshots, "_sha256", lambda name: reads.append(name) or real(name))
    for seed in (7, 8):
        Shot.objects.filter(pk=busy_shot.pk).update(seed=seed)
        take = take_request(shot=as_the_view_loads(busy_shot), user=editor)
    assert sorted(reads) == sorted([busy_shot.hero_frame.name, busy_shot.last_frame.name])
    with default_storage.open(busy_shot.hero_frame.name, "rb") as handle:
        expected = hashlib.sha256(handle.read()).hexdigest()
    assert take.input_images[0] == {
        "role": "first_frame",
        "name": busy_shot.hero_frame.name,
        "sha256": expected,
    }
