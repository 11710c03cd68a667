"""Media in S3-compatible object storage, for a studio on more than one machine.

django-storages' S3 backend with the studio's rules on top. Settings choose it
(studio/storage_env.py); local disk stays the default. boto3 finds the keys itself, in the
environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or an instance role, so no setting,
options dict or log line ever holds them.
"""

from __future__ import annotations

from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaStorage(S3Storage):
    """Private media in a bucket, played and downloaded through short-lived signed links.

    Class attributes are the studio's policy; OPTIONS in STORAGES (from the environment) say
    where the bucket is."""

    # As on disk: a second "hero.png" gets a new name. Overwriting would let the old file's
    # delete-after-commit (services/shot_media.py) remove the new one.
    file_overwrite = False
    default_acl = None  # the bucket's own, private: nothing in it is public
    signature_version = "s3v4"  # what every S3-compatible server accepts
    # A file read through the storage API (a worker copying a take out) spills to disk past
    # this, instead of holding a whole video in memory.
    max_memory_size = 8 * 1024 * 1024

    def get_default_settings(self) -> dict:
        return {
            **super().get_default_settings(),
            # Where browsers reach the bucket when it differs from where the servers do (a
            # bucket on a private network behind a public name); signed links name this host.
            "public_endpoint_url": None,
        }

    def signed_link(self, name: str, *, content_type: str, download_name: str | None = None) -> str:
        """A link to `name` that works for `querystring_expire` seconds, no longer, and makes
        the bucket answer with our content type (and file name, for a download)."""
        parameters = {
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
            "ResponseContentType": content_type,
            "ResponseCacheControl": f"private, max-age={self.link_cache_seconds}",
        }
        if download_name:
            parameters["ResponseContentDisposition"] = content_disposition_header(
                as_attachment=True, filename=download_name
            )
        return self._link_client().generate_presigned_url(
            "get_object", Params=parameters, ExpiresIn=self.querystring_expire
        )

    @property
    def link_cache_seconds(self) -> int:
        # Half the link's life: a browser reusing a cached redirect still gets a link with at
        # least half its life left, enough to seek through a take.
        return max(self.querystring_expire // 2, 0)

    def _link_client(self):
        if not self.public_endpoint_url or self.public_endpoint_url == self.endpoint_url:
            return self.connection.meta.client
        client = getattr(self._connections, "link_client", None)
        if client is None:
            # Signing names the host, so a link for browsers is signed for their address.
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                use_ssl=self.use_ssl,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
                verify=self.verify,
            )
            self._connections.link_client = client
        return client
