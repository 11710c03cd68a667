"""The poll of a take in flight: one query of its own, and 304 when nothing changed."""

import re

from django.urls import resolve, reverse

from projects.models import Membership, Role, Take, TakeEvent, TakeState
from tests.projects.test_take_views import make_take, with_video
from tests.queries import SESSION

HX = {"HTTP_HX_REQUEST": "true"}


def card_url(take: Take) -> str:
    return reverse("projects:take-card", args=[take.project_id, take.pk])


def first_poll(client, take: Take):
    response = client.get(card_url(take), **HX)
    assert response.status_code == 200
    return response


def poll_again(client, take: Take, response):
    return client.get(card_url(take), HTTP_IF_NONE_MATCH=response["ETag"], **HX)


def test_a_poll_costs_one_query_beyond_signing_in(
    client, viewer, shot, django_assert_max_num_queries
):
    take = make_take(shot, progress=40)
    for state, message in [
        (TakeState.QUEUED, ""),
        (TakeState.SUBMITTING, "Sent to the provider"),
        (TakeState.RUNNING, "Rendering <fast>"),
    ]:
        TakeEvent.objects.create(take=take, state=state, message=message)
    client.force_login(viewer)
    # The session (unless Redis holds it), the user; then the take with its project, shot,
    # money, history and the viewer's role.
    with django_assert_max_num_queries(SESSION + 2):
        html = first_poll(client, take).content.decode()
    history = html[html.index('class="take-history"') :]
    lines = re.findall(r"<li><time[^>]*>[^<]*</time> ([^<]*)</li>", history)
    assert lines == [
        "Waiting its turn",
        "Sending to the provider — Sent to the provider",
        "Generating — Rendering &lt;fast&gt;",
    ]


def test_nothing_changed_is_304_after_one_query(
    client, viewer, shot, django_assert_max_num_queries
):
    take = make_take(shot, progress=40)
    client.force_login(viewer)
    response = first_poll(client, take)
    assert response["Cache-Control"] == "private, no-cache"

    with django_assert_max_num_queries(SESSION + 2):  # (the session), the user, the take
        again = poll_again(client, take, response)

    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]
    assert again.content == b""


def test_progress_written_by_a_worker_is_sent_again(client, viewer, shot):
    take = make_take(shot, progress=40)
    client.force_login(viewer)
    response = first_poll(client, take)
    # Workers write with update(), which leaves updated_at alone: the ETag must still move.
    Take.objects.filter(pk=take.pk).update(progress=70)

    again = poll_again(client, take, response)

    assert again.status_code == 200
    assert again["ETag"] != response["ETag"]
    assert 'value="70"' in again.content.decode()


def test_a_new_line_of_history_is_sent_again(client, viewer, shot):
    take = make_take(shot, progress=40)
    client.force_login(viewer)
    response = first_poll(client, take)
    TakeEvent.objects.create(take=take, state=TakeState.RUNNING, message="Provider busy")

    assert poll_again(client, take, response).status_code == 200


def test_a_new_role_is_sent_again(client, viewer, shot):
    take = make_take(shot, progress=40)
    client.force_login(viewer)
    response = first_poll(client, take)
    assert ">Cancel</button>" not in response.content.decode()
    Membership.objects.filter(user=viewer).update(role=Role.EDITOR)

    again = poll_again(client, take, response)

    assert again.status_code == 200
    assert ">Cancel</button>" in again.content.decode()


def test_a_finished_card_is_always_sent_whole(client, viewer, shot):
    take = make_take(shot, state=TakeState.FAILED, error_message="No key.")
    client.force_login(viewer)

    response = first_poll(client, take)

    assert not response.has_header("ETag")
    assert "No key." in response.content.decode()


def test_an_outsider_polling_gets_404(client, outsider, shot):
    take = make_take(shot, progress=40)
    client.force_login(outsider)

    assert client.get(card_url(take), **HX).status_code == 404


def test_every_address_on_a_card_is_one_of_the_takes_routes(client, owner, shot):
    """The card reverses its own URL once and builds the others from it: each must still be
    a route of this take."""
    take = with_video(make_take(shot, state=TakeState.SUCCEEDED))
    Take.objects.filter(pk=take.pk).update(estimated_cost=1, actual_cost=1)
    client.force_login(owner)
    html = first_poll(client, take).content.decode()

    urls = set(re.findall(r'(?:href|src|action|hx-post|poster)="(/projects/[^"?#]+)', html))
    names = set()
    for url in urls:
        match = resolve(url)
        assert match.kwargs["take_id"] == take.pk, url
        names.add(match.url_name)
    assert {"take-media", "take-review", "take-action"} <= names
