"""Cancel only when the provider confirms: the words before the click, and what the pipeline
does with a cancel for each kind of provider (scripted providers from tests.support.fakes)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.models import Take, TakeEvent, TakeState
from projects.models.cancels import (
    PROVIDER_FINISHING,
    answer_accepted,
    answer_not_asked,
    answer_refused,
    cancel_progress,
    what_cancel_does,
)
from projects.pipeline.download import take_download
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import _submit_later
from projects.registry import cancel_policy, result_ttl_seconds
from projects.selectors.money import charged_for, held_for
from projects.services.take_states import move
from projects.services.takes import take_cancel
from providers.core.base import CancelPolicy, State, Transient
from providers.veo.adapter import VertexVeoProvider
from tests.support.fakes import install, sent_take

DAY = 24 * 3600.0


@pytest.fixture
def fake_providers(settings):
    return install(settings)


# --- what each provider can do, read without building it ------------------------------------
@pytest.mark.parametrize(
    ("slug", "policy", "ttl"),
    [
        ("previz", CancelPolicy.ALWAYS, 7 * DAY),
        ("google-veo", CancelPolicy.NEVER, 2 * DAY),
        ("kling", CancelPolicy.NEVER, 30 * DAY),
        ("runway", CancelPolicy.ALWAYS, DAY),
        ("seedance", CancelPolicy.WHILE_QUEUED, DAY),
        ("higgsfield", CancelPolicy.WHILE_QUEUED, 7 * DAY),
    ],
)
def test_the_policy_comes_from_the_adapter_class_with_no_keys_and_no_database(slug, policy, ttl):
    # No django_db mark: touching the database here would fail the test.
    assert cancel_policy(slug) == policy
    assert result_ttl_seconds(slug) == ttl


def test_veo_on_vertex_cannot_cancel_either_and_unknown_providers_are_assumed_not_to():
    assert VertexVeoProvider.cancel_policy == CancelPolicy.NEVER
    assert cancel_policy("gone-provider") == CancelPolicy.NEVER
    assert result_ttl_seconds("gone-provider") == 0


# --- the words on the Cancel control --------------------------------------------------------
@pytest.mark.parametrize(
    ("provider", "state", "sentence"),
    [
        (
            "google-veo",
            TakeState.RUNNING,
            "Veo cannot stop a job once sent: it will still be charged.",
        ),
        (
            "kling",
            TakeState.SUBMITTING,
            "Kling cannot stop a job once sent: it will still be charged.",
        ),
        (
            "seedance",
            TakeState.RUNNING,
            "Seedance can stop it only while it waits in Seedance's queue; once it runs it "
            "finishes and is charged.",
        ),
        (
            "higgsfield",
            TakeState.RUNNING,
            "Higgsfield can stop it only while it waits in Higgsfield's queue; once it runs it "
            "finishes and is charged.",
        ),
        (
            "runway",
            TakeState.RUNNING,
            "Runway stops the job when asked; its hold is released once Runway confirms.",
        ),
        ("google-veo", TakeState.QUEUED, "Not sent yet: canceling is free."),
        ("seedance", TakeState.AWAITING_APPROVAL, "Not sent yet: canceling is free."),
    ],
)
def test_what_cancel_does_is_said_before_the_click(provider, state, sentence):
    assert what_cancel_does(Take(provider=provider, state=state)) == sentence


@pytest.mark.parametrize(
    ("provider", "state", "answer", "line"),
    [
        (
            "google-veo",
            TakeState.RUNNING,
            "",
            "Cancel asked — the provider is finishing it. Veo cannot stop a job once sent: it "
            "will still be charged.",
        ),
        (
            "google-veo",
            TakeState.RUNNING,
            answer_not_asked("google-veo"),
            "Cancel asked — the provider is finishing it. Not asked: Veo cannot stop a job once "
            "sent, so the studio follows it to the end and records what it costs.",
        ),
        (
            "seedance",
            TakeState.RUNNING,
            answer_refused("seedance", "The task is running."),
            "Cancel asked — the provider is finishing it. Seedance refused to stop it: The task "
            "is running.",
        ),
        ("seedance", TakeState.RUNNING, "", "Cancel asked — waiting for Seedance's answer."),
        (
            "runway",
            TakeState.SUBMITTING,
            "",
            "Cancel asked — it is being sent now; Runway is asked to stop it once it has it.",
        ),
        (
            "runway",
            TakeState.RUNNING,
            answer_accepted("runway"),
            "Cancel asked — Runway accepted the request to stop it. Waiting for Runway to "
            "confirm it stopped.",
        ),
        ("runway", TakeState.CANCELED, answer_accepted("runway"), ""),
    ],
)
def test_the_card_says_what_the_provider_does_about_a_cancel(provider, state, answer, line):
    take = Take(provider=provider, state=state, cancel_requested=True, cancel_answer=answer)
    assert cancel_progress(take) == line


# --- the pipeline ---------------------------------------------------------------------------
def test_a_provider_that_cannot_cancel_is_never_asked_and_its_take_is_charged(fake_providers, shot):
    take = sent_take(shot, "fake-never")
    take_cancel(take=take)
    take_follow(take.pk)
    take_follow(take.pk)
    take.refresh_from_db()
    assert fake_providers.count("cancel") == 0
    assert (take.state, take.cancel_sent_at) == (TakeState.RUNNING, None)
    assert take.cancel_answer == answer_not_asked("fake-never")
    assert held_for(take.pk) == Decimal("2.00")  # still held: the provider is still working

    fake_providers.state, fake_providers.cost = State.SUCCEEDED, Decimal("1.75")
    take_follow(take.pk)
    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    assert (charged_for(take.pk), held_for(take.pk)) == (Decimal("1.75"), 0)


def test_a_refused_cancel_is_asked_once_and_the_answer_is_kept(fake_providers, shot):
    fake_providers.refuse_cancel = "The task is running and cannot be cancelled."
    take = sent_take(shot, "fake-queued")
    take_cancel(take=take)
    for _ in range(3):
        take_follow(take.pk)
    take.refresh_from_db()
    assert fake_providers.count("cancel") == 1
    assert take.cancel_sent_at is not None
    assert take.cancel_answer == (
        "Fake Queued refused to stop it: The task is running and cannot be cancelled."
    )
    assert take.state == TakeState.RUNNING
    assert take.cancel_progress.startswith(PROVIDER_FINISHING)


def test_only_the_providers_own_status_makes_a_sent_take_canceled(fake_providers, shot):
    take = sent_take(shot, "fake-always")
    take_cancel(take=take)
    take_follow(take.pk)
    take.refresh_from_db()
    assert fake_providers.count("cancel") == 1
    assert (take.state, take.cancel_answer) == (
        TakeState.RUNNING,
        "Fake Always accepted the request to stop it.",
    )
    assert held_for(take.pk) == Decimal("2.00")

    fake_providers.state = State.CANCELED
    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.CANCELED
    assert take.error_message == "Canceled: Fake Always confirmed it stopped the job."
    assert (charged_for(take.pk), held_for(take.pk)) == (0, 0)


def test_a_job_that_finished_before_the_cancel_reached_it_is_not_asked(fake_providers, shot):
    # Runway's and Seedance's cancel call deletes a finished job, video and all.
    take = sent_take(shot, "fake-always")
    take_cancel(take=take)
    fake_providers.state = State.SUCCEEDED
    take_follow(take.pk)
    take.refresh_from_db()
    assert fake_providers.count("cancel") == 0
    assert take.state == TakeState.DOWNLOADING


def test_a_cancel_while_sending_is_passed_on_once_the_provider_has_it(fake_providers, shot):
    take = sent_take(shot, "fake-always", state=TakeState.SUBMITTING)
    take_cancel(take=take)
    take.refresh_from_db()
    assert (take.state, take.cancel_requested) == (TakeState.SUBMITTING, True)
    assert "is being sent now" in take.cancel_progress
    assert move(take.pk, TakeState.SUBMITTING, TakeState.RUNNING, remote_id="job-1")
    take_follow(take.pk)
    assert fake_providers.count("cancel") == 1


def test_a_cancel_while_the_provider_was_busy_ends_the_take_free(fake_providers, shot):
    take = sent_take(shot, "fake-always", state=TakeState.SUBMITTING, submit_attempts=1)
    take_cancel(take=take)
    _submit_later(Take.objects.get(pk=take.pk), Transient("Too many requests"))
    take.refresh_from_db()
    assert take.state == TakeState.CANCELED
    assert held_for(take.pk) == 0 and charged_for(take.pk) == 0
    assert take.events.last().message == (
        "Canceled before the provider accepted it: nothing was charged."
    )


def test_a_take_being_saved_cannot_be_canceled(fake_providers, shot):
    take = sent_take(shot, "fake-always", state=TakeState.DOWNLOADING)
    with pytest.raises(ValidationError) as error:
        take_cancel(take=take)
    assert error.value.messages == [
        "The provider already finished this take: it is being saved, and is charged."
    ]


# --- through HTTP ---------------------------------------------------------------------------
def test_the_cancel_control_says_what_will_happen_and_the_card_what_happens_next(
    client, editor, project, shot
):
    take = sent_take(shot, "google-veo")
    client.force_login(editor)
    card = reverse("projects:take-card", args=[project.pk, take.pk])
    html = client.get(card).content.decode()
    assert (
        f'aria-describedby="cancel-warning-{take.pk}">Cancel</button>\n'
        f'      <small class="help" id="cancel-warning-{take.pk}">Veo cannot stop a job once '
        "sent: it will still be charged.</small>"
    ) in html

    response = client.post(
        reverse("projects:take-action", args=[project.pk, take.pk, "cancel"]),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel asked — the provider is finishing it." in html
    assert ">Cancel</button>" not in html
    take.refresh_from_db()
    assert (take.state, take.cancel_requested) == (TakeState.RUNNING, True)
    assert TakeEvent.objects.filter(take=take, message="Cancel asked.").exists()
