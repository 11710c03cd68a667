"""The shot page shared whole (projects/selectors/shot_page.py, docs/decisions/014): a second
visit reads one stamp and sends the markup built the first time; anything the page shows that
changes — in any table, by save() or by a worker's update() — builds it again, and no visitor
ever gets another's page, name or rights."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from projects.models import (
    Activity,
    ActivityKind,
    LedgerEntry,
    LedgerKind,
    Membership,
    Notification,
    NotificationReason,
    RateCard,
    Role,
    TakeEvent,
    TakeState,
    TeamPreset,
)
from projects.selectors import shot_page
from studio.models import ProviderAccount
from tests.projects.test_take_views import make_take

pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def builds(monkeypatch):
    """The names of the markup built (not found shared) since the last clear()."""
    built: list[str] = []
    real_set = cache.set

    def spy(key, *args, **kwargs):
        if key.startswith("fragment:"):
            built.append(key.split(":")[1])
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return built


def html(client, shot) -> str:
    response = client.get(reverse("projects:shot", args=[shot.project_id, shot.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_reads_the_stamp_and_nothing_else(
    client, editor, shot, builds, django_assert_max_num_queries
):
    make_take(shot, 1, progress=40)
    client.force_login(editor)
    first = html(client, shot)
    assert "shot-page" in builds
    builds.clear()
    # The session (unless Redis holds it), the user, the stamp.
    with django_assert_max_num_queries(3):
        second = html(client, shot)
    assert builds == []
    assert second.count('value="40"') == first.count('value="40"') > 0
    assert f"<title>Shot {shot.label} · {shot.project.name}</title>" in second


@pytest.mark.parametrize(
    "change, shows",
    [
        (
            lambda shot, take: shot.references.create(
                image="r.png", thumbnail="r.png", width=4, height=3, caption="Harbour at dusk"
            ),
            "Harbour at dusk",
        ),
        (
            lambda shot, take: TeamPreset.objects.create(
                project=shot.project,
                name="Slow drift north",
                target_model="kling-2.6",
                duration_seconds=5,
            ),
            "Slow drift north",
        ),
        (
            lambda shot, take: TakeEvent.objects.create(
                take=take, state=TakeState.RUNNING, message="The provider is busy"
            ),
            "The provider is busy",
        ),
        (
            lambda shot, take: (
                type(shot.scene).objects.filter(pk=shot.scene_id).update(title="The Lamp Room")
            ),
            "The Lamp Room",
        ),
        (
            lambda shot, take: (
                type(shot.project)
                .objects.filter(pk=shot.project_id)
                .update(archived_at=timezone.now())
            ),
            "archived",
        ),
    ],
    ids=["reference", "team-preset", "history-line", "scene-heading", "project-archived"],
)
def test_whatever_the_page_shows_changes_it(client, editor, shot, change, shows):
    take = make_take(shot, 1, progress=40)
    client.force_login(editor)
    assert shows not in html(client, shot)
    change(shot, take)
    assert shows in html(client, shot)


def test_money_on_a_take_changes_its_card(client, owner, shot):
    take = make_take(shot, 1, TakeState.SUCCEEDED, actual_cost=Decimal("2.00"))

    def book(kind: str, change: str) -> None:
        LedgerEntry.objects.create(
            project=shot.project, take=take, user=owner, kind=kind, spent_change=Decimal(change)
        )

    book(LedgerKind.SETTLE, "2.00")
    client.force_login(owner)
    assert "refunded $0.75" not in html(client, shot)
    book(LedgerKind.REFUND, "-0.75")
    assert "refunded $0.75" in html(client, shot)


def test_prices_and_caps_change_the_generate_offer(client, editor, shot):
    client.force_login(editor)
    before = html(client, shot)
    RateCard.objects.filter(model=shot.target_model).update(price=Decimal("9.99"))
    repriced = html(client, shot)
    assert repriced != before
    ProviderAccount.objects.update_or_create(
        slug=_provider(shot), defaults={"monthly_cap": Decimal("0.01")}
    )
    assert "studio-wide cap" in html(client, shot)


def _provider(shot) -> str:
    from providers.capabilities import CAPABILITIES

    return CAPABILITIES[shot.target_model].provider


def test_a_role_changed_to_viewer_loses_the_editor_at_once(client, editor, shot):
    client.force_login(editor)
    assert 'id="save-shot"' in html(client, shot)
    Membership.objects.filter(user=editor).update(role=Role.VIEWER)
    assert 'id="save-shot"' not in html(client, shot)


def test_each_member_sees_their_own_name_and_unread_count(client, editor, owner, shot):
    client.force_login(editor)
    mine = html(client, shot)
    client.force_login(owner)
    theirs = html(client, shot)
    assert editor.username in mine and editor.username not in theirs
    activity = Activity.objects.create(
        project=shot.project, kind=ActivityKind.COMMENTED, summary="x"
    )
    Notification.objects.create(user=owner, activity=activity, reason=NotificationReason.MENTION)
    assert 'aria-label="1 unread"' in html(client, shot)


def test_the_page_is_built_again_when_the_minute_turns(client, editor, shot, builds, monkeypatch):
    make_take(shot, 1, progress=40)
    client.force_login(editor)
    html(client, shot)
    builds.clear()
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(shot_page.timezone, "now", lambda: later)
    html(client, shot)
    assert "shot-page" in builds  # "asked 2 minutes ago" cannot come from the old page


def test_strangers_and_other_projects_shots_get_404(client, outsider, editor, shot):
    from tests.factories import ShotFactory

    url = reverse("projects:shot", args=[shot.project_id, shot.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    elsewhere = ShotFactory()
    assert (
        client.get(reverse("projects:shot", args=[shot.project_id, elsewhere.pk])).status_code
        == 404
    )
