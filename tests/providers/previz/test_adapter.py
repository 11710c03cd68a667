import json
import os
import time
from pathlib import Path

import pytest

from providers.core.base import (
    GenerationRequest,
    InputImage,
    ProviderError,
    Rejected,
    State,
    Transient,
)
from providers.core.media import probe
from providers.core.spec import CameraMove
from providers.previz import jobs
from providers.previz.adapter import PrevizProvider
from providers.previz.tasks import render_job
from tests.providers.conftest import account, make_spec


@pytest.fixture
def queued():
    return []


@pytest.fixture
def provider(tmp_path, queued):
    return PrevizProvider(account(jobs_dir=str(tmp_path / "jobs")), enqueue=queued.append)


def request_for(take_id=5, hero=None, **params):
    base = {
        "duration_seconds": 1,
        "aspect_ratio": "16:9",
        "resolution": "preview",
        "camera": CameraMove(pan=5).as_dict(),
    }
    base.update(params)
    images = (InputImage(path=hero, sha256="0"),) if hero else ()
    return GenerationRequest(
        take_id=take_id, model="previz", prompt="", params=base, spec=make_spec(), images=images
    )


def set_status(provider, job_id, status, **fields):
    return jobs.write_status(os.path.join(provider.jobs_dir, job_id), status, **fields)


def test_is_always_available(provider):
    assert provider.availability() == (True, "")


def test_submit_writes_the_job_and_enqueues_it(provider, queued, hero):
    submitted = provider.submit(request_for(hero=hero))

    assert (submitted.remote_id, submitted.raw_status, submitted.cost) == ("take-5", "queued", 0)
    assert queued == ["take-5"]
    directory = os.path.join(provider.jobs_dir, "take-5")
    job = json.loads(Path(directory, "job.json").read_text())
    assert job["hero_path"] == "hero.png"  # a copy: the job never reads our media files
    assert os.path.isfile(os.path.join(directory, "hero.png"))
    assert jobs.read_status(directory)["status"] == "queued"


def test_submit_twice_returns_the_same_job_and_enqueues_once(provider, queued):
    first = provider.submit(request_for())
    set_status(provider, "take-5", "rendering", percent=40)
    second = provider.submit(request_for())

    assert first.remote_id == second.remote_id == "take-5"
    assert second.raw_status == "rendering"
    assert queued == ["take-5"]


def test_submit_rejects_what_previz_cannot_render(provider, queued):
    with pytest.raises(Rejected, match="aspect ratio '5:4'"):
        provider.submit(request_for(aspect_ratio="5:4"))
    assert queued == []
    assert not os.path.exists(os.path.join(provider.jobs_dir, "take-5"))


def test_submit_rejects_a_missing_hero_frame(provider, tmp_path):
    with pytest.raises(Rejected, match="hero is missing"):
        provider.submit(request_for(hero=str(tmp_path / "gone.png")))


@pytest.mark.parametrize(
    ("status", "fields", "state"),
    [
        ("queued", {}, State.QUEUED),
        ("rendering", {"percent": 35}, State.RUNNING),
        ("failed", {"error": "The hero frame could not be read"}, State.FAILED),
        ("canceled", {}, State.CANCELED),
    ],
)
def test_poll_maps_each_status(provider, status, fields, state):
    provider.submit(request_for())
    set_status(provider, "take-5", status, **fields)

    progress = provider.poll("take-5")

    assert (progress.state, progress.raw_status) == (state, status)
    assert progress.percent == fields.get("percent", 0)
    assert progress.error == fields.get("error", "")
    assert progress.raw["status"] == status


def test_poll_asks_again_soon_while_running(provider):
    provider.submit(request_for())
    assert provider.poll("take-5").poll_after == 1.0


def test_poll_a_succeeded_job_gives_a_file_url(provider):
    provider.submit(request_for())
    out = os.path.join(provider.jobs_dir, "take-5", "out.mp4")
    Path(out).write_bytes(b"x")
    set_status(provider, "take-5", "succeeded", percent=100)

    progress = provider.poll("take-5")

    assert progress.state == State.SUCCEEDED
    assert progress.result_url == "file://" + os.path.abspath(out)


def test_poll_an_unknown_status_is_an_error(provider):
    provider.submit(request_for())
    set_status(provider, "take-5", "thinking")
    with pytest.raises(ProviderError, match="unknown status 'thinking'") as caught:
        provider.poll("take-5")
    assert caught.value.raw["status"] == "thinking"


def test_poll_an_unknown_job_is_an_error(provider):
    with pytest.raises(ProviderError, match="Previz job take-99 not found"):
        provider.poll("take-99")


def test_poll_refuses_ids_that_leave_the_jobs_dir(provider):
    with pytest.raises(ProviderError, match="Not a previz job id"):
        provider.poll("../etc")


@pytest.mark.parametrize("status", ["queued", "rendering"])
def test_a_stale_job_is_enqueued_again_once(provider, queued, status):
    provider.submit(request_for())
    directory = os.path.join(provider.jobs_dir, "take-5")
    data = jobs.read_status(directory)
    data.update(status=status, updated_at=time.time() - 500)
    jobs.write_json(os.path.join(directory, "status.json"), data)

    progress = provider.poll("take-5")
    again = provider.poll("take-5")

    assert queued == ["take-5", "take-5"]
    assert progress.raw["requeued"] is True and progress.raw["requeues"] == 1
    assert progress.state in (State.QUEUED, State.RUNNING)
    assert "requeued" not in again.raw


def test_cancel_a_queued_job_cancels_it_now(provider):
    provider.submit(request_for())
    provider.cancel("take-5")
    assert provider.poll("take-5").state == State.CANCELED


def test_cancel_then_render_task_ends_canceled(provider):
    provider.submit(request_for())
    set_status(provider, "take-5", "rendering")  # as if the worker had started
    provider.cancel("take-5")
    render_job("take-5", provider.jobs_dir)
    assert provider.poll("take-5").state == State.CANCELED
    assert not os.path.exists(os.path.join(provider.jobs_dir, "take-5", "out.mp4"))


def test_render_task_end_to_end(provider, hero, tmp_path):
    provider.submit(request_for(hero=hero))
    assert provider.poll("take-5").state == State.QUEUED

    render_job("take-5", provider.jobs_dir)

    progress = provider.poll("take-5")
    assert progress.state == State.SUCCEEDED and progress.percent == 100
    assert (progress.raw["width"], progress.raw["height"]) == (640, 360)
    destination = str(tmp_path / "take.mp4")
    size = provider.download(progress.result_url, destination, max_bytes=50_000_000)
    assert size == os.path.getsize(destination) > 0
    info = probe(destination)
    assert (info.codec, info.width, info.height, info.frames) == ("h264", 640, 360, 24)
    leftovers = sorted(os.listdir(os.path.join(provider.jobs_dir, "take-5")))
    assert leftovers == ["hero.png", "job.json", "out.mp4", "render.lock", "status.json"]


def test_render_task_twice_renders_once(provider):
    provider.submit(request_for())
    render_job("take-5", provider.jobs_dir)
    out = os.path.join(provider.jobs_dir, "take-5", "out.mp4")
    before = os.stat(out).st_mtime_ns

    render_job("take-5", provider.jobs_dir)

    assert os.stat(out).st_mtime_ns == before


def test_render_task_restarts_a_half_done_attempt(provider):
    provider.submit(request_for())
    directory = os.path.join(provider.jobs_dir, "take-5")
    set_status(provider, "take-5", "rendering", percent=60)
    Path(directory, "out-dead.mp4.part").write_bytes(b"half")

    render_job("take-5", provider.jobs_dir)

    assert provider.poll("take-5").state == State.SUCCEEDED


def test_render_task_records_a_failure(provider, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    provider.submit(request_for(hero=str(broken)))

    render_job("take-5", provider.jobs_dir)

    progress = provider.poll("take-5")
    assert progress.state == State.FAILED
    assert progress.error.startswith("The hero frame could not be read as an image")


def test_download_refuses_paths_outside_the_jobs_dir(provider, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    with pytest.raises(ProviderError, match="outside the previz jobs"):
        provider.download(f"file://{secret}", str(tmp_path / "d"), max_bytes=100)
    sneaky = f"file://{provider.jobs_dir}/../secret.txt"
    with pytest.raises(ProviderError, match="outside the previz jobs"):
        provider.download(sneaky, str(tmp_path / "d"), max_bytes=100)


def test_download_refuses_a_symlink_out_of_the_jobs_dir(provider, tmp_path):
    provider.submit(request_for())
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    link = os.path.join(provider.jobs_dir, "take-5", "out.mp4")
    os.symlink(secret, link)
    with pytest.raises(ProviderError, match="outside the previz jobs"):
        provider.download(f"file://{link}", str(tmp_path / "d"), max_bytes=100)


@pytest.mark.parametrize("url", ["https://example.org/out.mp4", "ftp://x/y", "/plain/path"])
def test_download_refuses_other_urls(provider, tmp_path, url):
    with pytest.raises(ProviderError, match="only serves file://"):
        provider.download(url, str(tmp_path / "d"), max_bytes=100)


def test_download_stops_at_max_bytes(provider, tmp_path):
    provider.submit(request_for())
    out = os.path.join(provider.jobs_dir, "take-5", "out.mp4")
    Path(out).write_bytes(b"x" * 5000)
    destination = tmp_path / "d"
    with pytest.raises(ProviderError, match="larger than the 4999-byte limit"):
        provider.download(f"file://{out}", str(destination), max_bytes=4999)
    assert not destination.exists()
    assert provider.download(f"file://{out}", str(destination), max_bytes=5000) == 5000


def test_enqueue_failure_is_transient_and_submit_can_be_retried(tmp_path):
    def broken(job_id):
        raise ConnectionError("broker down")

    provider = PrevizProvider(account(jobs_dir=str(tmp_path / "jobs")), enqueue=broken)
    with pytest.raises(Transient, match="broker down"):
        provider.submit(request_for())
    assert provider.submit(request_for()).remote_id == "take-5"
