"""Which storage holds media, read from the environment by studio/settings.py.

Kept apart from studio/storage.py so settings never import boto3 when media stays on disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL = "local"
S3 = "s3"
# How long a signed link to a take or a frame works: long enough to watch and seek through a
# take, short enough that a forwarded link soon stops working.
DEFAULT_LINK_SECONDS = 3600


def media_storage(environ: Mapping[str, str]) -> str:
    """ "s3" when MEDIA_STORAGE says so or a bucket is named, else "local"."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    choice = environ.get("MEDIA_STORAGE", "").strip().lower() or (S3 if bucket else LOCAL)
    if choice not in (LOCAL, S3):
        raise ImproperlyConfigured(f"MEDIA_STORAGE is {LOCAL!r} or {S3!r}, not {choice!r}.")
    if choice == S3 and not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return choice


def s3_options(environ: Mapping[str, str]) -> dict:
    """OPTIONS for studio.storage.MediaStorage. No keys: boto3 reads those itself."""

    def optional(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    return {
        "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"].strip(),
        "endpoint_url": optional("AWS_S3_ENDPOINT_URL"),
        "public_endpoint_url": optional("AWS_S3_PUBLIC_ENDPOINT_URL"),
        "region_name": optional("AWS_S3_REGION_NAME"),
        "addressing_style": optional("AWS_S3_ADDRESSING_STYLE"),
        "querystring_expire": int(environ.get("MEDIA_LINK_SECONDS") or DEFAULT_LINK_SECONDS),
    }


def link_origins(options: Mapping) -> list[str]:
    """Where signed links point, for the Content-Security-Policy's img-src and media-src."""
    endpoint = options.get("public_endpoint_url") or options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    bucket, region = options["bucket_name"], options.get("region_name")
    if options.get("addressing_style") == "path":
        return [f"https://s3.{region}.amazonaws.com" if region else "https://s3.amazonaws.com"]
    hosts = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return hosts
