"""Media in S3-compatible object storage, against a real S3 server (moto's, tests/support/s3.py):
uploads through the studio's pages land in the bucket, members get them back through a
short-lived signed link the bucket answers (byte ranges included), strangers get nothing.
Plus how the environment chooses the storage (studio/storage_env.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from projects.models import Deliverable
from projects.services.review_links import review_link_create, review_link_revoke
from studio import storage_env
from studio.storage import MediaStorage
from tests.factories import circled_video_take
from tests.projects.test_permissions import shot_post
from tests.support import s3

# The S3 server and a bucket per test (tests/support/s3.py).
s3_server, s3_media = s3.s3_server, s3.s3_media
ROOT = Path(__file__).resolve().parent.parent


def follow(response, **headers) -> httpx.Response:
    """What the browser does with the studio's redirect: fetch the signed link."""
    assert response.status_code == 302, response.status_code
    return httpx.get(response["Location"], headers=headers, timeout=15)


def assert_signed_for(link: str, bucket) -> dict[str, list[str]]:
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == bucket.endpoint
    query = parse_qs(parts.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Signature"]
    assert query["X-Amz-Expires"] == [str(storage_env.DEFAULT_LINK_SECONDS)]
    assert "test-secret-key" not in link
    return query


@pytest.mark.django_db
def test_a_hero_frame_uploaded_on_the_shot_page_lands_in_the_bucket(
    client, owner, outsider, project, shot, png_upload, s3_media, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:shot", args=[project.pk, shot.pk]),
            shot_post(shot, hero_upload=png_upload()),
        )
    assert response.status_code == 302
    shot.refresh_from_db()
    assert shot.hero_frame.name in s3_media.names()
    assert shot.hero_thumbnail.name in s3_media.names()
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on this machine's disk

    url = reverse("projects:shot-image", args=[project.pk, shot.pk, "hero"])
    served = follow(client.get(url))
    assert served.status_code == 200
    assert served.content == s3_media.read(shot.hero_frame.name)
    assert served.headers["content-type"] == "image/jpeg"

    client.force_login(outsider)
    refused = client.get(url)
    assert refused.status_code == 404 and "Location" not in refused


@pytest.mark.django_db
def test_a_take_plays_from_the_bucket_with_byte_ranges(
    client, viewer, outsider, project, shot, s3_media
):
    take = circled_video_take(shot)
    video = s3_media.read(take.video.name)
    client.force_login(viewer)
    url = reverse("projects:take-media", args=[project.pk, take.pk, "video.mp4"])

    response = client.get(url)
    query = assert_signed_for(response["Location"], s3_media)
    assert query["response-content-type"] == ["video/mp4"]
    assert response["Cache-Control"] == "private, max-age=1800"
    ranged = follow(response, Range="bytes=4-7")
    assert ranged.status_code == 206
    assert ranged.content == video[4:8] == b"ftyp"
    assert ranged.headers["content-range"] == f"bytes 4-7/{len(video)}"
    assert ranged.headers["content-type"] == "video/mp4"

    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_guest_with_a_review_link_plays_the_take_and_the_link_is_not_kept(
    client, owner, project, shot, s3_media
):
    take = circled_video_take(shot)
    link = review_link_create(project=project, created_by=owner)
    url = reverse("review:take-media", args=[link.token, take.pk, "video.mp4"])

    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"  # a revoke is felt at once
    assert follow(response).content == s3_media.read(take.video.name)

    review_link_revoke(link=link, revoked_by=owner)
    assert client.get(url).status_code != 302


@pytest.mark.django_db
def test_a_deliverable_downloads_from_the_bucket_under_its_readable_name(
    client, viewer, project, s3_media
):
    made = Deliverable.objects.create(project=project, kind="animatic", state="ready")
    made.file.save("animatic.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    client.force_login(viewer)
    url = reverse("projects:deliverable-file", args=[project.pk, made.pk])

    saved = follow(client.get(url))
    assert saved.status_code == 200 and saved.content == b"\x00\x00\x00\x18ftypmp42"
    assert saved.headers["content-disposition"] == (f'attachment; filename="{made.download_name}"')
    played = follow(client.get(url, {"play": "1"}))
    assert "content-disposition" not in played.headers
    assert played.headers["content-type"] == "video/mp4"


@pytest.mark.django_db
def test_a_second_file_of_the_same_name_never_overwrites_the_first(s3_media):
    first = default_storage.save("frames/hero.png", ContentFile(b"first"))
    second = default_storage.save("frames/hero.png", ContentFile(b"second"))
    assert first != second
    assert (s3_media.read(first), s3_media.read(second)) == (b"first", b"second")


def test_links_for_browsers_are_signed_for_the_public_address(s3_server):
    storage = MediaStorage(
        bucket_name="films",
        endpoint_url=s3_server,
        public_endpoint_url="https://media.studio.example",
        region_name="us-east-1",
        access_key="test-access-key",
        secret_key="test-secret-key",
    )
    link = storage.signed_link("takes/1/take.mp4", content_type="video/mp4")
    assert link.startswith("https://media.studio.example/films/takes/1/take.mp4?")
    with pytest.raises(NotImplementedError):
        storage.path("takes/1/take.mp4")  # no local path: code must use the storage API


# --- choosing the storage from the environment ----------------------------------------------
def test_local_disk_stays_the_default():
    assert storage_env.media_storage({}) == "local"
    assert storage_env.media_storage({"MEDIA_STORAGE": "local"}) == "local"


def test_a_named_bucket_means_object_storage():
    assert storage_env.media_storage({"AWS_STORAGE_BUCKET_NAME": "films"}) == "s3"


@pytest.mark.parametrize(
    "environ",
    [{"MEDIA_STORAGE": "s3"}, {"MEDIA_STORAGE": "ftp", "AWS_STORAGE_BUCKET_NAME": "films"}],
)
def test_a_storage_that_cannot_work_stops_the_start(environ):
    with pytest.raises(ImproperlyConfigured):
        storage_env.media_storage(environ)


def test_keys_stay_in_the_environment_never_in_settings():
    environ = {
        "AWS_STORAGE_BUCKET_NAME": "films",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG",
    }
    options = storage_env.s3_options(environ)
    assert options["bucket_name"] == "films"
    assert not {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"} & {str(v) for v in options.values()}


@pytest.mark.parametrize(
    ("environ", "origins"),
    [
        (
            {"AWS_S3_ENDPOINT_URL": "http://minio:9000/"},
            ["http://minio:9000"],
        ),
        (
            {
                "AWS_S3_ENDPOINT_URL": "http://minio:9000",
                "AWS_S3_PUBLIC_ENDPOINT_URL": "https://media.example",
            },
            ["https://media.example"],
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-west-1"},
            ["https://films.s3.amazonaws.com", "https://films.s3.eu-west-1.amazonaws.com"],
        ),
    ],
)
def test_the_page_policy_lets_browsers_load_signed_links(environ, origins):
    options = storage_env.s3_options({"AWS_STORAGE_BUCKET_NAME": "films", **environ})
    assert storage_env.link_origins(options) == origins


def test_settings_read_from_the_environment_put_media_in_the_bucket():
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "DEBUG": "1",
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "films",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9/",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG",
    }
    show = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.STORAGES['default'], s.CONTENT_SECURITY_POLICY['DIRECTIVES']"
        "['media-src']]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", show], env=environ, cwd=ROOT, capture_output=True, check=True
    ).stdout
    default, media_src = json.loads(output)
    assert default["BACKEND"] == "studio.storage.MediaStorage"
    assert default["OPTIONS"]["bucket_name"] == "films"
    assert "http://127.0.0.1:9" in media_src
    assert b"wJalrXUtnFEMI" not in output
