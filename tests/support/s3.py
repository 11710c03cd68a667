"""A real S3-compatible server for the tests: moto's server mode, in a thread of this pytest
process on loopback (one per pytest-xdist worker), so `make test` and CI need nothing else
running. Each test gets a bucket of its own; this process and the workers a test starts are
pointed at it the way a deployment is, through the environment (studio/storage_env.py).

Import the fixtures into a test module: `s3_server, s3_media = s3.s3_server, s3.s3_media`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3
import pytest
from moto.server import ThreadedMotoServer

from studio.storage_env import s3_options

REGION = "us-east-1"


@dataclass
class Bucket:
    name: str
    endpoint: str
    # What a worker process needs in its environment to keep media in this bucket.
    env: dict[str, str]
    client: object = field(repr=False)

    def names(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.name, Prefix=prefix
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The server's endpoint URL, on a free port of 127.0.0.1."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch) -> Bucket:
    """Media for this test in a fresh bucket, here and in any worker started with `.env`."""
    name = f"studio-test-{uuid.uuid4().hex[:12]}"
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": REGION,
        # moto accepts any key; these only have to be there, as real ones would be.
        "AWS_ACCESS_KEY_ID": "test-access-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret-key",
        # Nothing under test leaves the machine: no instance-metadata lookups, no ~/.aws files.
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "NO_PROXY": ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"])),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name=REGION)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "studio.storage.MediaStorage", "OPTIONS": s3_options(env)},
    }
    return Bucket(name=name, endpoint=s3_server, env=env, client=client)
