"""Take pages and partials: what the filmmaker sees while a take runs and after."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import Take, TakeState
from tests.factories import ShotFactory, image_bytes, take_of


def make_take(shot, number=1, state=TakeState.RUNNING, **fields) -> Take:
    return take_of(shot, number, state=state, **fields)


def with_video(take: Take, payload: bytes = bytes(range(256)) * 8) -> Take:
    take.video.save("t.mp4", ContentFile(payload), save=False)
    take.poster.save("p.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.thumbnail.save("t.jpg", ContentFile(image_bytes("JPEG")), save=False)
    take.save()
    return take


def test_a_running_card_keeps_polling_and_a_finished_one_stops(client, viewer, project, shot):
    running = make_take(shot, progress=40)
    done = with_video(make_take(shot, 2, TakeState.SUCCEEDED))
    client.force_login(viewer)
    running_html = client.get(
        reverse("projects:take-card", args=[project.pk, running.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 2s"' in running_html
    assert "Generating" in running_html and 'value="40"' in running_html
    done_html = client.get(
        reverse("projects:take-card", args=[project.pk, done.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in done_html
    assert "<video" in done_html


def test_the_card_answers_from_the_database_only(
    client, viewer, project, shot, django_assert_max_num_queries
):
    take = make_take(shot, progress=40)
    client.force_login(viewer)
    with django_assert_max_num_queries(6):
        response = client.get(
            reverse("projects:take-card", args=[project.pk, take.pk]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="take-{take.pk}"' in html
    assert "Generating" in html and 'value="40"' in html


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("quota", "out of credit or over its quota, so nothing was made and nothing was charged"),
        ("auth", "did not accept the studio's key, so nothing was made and nothing was charged"),
    ],
)
def test_a_take_the_provider_refused_for_the_account_says_what_to_do(
    client, viewer, project, shot, kind, words
):
    message = "Kling: Account balance not enough (code 1102, HTTP 429)"
    take = make_take(shot, state=TakeState.FAILED, error_kind=kind, error_message=message)
    client.force_login(viewer)
    response = client.get(reverse("projects:take-card", args=[project.pk, take.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and words in html


def test_cancel_through_htmx_returns_the_card(client, editor, project, shot):
    take = make_take(shot, state=TakeState.QUEUED)
    client.force_login(editor)
    response = client.post(
        reverse("projects:take-action", args=[project.pk, take.pk, "cancel"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Canceled" in response.content.decode()
    assert Take.objects.get(pk=take.pk).state == TakeState.CANCELED


def test_an_unknown_take_action_is_not_found(client, editor, project, shot):
    take = make_take(shot)
    client.force_login(editor)
    url = reverse("projects:take-action", args=[project.pk, take.pk, "explode"])
    assert client.post(url).status_code == 404


def test_videos_are_served_in_byte_ranges(client, viewer, project, shot):
    payload = bytes(range(256)) * 8
    take = with_video(make_take(shot, state=TakeState.SUCCEEDED), payload)
    client.force_login(viewer)
    url = reverse("projects:take-media", args=[project.pk, take.pk, "video.mp4"])
    whole = client.get(url)
    assert whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == payload
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(payload)}"
    assert b"".join(part.streaming_content) == payload[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert b"".join(tail.streaming_content) == payload[-4:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(payload)}-").status_code == 416


def test_the_editor_offers_generate_with_the_estimate(client, editor, project, shot):
    client.force_login(editor)
    html = client.get(reverse("projects:shot", args=[project.pk, shot.pk])).content.decode()
    assert "Generate on Previz · free" in html


def test_generate_is_held_back_with_the_reason(client, editor, project, scene):
    shot = ShotFactory(scene=scene, target_model="runway-gen4.5", duration_seconds=5)
    client.force_login(editor)
    html = client.get(reverse("projects:shot", args=[project.pk, shot.pk])).content.decode()
    assert 'id="generate" disabled' in html
    assert "Runway Gen-4.5 is unavailable: No Runway API key: set RUNWAY_API_KEY" in html


def test_compare_takes_plays_the_chosen_ones_side_by_side(client, viewer, project, shot):
    takes = [with_video(make_take(shot, n, TakeState.SUCCEEDED)) for n in (1, 2, 3)]
    client.force_login(viewer)
    url = reverse("projects:takes-compare", args=[project.pk, shot.pk])
    html = client.get(f"{url}?take={takes[0].pk}&take={takes[2].pk}").content.decode()
    assert html.count('<video class="sync"') == 2
    assert "Take 1 " in html and "Take 3 " in html and "Take 2 " not in html


def test_the_queue_lists_what_is_in_flight(client, viewer, project, shot):
    make_take(shot, 1, TakeState.RUNNING)
    make_take(shot, 2, TakeState.NEEDS_CHECK)
    make_take(shot, 3, TakeState.SUCCEEDED)
    client.force_login(viewer)
    html = client.get(reverse("projects:queue", args=[project.pk])).content.decode()
    assert "Generating" in html and "Needs a check" in html
    assert html.count('id="queue-take-') == 2


@pytest.mark.parametrize("circled", [True, False])
def test_the_storyboard_card_shows_the_circled_take(client, viewer, project, shot, circled):
    take = with_video(make_take(shot, state=TakeState.SUCCEEDED))
    if circled:
        shot.circled_take = take
        shot.save()
    client.force_login(viewer)
    html = client.get(reverse("projects:storyboard", args=[project.pk])).content.decode()
    assert (f"Circled take of shot {shot.label}" in html) is circled
