"""The embedded broker (studio/broker.py): a message is visible only once it is whole, so a
worker reading the folder while a message is being written never takes a half-written one."""

import os
import threading
import time
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport import filesystem

from studio import broker


@pytest.fixture
def folders(tmp_path):
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()
    return {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }


def connect(folders) -> Connection:
    return Connection("filesystem://", transport=broker.Transport, transport_options=folders)


def test_the_studio_uses_it_when_there_is_no_redis(settings):
    if settings.CELERY_BROKER_URL != "filesystem://":
        pytest.skip("on Redis: the embedded broker is not in use")
    from studio.celery import app

    with app.connection_for_write() as connection:
        assert isinstance(connection.default_channel, broker.Channel)


def test_a_message_being_written_is_not_on_the_queue_yet(folders, monkeypatch):
    with connect(folders) as connection:
        channel = connection.default_channel
        seen_while_writing = []
        rename = os.replace

        def replace(source, target):
            # The bytes are written; the reader looks once more before the name appears.
            seen_while_writing.append(sorted(os.listdir(folders["data_folder_in"])))
            with pytest.raises(Empty):
                channel._get("renders")
            rename(source, target)

        monkeypatch.setattr(broker.os, "replace", replace)
        channel._put("renders", {"body": "take 7"})
        [[partial]] = seen_while_writing
        assert partial.endswith(".renders.msg.part")
        assert channel._get("renders") == {"body": "take 7"}


def test_kombus_own_transport_hands_out_a_message_that_is_not_written_yet(folders):
    # What went wrong: the stock channel creates the file first, and a reader takes it empty.
    with Connection("filesystem://", transport_options=folders) as connection:
        channel = connection.default_channel
        assert type(channel) is filesystem.Channel
        name = os.path.join(folders["data_folder_out"], "1_x.renders.msg")
        open(name, "wb").close()  # the moment between kombu's open() and its write()
        with pytest.raises(ValueError):
            channel._get("renders")


def test_an_unreadable_file_is_skipped_not_fatal(folders, caplog):
    with connect(folders) as connection:
        channel = connection.default_channel
        # Named to sort before any message _put writes ("<monotonic ms>_<uuid>"), so the
        # reader meets it first whatever the machine's uptime.
        open(os.path.join(folders["data_folder_out"], "0_x.renders.msg"), "wb").close()
        channel._put("renders", {"body": "next"})
        assert channel._get("renders") == {"body": "next"}
        assert "dropped an unreadable message on queue renders" in caplog.text


def test_many_messages_written_while_a_reader_takes_them_all_arrive_whole(folders):
    bodies = [{"n": n, "pad": "x" * 200_000} for n in range(200)]
    received = []
    with connect(folders) as writer_connection, connect(folders) as reader_connection:
        writer = writer_connection.default_channel
        reader = reader_connection.default_channel

        def write():
            for body in bodies:
                writer._put("renders", body)

        thread = threading.Thread(target=write)
        thread.start()
        deadline = time.monotonic() + 120
        while len(received) < len(bodies):
            assert time.monotonic() < deadline, f"{len(received)} of {len(bodies)} arrived"
            try:
                received.append(reader._get("renders"))
            except Empty:
                time.sleep(0.001)
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert sorted(body["n"] for body in received) == list(range(200))
    assert all(body["pad"] == "x" * 200_000 for body in received)
