"""Media through Django's storage API only: with a storage that has no local paths (as an object
store), a take goes from a hero frame upload to a playable video to a deleted project; one fetch
per take at a time is a database lease, which a dead worker's copy gives up when it runs out."""

from __future__ import annotations

import re
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from projects.models import Project, Take, TakeState
from projects.pipeline import download
from projects.pipeline.download import take_download
from projects.pipeline.follow import take_follow
from projects.pipeline.submit import take_submit
from projects.services.takes import take_request
from providers.core.base import State
from providers.core.media import probe
from providers.previz.tasks import render_job
from tests.factories import ShotFactory
from tests.projects.test_permissions import shot_post
from tests.support import fakes
from tests.support.object_storage import OBJECT_STORAGE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def object_storage(settings, tmp_path, media_root):
    """Media in memory, with no path on this machine; MEDIA_ROOT points where nothing may go."""
    settings.STORAGES = {**settings.STORAGES, "default": OBJECT_STORAGE}
    settings.MEDIA_ROOT = tmp_path / "nothing-is-written-here"
    settings.PREVIZ_JOBS_DIR = tmp_path / "previz-jobs"
    yield
    assert not settings.MEDIA_ROOT.exists()


def stored(folder: str = "") -> list[str]:
    """Every name in the default storage under `folder`."""
    directories, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for directory in directories:
        names += stored(f"{folder}/{directory}".lstrip("/"))
    return sorted(names)


# --- a previz take, from the upload to the deleted project ----------------------------------
def test_a_take_lives_in_storage_from_upload_to_deletion(
    client,
    owner,
    project,
    scene,
    png_upload,
    render_queue,
    settings,
    django_capture_on_commit_callbacks,
):
    shot = ShotFactory(scene=scene, label="1A", duration_seconds=1, resolution="preview")
    client.force_login(owner)
    shot_url = reverse("projects:shot", args=[project.pk, shot.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(shot_url, shot_post(shot, hero_upload=png_upload()))
    assert response.status_code == 302
    shot.refresh_from_db()
    assert default_storage.exists(shot.hero_frame.name)

    take = take_request(shot=shot, user=owner)
    take_submit(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.RUNNING, take.error_message
    # The adapter was given a copy of the stored hero frame, and the copy is gone again.
    job = Path(settings.PREVIZ_JOBS_DIR) / f"take-{take.pk}"
    [sent] = job.glob("hero.*")
    assert sent.read_bytes() == default_storage.open(shot.hero_frame.name).read()
    assert not list(Path(tempfile.gettempdir()).glob(f"take-{take.pk}-*"))

    while render_queue:
        render_job(render_queue.pop(0), str(settings.PREVIZ_JOBS_DIR))
    take_follow(take.pk)
    take_download(take.pk)
    take.refresh_from_db()

    assert take.state == TakeState.SUCCEEDED, take.error_message
    assert take.download_claimed_until is None
    names = [take.video.name, take.poster.name, take.thumbnail.name]
    assert all(
        re.fullmatch(rf"takes/{project.pk}/take-{take.pk}-[0-9a-f]{{8}}.+", n) for n in names
    )
    assert stored(f"takes/{project.pk}") == sorted(names)
    video = default_storage.open(take.video.name).read()
    assert len(video) == take.file_size
    copy = Path(tempfile.mkdtemp()) / "copy.mp4"
    copy.write_bytes(video)
    assert (probe(str(copy)).codec, take.width, take.height) == ("h264", 640, 360)

    media = reverse("projects:take-media", args=[project.pk, take.pk, "video.mp4"])
    response = client.get(media, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == video[:100]

    # A worker that died between saving and recording, and an older version's lock file.
    default_storage.save(f"takes/{project.pk}/take-{take.pk}-deadbeef.mp4", ContentFile(b"x"))
    default_storage.save(f"takes/{project.pk}/take-{take.pk}.lock", ContentFile(b""))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:delete", args=[project.pk]), follow=True)
    assert not Project.objects.filter(pk=project.pk).exists()
    assert stored() == []
    assert not job.exists()


# --- one fetch at a time: a lease in the database -------------------------------------------
class SlowDownloads(fakes.FakeProvider):
    """Downloads that wait for the test to let them finish."""

    slug = "fake-slow"

    started = threading.Event()
    finish = threading.Event()

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        size = super().download(url, destination, max_bytes=max_bytes)
        type(self).started.set()
        assert type(self).finish.wait(30), "the test never let the download finish"
        return size


@pytest.fixture
def script(settings):
    script = fakes.install(settings)
    script.state = State.SUCCEEDED
    settings.VIDEO_PROVIDERS = {
        **settings.VIDEO_PROVIDERS,
        "fake-slow": {"BACKEND": "tests.projects.test_media_storage.SlowDownloads"},
    }
    SlowDownloads.started, SlowDownloads.finish = threading.Event(), threading.Event()
    return script


def saving(shot, provider="fake-always") -> Take:
    """A take the provider finished: the studio is fetching its video."""
    return fakes.sent_take(
        shot,
        provider,
        state=TakeState.DOWNLOADING,
        downloading_at=timezone.now(),
        result_url="https://cdn.example/video.mp4",
    )


def in_a_thread(function, *args) -> threading.Thread:
    """Another worker: its own thread, with its own database connection."""

    def run():
        try:
            function(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_downloads_of_one_take_at_once_fetch_it_once(shot, script):
    take = saving(shot, "fake-slow")
    first = in_a_thread(take_download, take.pk)
    assert SlowDownloads.started.wait(30)

    take_download(take.pk)  # a redelivery or a sweep, while the first copy is fetching
    assert script.count("download") == 1
    assert Take.objects.get(pk=take.pk).state == TakeState.DOWNLOADING

    SlowDownloads.finish.set()
    first.join(30)
    take.refresh_from_db()
    assert (take.state, take.download_claimed_until) == (TakeState.SUCCEEDED, None)
    assert script.count("download") == 1
    assert stored(f"takes/{take.project_id}") == sorted(
        [take.video.name, take.poster.name, take.thumbnail.name]
    )


def test_a_dead_workers_claim_runs_out_and_is_taken_over(shot, script):
    take = saving(shot)
    assert download._claim(take.pk) is not None  # a worker claims it, then dies mid-fetch

    take_download(take.pk)
    assert script.count("download") == 0  # the claim still holds: the sweep steps aside

    Take.objects.filter(pk=take.pk).update(
        download_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    take_download(take.pk)
    take.refresh_from_db()
    assert script.count("download") == 1
    assert (take.state, take.download_claimed_until) == (TakeState.SUCCEEDED, None)
    assert default_storage.exists(take.video.name)


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_overran_its_claim_and_lost_leaves_no_file(shot, script):
    take = saving(shot, "fake-slow")
    slow = in_a_thread(take_download, take.pk)
    assert SlowDownloads.started.wait(30)
    # The slow copy's claim runs out; the next sweep's copy takes over and saves the video.
    Take.objects.filter(pk=take.pk).update(
        download_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    SlowDownloads.finish.set()  # (the second copy's own download must not wait)
    take_download(take.pk)
    slow.join(30)

    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    assert script.count("download") == 2
    assert stored(f"takes/{take.project_id}") == sorted(
        [take.video.name, take.poster.name, take.thumbnail.name]
    )


def test_a_result_lost_then_fetched_again_is_claimable_at_once(shot, script):
    from projects.services.takes import take_fetch_again
    from providers.core.base import ProviderError

    script.download_error = ProviderError("The result is no longer at the provider (HTTP 403).")
    take = saving(shot)
    take_download(take.pk)
    take.refresh_from_db()
    assert (take.state, take.download_claimed_until) == (TakeState.RESULT_LOST, None)
    assert stored() == []

    script.download_error = None
    take_download(take_fetch_again(take=take).pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED
    assert stored(f"takes/{take.project_id}") == sorted(
        [take.video.name, take.poster.name, take.thumbnail.name]
    )


def test_a_fetch_that_replaces_saved_files_deletes_them_after_commit(
    shot, script, django_capture_on_commit_callbacks
):
    old = [
        default_storage.save(f"takes/{shot.project_id}/old-{kind}", ContentFile(b"old"))
        for kind in ("video.mp4", "poster.jpg", "thumb.jpg")
    ]
    take = saving(shot)
    Take.objects.filter(pk=take.pk).update(video=old[0], poster=old[1], thumbnail=old[2])

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        take_download(take.pk)
    take.refresh_from_db()
    assert take.state == TakeState.SUCCEEDED and take.video.name not in old
    assert all(default_storage.exists(name) for name in old)  # not before the commit
    for callback in after_commit:
        callback()
    assert stored(f"takes/{shot.project_id}") == sorted(
        [take.video.name, take.poster.name, take.thumbnail.name]
    )


# --- a backstop: the pipeline names no local media paths ----------------------------------
def test_the_pipeline_opens_media_only_through_storage():
    forbidden = re.compile(
        r"MEDIA_ROOT|fcntl|flock|storage\.path\(|\.(video|poster|thumbnail|hero_frame)\.path\b"
    )
    sources = [*(ROOT / "projects" / "pipeline").glob("*.py")]
    sources.append(ROOT / "projects" / "selectors" / "stored_files.py")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line)
    ]
    assert found == []
