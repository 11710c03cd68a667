"""The generation pipeline step by step, as workers would run it, with the real previz renderer.

The render queue is replaced by a list so the test decides when "the render worker" runs.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Shot, ShotStatus, Take, TakeState
from projects.pipeline.download import take_download
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.pipeline.sweeper import sweep
from projects.services import work
from projects.services.takes import (
    scene_generate,
    take_cancel,
    take_circle,
    take_request,
    take_retry,
)
from providers.core.media import probe
from providers.previz.tasks import render_job
from tests.factories import ShotFactory


def run_renders(queue, media_root):
    while queue:
        render_job(queue.pop(0), str(media_root / "previz-jobs"))


@pytest.fixture
def shot(scene):
    return ShotFactory(
        scene=scene, label="1A", duration_seconds=2, resolution="preview", pan=4, dolly=3
    )


def test_a_take_goes_from_request_to_a_playable_video(
    editor, shot, render_queue, media_root, django_capture_on_commit_callbacks
):
    take = take_request(shot=shot, user=editor)
    assert (take.state, take.number, take.model, take.estimated_cost) == ("queued", 1, "previz", 0)
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.GENERATING

    take_submit(take.pk)
    take.refresh_from_db()
    assert (take.state, take.remote_id) == (TakeState.RUNNING, f"take-{take.pk}")
    assert take.submitting_at and take.running_at

    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING  # the render worker has not run yet

    run_renders(render_queue, media_root)
    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.DOWNLOADING
    take_download(take.pk)
    take.refresh_from_db()

    assert take.state == TakeState.SUCCEEDED
    assert take.finished_at and take.progress == 100
    info = probe(take.video.path)
    assert (info.codec, info.fps, info.width, info.height) == ("h264", 24, 640, 360)
    assert abs(info.duration_seconds - 2) < 0.1
    assert take.poster and take.thumbnail
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.REVIEW


def test_the_take_freezes_what_was_asked(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    shot.subject = "Someone else entirely"
    shot.save()
    take.refresh_from_db()
    assert "Someone else" not in take.prompt
    assert take.spec["camera"] == {
        "pan": 4,
        "tilt": 0,
        "roll": 0,
        "zoom": 0,
        "truck": 0,
        "dolly": 3,
    }
    assert take.requested_by == editor


def test_submitting_twice_sends_once(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    take_submit(take.pk)  # a redelivered message
    assert len(render_queue) == 1
    assert Take.objects.get(pk=take.pk).submit_attempts == 1


def test_a_shot_with_preflight_problems_is_refused(editor, scene, render_queue):
    shot = ShotFactory(scene=scene, duration_seconds=30)
    with pytest.raises(ValidationError) as error:
        take_request(shot=shot, user=editor)
    assert "duration_seconds" in error.value.message_dict
    assert not Take.objects.exists()


def test_a_model_without_a_provider_is_refused_with_the_reason(editor, scene, render_queue):
    shot = ShotFactory(scene=scene, target_model="kling-2.6-std", duration_seconds=5)
    with pytest.raises(ValidationError) as error:
        take_request(shot=shot, user=editor)
    assert error.value.messages == [
        "Kling 2.6 Standard is not connected in this studio yet: an admin needs to set up its "
        "provider."
    ]


def test_a_claim_that_never_came_back_needs_a_check_and_is_not_resent(
    editor, shot, render_queue, settings
):
    take = take_request(shot=shot, user=editor)
    # The worker claimed it and died before the provider answered.
    Take.objects.filter(pk=take.pk).update(
        state=TakeState.SUBMITTING, submitting_at=timezone.now() - timedelta(minutes=10)
    )
    counts = sweep()
    take.refresh_from_db()
    assert counts["needs_check"] == 1
    assert take.state == TakeState.NEEDS_CHECK
    assert "It was not sent again." in take.error_message
    take_submit(take.pk)
    assert render_queue == []
    assert Shot.objects.get(pk=shot.pk).status == ShotStatus.READY


def overdue(take, **fields):
    past = timezone.now() - timedelta(seconds=1)
    Take.objects.filter(pk=take.pk).update(next_poll_at=past, **fields)


def test_the_sweeper_sends_no_second_message_while_one_waits(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)  # its submit message is in the queue
    overdue(take)
    assert sweep()["queued"] == 0  # a long queue is not a lost message
    overdue(take, dispatched_at=None)  # as if picked up by a worker that then died
    assert sweep()["queued"] == 1
    assert sweep()["queued"] == 0  # sent once: stamped until a worker picks it up
    overdue(take)
    assert sweep()["queued"] == 0


def test_a_message_waiting_past_the_lost_time_is_sent_again(editor, shot, render_queue, settings):
    take = take_request(shot=shot, user=editor)
    lost = timezone.now() - timedelta(seconds=settings.TAKE_MESSAGE_LOST_SECONDS + 1)
    overdue(take, dispatched_at=lost)
    assert sweep()["queued"] == 1
    assert Take.objects.get(pk=take.pk).dispatched_at > lost


def test_a_worker_picking_a_message_up_starts_the_short_lease(editor, shot, render_queue, settings):
    take = take_request(shot=shot, user=editor)
    assert Take.objects.get(pk=take.pk).dispatched_at is not None
    overdue(take)
    work.picked_up(work.SUBMIT, take.pk)
    picked = Take.objects.get(pk=take.pk)
    assert picked.dispatched_at is None
    lease = timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    assert timezone.now() < picked.next_poll_at <= timezone.now() + lease
    assert sweep()["queued"] == 0  # running: the lease holds the sweeper off
    overdue(take)  # the worker died: the lease ran out
    assert sweep()["queued"] == 1


def test_a_stale_message_leaves_the_next_steps_stamp(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    stamp = Take.objects.get(pk=take.pk).dispatched_at
    work.picked_up(work.FOLLOW, take.pk)  # a follow for a take that is still queued
    assert Take.objects.get(pk=take.pk).dispatched_at == stamp


def test_cancel_before_sending_never_sends(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    take_cancel(take=take)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.CANCELED
    assert render_queue == []


def test_cancel_while_running_cancels_at_the_provider(editor, shot, render_queue, media_root):
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    take_cancel(take=Take.objects.get(pk=take.pk))
    take_follow(take.pk)  # asks previz to stop; only its own status ends the take
    take.refresh_from_db()
    assert (take.state, take.cancel_answer) == (
        TakeState.RUNNING,
        "Previz accepted the request to stop it.",
    )
    assert take.cancel_sent_at is not None
    run_renders(render_queue, media_root)  # the renderer sees the cancel flag
    take_follow(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.CANCELED
    assert take.error_message == "Canceled: Previz confirmed it stopped the job."
    assert not (media_root / "previz-jobs" / f"take-{take.pk}" / "out.mp4").exists()


def test_retry_makes_a_new_take_from_the_same_request(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    take_cancel(take=take)
    retry = take_retry(take=Take.objects.get(pk=take.pk), user=editor)
    assert (retry.number, retry.retry_of, retry.prompt) == (2, take, take.prompt)


def test_a_running_take_cannot_be_retried(editor, shot, render_queue):
    take = take_request(shot=shot, user=editor)
    with pytest.raises(ValidationError) as error:
        take_retry(take=take, user=editor)
    assert error.value.messages == ["Only a finished take that did not succeed can be retried."]


def test_circle_one_take_per_shot(editor, shot, render_queue, media_root):
    first = finished_take(editor, shot, render_queue, media_root)
    second = finished_take(editor, shot, render_queue, media_root)
    take_circle(take=first, user=None)
    take_circle(take=second, user=None)
    assert Shot.objects.get(pk=shot.pk).circled_take == second
    take_circle(take=second, user=None)
    assert Shot.objects.get(pk=shot.pk).circled_take is None


def test_a_corrupt_result_is_a_lost_result_with_a_message(editor, shot, render_queue, media_root):
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    run_renders(render_queue, media_root)
    (media_root / "previz-jobs" / f"take-{take.pk}" / "out.mp4").write_bytes(b"not a video")
    take_follow(take.pk)
    take_download(take.pk)
    take.refresh_from_db()
    # The provider made it (a paid one would have billed it): not a failed generation.
    assert (take.state, take.error_kind) == (TakeState.RESULT_LOST, "result_lost")
    # The reason in brackets is ffmpeg's own words ("Invalid data found when processing input").
    assert take.error_message.startswith("video.mp4 is not a readable video file ("), (
        take.error_message
    )
    assert not take.video
    assert take.can_retry and take.can_fetch_again


def test_scene_batch_generates_only_ready_shots(editor, scene, render_queue):
    ready = ShotFactory(scene=scene, label="1A", status=ShotStatus.READY, duration_seconds=2)
    ShotFactory(scene=scene, label="1B", status=ShotStatus.DRAFT)
    broken = ShotFactory(scene=scene, label="1C", status=ShotStatus.READY, duration_seconds=40)
    result = scene_generate(scene=scene, user=editor)
    assert [take.shot for take in result.started] == [ready]
    assert list(result.skipped) == [broken.label]


def finished_take(user, shot, queue, media_root) -> Take:
    take = take_request(shot=shot, user=user, allow_duplicate=True)
    take_submit(take.pk)
    run_renders(queue, media_root)
    take_follow(take.pk)
    take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    return take


def test_a_second_download_of_the_same_take_steps_aside(editor, shot, render_queue, media_root):
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    run_renders(render_queue, media_root)
    take_follow(take.pk)
    busy = timezone.now() + timedelta(minutes=5)  # another worker is fetching this take
    Take.objects.filter(pk=take.pk).update(download_claimed_until=busy)
    take_download(take.pk)
    take.refresh_from_db()
    assert (take.state, take.download_claimed_until) == (TakeState.DOWNLOADING, busy)
    # That worker died: its claim runs out, and the next copy fetches the take.
    Take.objects.filter(pk=take.pk).update(download_claimed_until=timezone.now())
    take_download(take.pk)
    take.refresh_from_db()
    assert (take.state, take.download_claimed_until) == (TakeState.SUCCEEDED, None)
    saved = {take.video.name, take.poster.name, take.thumbnail.name}
    folder = media_root / "takes" / str(take.project_id)
    assert {f"takes/{take.project_id}/{path.name}" for path in folder.iterdir()} == saved


def test_moving_to_download_leases_the_take_so_the_sweeper_waits(
    editor, shot, render_queue, media_root
):
    take = take_request(shot=shot, user=editor)
    take_submit(take.pk)
    run_renders(render_queue, media_root)
    take_follow(take.pk)
    assert sweep()["downloading"] == 0
