"""A studio on two machines, end to end: the web side (this test process) and a Celery worker
that shares nothing with it but the database, the broker and a bucket on a real S3-compatible
server (moto's, tests/support/s3.py). The worker has its own empty MEDIA_ROOT, different from
the web side's: a take is made at the provider simulator, saved into the bucket, played back
through a signed link, and exported as an animatic and an editor package, and neither media
folder ever holds a file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx
import pytest
from django.urls import reverse

from projects.models import Deliverable, DeliverableState, TakeState
from projects.services.takes import take_circle
from providers.core.media import probe
from tests.support import s3
from tests.support.pipeline import simulator_env
from tests.support.workers import celery_worker, wait_for
from tests.test_providers_end_to_end import final_state, generate, make_shot

# The S3 server and a bucket per test (tests/support/s3.py).
s3_server, s3_media = s3.s3_server, s3.s3_media

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def fetched(client, url: str, **params) -> bytes:
    """The file as a browser gets it: the studio checks, then redirects to the bucket."""
    response = client.get(url, params)
    assert response.status_code == 302, response.status_code
    answer = httpx.get(response["Location"], timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    return answer.content


def export(client, shot, kind: str) -> Deliverable:
    url = reverse("projects:exports", args=[shot.project_id])
    response = client.post(url, {"kind": kind, "scene": shot.scene_id, "resolution": "720p"})
    assert response.status_code == 302
    made = Deliverable.objects.filter(kind=kind).get()
    wait_for(lambda: Deliverable.objects.get(pk=made.pk).finished, timeout=300, interval=0.5)
    made.refresh_from_db()
    assert made.state == DeliverableState.READY, made.error
    return made


@pytest.mark.timeout(500)
def test_a_worker_with_its_own_empty_media_folder_makes_plays_and_exports_a_take(
    client, simulator, s3_media, settings, tmp_path
):
    worker_media = tmp_path / "worker-media"
    worker_media.mkdir()
    assert Path(settings.MEDIA_ROOT) != worker_media
    env = {
        **simulator_env(simulator),
        **s3_media.env,
        "MEDIA_ROOT": str(worker_media),
        "PREVIZ_JOBS_DIR": str(tmp_path / "worker-previz-jobs"),
    }
    user, shot = make_shot("kling-2.6-std")  # its hero frame is saved here, into the bucket
    assert shot.hero_frame.name in s3_media.names()

    with celery_worker(pipeline=True, tmp_path=tmp_path, log_path=tmp_path / "worker.log", env=env):
        # The worker copies the hero frame out of the bucket to send it, follows the job at the
        # simulator and saves the video into the bucket.
        take = final_state(generate(client, user, shot), timeout=120)
        assert take.state == TakeState.SUCCEEDED, (take.error_kind, take.error_message)
        assert {take.video.name, take.poster.name, take.thumbnail.name} <= set(s3_media.names())

        # It plays: the studio's media view hands the browser a link the bucket answers.
        video = fetched(
            client, reverse("projects:take-media", args=[shot.project_id, take.pk, "video.mp4"])
        )
        assert video == s3_media.read(take.video.name) and len(video) == take.file_size
        copy = tmp_path / "played.mp4"
        copy.write_bytes(video)
        assert probe(str(copy)).codec == "h264"

        # It exports: the worker copies the take out of the bucket, renders and packs, and
        # saves the results back into it.
        take_circle(take=take, user=user)
        animatic = export(client, shot, "animatic")
        package = export(client, shot, "package")

    assert {animatic.file.name, package.file.name} <= set(s3_media.names())
    mp4 = tmp_path / "animatic.mp4"
    mp4.write_bytes(
        fetched(client, reverse("projects:deliverable-file", args=[shot.project_id, animatic.pk]))
    )
    rendered = probe(str(mp4))
    assert (rendered.codec, rendered.width, rendered.height) == ("h264", 1280, 720)
    assert abs(rendered.duration_seconds - shot.duration_seconds) <= 0.1
    assert [(row["label"], row["source"]) for row in animatic.manifest] == [(shot.label, "take")]

    zipped = fetched(
        client, reverse("projects:deliverable-file", args=[shot.project_id, package.pk])
    )
    names = zipfile.ZipFile(io.BytesIO(zipped)).namelist()
    assert {"timeline.otio", "timeline.edl", "timeline.xml", "README.txt"} <= set(names)
    assert any(name.startswith("media/") and name.endswith(".mp4") for name in names)

    # Neither machine's media folder was ever used: everything went through the bucket.
    assert files_under(worker_media) == []
    assert files_under(Path(settings.MEDIA_ROOT)) == []
