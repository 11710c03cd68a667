"""The card says what is true now; the camera report keeps the history (TakeEvent)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Take, TakeEvent, TakeState
from projects.pipeline.follow import _poll_later, take_follow
from projects.pipeline.submit import _submit_later
from projects.services.take_states import move, note
from providers.core.base import Transient
from tests.projects.test_take_views import make_take
from tests.queries import SESSION
from tests.support.fakes import install, sent_take

BUSY = "Provider busy, trying again in 2 s: Request rate has exceeded the RPM limit."


def card_parts(client, take) -> tuple[str, str]:
    """The card above its camera report, and the camera report."""
    url = reverse("projects:take-card", args=[take.project_id, take.pk])
    html = client.get(url).content.decode()
    head, _, report = html.partition('<details class="camera-report">')
    assert report, "the card has a camera report"
    return head, report


def test_a_busy_provider_is_a_note_on_the_take_not_its_error(shot):
    take = make_take(shot, state=TakeState.SUBMITTING, submit_attempts=1)
    _submit_later(take, Transient("Request rate has exceeded the RPM limit."))
    take.refresh_from_db()
    assert (take.state, take.status_note, take.error_message) == (TakeState.QUEUED, BUSY, "")
    assert list(take.events.values_list("state", "message")) == [(TakeState.QUEUED, BUSY)]


def test_every_move_clears_the_note_and_is_kept_in_the_history(shot):
    take = make_take(shot, state=TakeState.QUEUED, status_note=BUSY)
    assert move(take.pk, TakeState.QUEUED, TakeState.SUBMITTING)
    assert move(take.pk, TakeState.SUBMITTING, TakeState.FAILED, error_message="No key.")
    take.refresh_from_db()
    assert take.status_note == ""
    assert list(take.events.values_list("state", "message")) == [
        (TakeState.SUBMITTING, ""),
        (TakeState.FAILED, "No key."),
    ]


def test_a_move_that_loses_the_race_writes_no_history(shot):
    take = make_take(shot, state=TakeState.RUNNING)
    assert not move(take.pk, TakeState.QUEUED, TakeState.SUBMITTING)
    assert not TakeEvent.objects.filter(take=take).exists()


def test_a_poll_hiccup_is_a_note_until_the_provider_answers_again(shot, settings):
    install(settings)
    take = sent_take(shot, "fake-always")
    _poll_later(take, Transient("Read timed out."))
    take.refresh_from_db()
    hiccup = "No answer from the provider, asking again in 2 s: Read timed out."
    assert take.status_note == hiccup
    take_follow(take.pk)  # the provider answers: still running
    take.refresh_from_db()
    assert (take.state, take.status_note) == (TakeState.RUNNING, "")
    assert list(take.events.values_list("message", flat=True)) == [hiccup]


def test_the_card_shows_the_note_while_it_is_true_and_the_report_keeps_it(client, viewer, shot):
    take = make_take(shot, state=TakeState.QUEUED)
    note(take.pk, TakeState.QUEUED, BUSY)
    client.force_login(viewer)
    head, report = card_parts(client, take)
    assert BUSY in head

    move(take.pk, TakeState.QUEUED, TakeState.SUBMITTING)
    move(take.pk, TakeState.SUBMITTING, TakeState.RUNNING)
    head, report = card_parts(client, take)
    assert BUSY not in head
    event = take.events.get(state=TakeState.QUEUED)
    assert f"{event.at:%Y-%m-%d %H:%M:%S}</time> Waiting its turn — {BUSY}" in report
    assert "</time> Generating</li>" in report


def test_a_finished_take_with_an_old_stale_message_does_not_show_it(client, viewer, shot):
    # Takes from before this change kept "busy" in error_message even when they succeeded.
    take = make_take(shot, state=TakeState.SUCCEEDED, error_message=BUSY)
    client.force_login(viewer)
    head, _ = card_parts(client, take)
    assert BUSY not in head


@pytest.mark.parametrize("events", [0, 25])
def test_the_card_costs_the_same_queries_however_long_the_history(
    client, viewer, shot, events, django_assert_num_queries
):
    take = make_take(shot, state=TakeState.RUNNING)
    start = timezone.now()
    TakeEvent.objects.bulk_create(
        TakeEvent(take=take, state=TakeState.RUNNING, at=start + timedelta(seconds=n), message="x")
        for n in range(events)
    )
    client.force_login(viewer)
    url = reverse("projects:take-card", args=[take.project_id, take.pk])
    # The session (unless Redis holds it), the user, then the take with its project, shot,
    # history and the viewer's role.
    with django_assert_num_queries(SESSION + 2):
        assert client.get(url).status_code == 200
    assert Take.objects.get(pk=take.pk).events.count() == events
