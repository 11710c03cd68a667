"""Generate twice: a second request for the same take while one is in flight is offered that
take (a double click, two teammates), exactly as a finished duplicate already was."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from projects.models import Take, TakeState
from tests.factories import MembershipFactory, SceneFactory, ShotFactory


def generate(client, shot, **data):
    return client.post(reverse("projects:take-create", args=[shot.project_id, shot.pk]), data)


def messages_of(response) -> list[str]:
    return [m.message for m in response.wsgi_request._messages]


@pytest.fixture
def editor_shot(db):
    membership = MembershipFactory(role="editor")
    shot = ShotFactory(scene=SceneFactory(project=membership.project), duration_seconds=2)
    return membership.user, shot


def test_a_second_generate_while_one_is_in_flight_offers_that_take(client, editor_shot):
    user, shot = editor_shot
    client.force_login(user)
    generate(client, shot)
    first = Take.objects.get(shot=shot)
    assert first.state == TakeState.QUEUED

    response = generate(client, shot)

    assert Take.objects.filter(shot=shot).count() == 1
    assert response.status_code == 302
    assert f"?duplicate={first.pk}" in response["Location"]
    assert messages_of(response)[-1] == (
        f"Take {first.number} is already being made with exactly this request. "
        "Follow it, or generate again anyway."
    )


def test_generate_again_anyway_makes_a_second_take(client, editor_shot):
    user, shot = editor_shot
    client.force_login(user)
    generate(client, shot)
    generate(client, shot, allow_duplicate="1")
    assert Take.objects.filter(shot=shot).count() == 2


def test_a_changed_shot_is_a_new_request_even_while_one_is_in_flight(client, editor_shot):
    user, shot = editor_shot
    client.force_login(user)
    generate(client, shot)
    shot.subject = "A different subject"
    shot.save(update_fields=["subject"])
    generate(client, shot)
    assert Take.objects.filter(shot=shot).count() == 2


def test_a_finished_failure_does_not_block_a_new_request(client, editor_shot):
    user, shot = editor_shot
    client.force_login(user)
    generate(client, shot)
    Take.objects.filter(shot=shot).update(state=TakeState.FAILED)
    generate(client, shot)
    assert Take.objects.filter(shot=shot).count() == 2


def test_retry_clicked_twice_makes_one_retry(client, editor_shot):
    user, shot = editor_shot
    client.force_login(user)
    generate(client, shot)
    failed = Take.objects.get(shot=shot)
    Take.objects.filter(pk=failed.pk).update(state=TakeState.FAILED)
    url = reverse("projects:take-action", args=[shot.project_id, failed.pk, "retry"])
    client.post(url)
    response = client.post(url)
    retries = Take.objects.filter(shot=shot, retry_of=failed)
    assert retries.count() == 1
    assert f"?duplicate={retries.get().pk}" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_teammates_clicking_generate_at_once_make_one_take():
    """Eight people (or one double click) at the same instant: one take, seven offers of it.
    The shot's row lock (PostgreSQL) or the IMMEDIATE write transaction (SQLite) serialises
    the check and the create."""
    membership = MembershipFactory(role="editor")
    shot = ShotFactory(scene=SceneFactory(project=membership.project), duration_seconds=2)
    teammates = [MembershipFactory(project=membership.project, role="editor").user]
    teammates += [
        MembershipFactory(project=membership.project, role="editor").user for _ in range(6)
    ]
    people = [membership.user, *teammates]
    barrier = threading.Barrier(len(people))
    locations: list[str] = []
    lock = threading.Lock()

    def click(user):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=30)
            response = generate(client, shot)
            with lock:
                locations.append(response["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    take = Take.objects.get(shot=shot)
    assert len(locations) == len(people)
    assert sum(f"?duplicate={take.pk}" in location for location in locations) == len(people) - 1
    project = take.project
    project.refresh_from_db()
    assert project.reserved == take.estimated_cost  # one hold, not eight
