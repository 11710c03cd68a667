"""A media storage like an object store's: files live in memory and have no path on this
machine, so anything that still opens media by path fails under it."""

from __future__ import annotations

import os

from django.core.files.storage import InMemoryStorage
from django.utils._os import safe_join


class ObjectStorage(InMemoryStorage):
    # Django's InMemoryStorage answers path() with a made-up path under MEDIA_ROOT (and uses it
    # to normalise names); an object store's backend raises, as Storage.path() does by default.
    def path(self, name: str) -> str:
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name: str) -> str:
        return os.path.relpath(safe_join(self.location, name), self.location)


OBJECT_STORAGE = {"BACKEND": "tests.support.object_storage.ObjectStorage"}
