"""kombu's filesystem broker (the embedded default, no server), with messages that appear whole.

kombu 5.7's filesystem transport creates each message file under its final name and only then
writes into it (under an advisory lock its reader never takes). A worker that lists the folder
in between moves the empty file away, fails to decode it, and its consumer stops: the worker
shuts down, and the message is gone. Seen in CI as a worker that stopped mid-test with
`JSONDecodeError: Expecting value: line 1 column 1` in kombu/transport/filesystem.py `_get`.

Here a message is written under a name no reader picks (`.part` after `.msg`: the reader
matches the part after the first dot exactly), then renamed into place, which is atomic within
a folder. A file that still cannot be decoded is logged and skipped rather than fatal.
"""

from __future__ import annotations

import logging
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

log = logging.getLogger(__name__)


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + ".part"
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error

    def _get(self, queue):
        while True:  # each round takes one file off the queue, so this ends (Empty at the last)
            try:
                return super()._get(queue)
            except ValueError as error:  # JSONDecodeError: not a message we wrote whole
                log.error("dropped an unreadable message on queue %s: %s", queue, error)


class Transport(filesystem.Transport):
    Channel = Channel
