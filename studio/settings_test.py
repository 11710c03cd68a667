"""Test settings: the real settings, plus a throwaway key, a fast password hasher and the
fault injector that worker-kill tests slow providers down with."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DEBUG", "0")
# Queues of their own per test process, inherited by the Celery workers tests start, so a run
# never picks up another run's messages on a shared broker. Under pytest-xdist each xdist
# worker names its own (they would otherwise inherit the controller's and take each other's
# messages, for takes in another test database).
_queue_owner = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("STUDIO_TEST_QUEUES_FOR") != _queue_owner:
    os.environ["STUDIO_TEST_QUEUES_FOR"] = _queue_owner
    os.environ["STUDIO_QUEUE_PREFIX"] = f"test-{os.getpid()}-"

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# A worker process started by a test must use the test database the test runner created; on
# PostgreSQL it says who it is, so a test can wait for its sessions to end
# (tests/support/workers.py).
TEST_WORKER_APP = "studio-test-worker"
if os.environ.get("STUDIO_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["STUDIO_TEST_DB_NAME"]  # noqa: F405
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
        DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = TEST_WORKER_APP  # noqa: F405

# STUDIO_TEST_PART splits the suite in two (tests/conftest.py), to run side by side (.ci/run):
#   transaction: tests inside one transaction, rolled back; on SQLite the database is in
#     memory (shared by this process's threads), as no other connection needs to see it;
#   committed: tests whose rows another connection must see (workers, browsers' live server,
#     threads, a server process): transactional tests, on a file with SQLite.
# Unset: every test, on the file (studio/settings.py).
TEST_PART = os.environ.get("STUDIO_TEST_PART", "")
if TEST_PART not in ("", "transaction", "committed"):
    raise ValueError(f"STUDIO_TEST_PART is transaction, committed or unset, not {TEST_PART!r}")
_db = DATABASES["default"]  # noqa: F405
if TEST_PART == "transaction" and _db["ENGINE"].endswith("sqlite3"):
    # "test" in the name: tests/hostile checks it writes to a test database. The last
    # parameter is one SQLite ignores, for pytest-xdist's suffix (_gw0...) to land on.
    _db["TEST"] = {"NAME": "file:test-memorydb?mode=memory&cache=shared&for=test"}
elif TEST_PART and not _db["ENGINE"].endswith("sqlite3"):
    # The two parts run at the same time on one server: a test database each.
    _db.setdefault("TEST", {})["NAME"] = f"test_{_db['NAME']}_{TEST_PART}"

# Client.login() passes no request, which django-axes' backend refuses; sign-ins over HTTP are
# throttled exactly as in production (tests/support/signin.py).
AUTHENTICATION_BACKENDS = [
    "tests.support.signin.AxesBackendForTestClient",
    "django.contrib.auth.backends.ModelBackend",
]

# Fault injection for tests that kill a worker mid-call (seconds of delay; 0 = off). Test
# machinery: the wrapper lives under tests/, and production settings never name it.
STUDIO_FAULTS = {
    "submit_delay": float(os.environ.get("STUDIO_FAULT_SUBMIT_DELAY", 0)),
    "poll_delay": float(os.environ.get("STUDIO_FAULT_POLL_DELAY", 0)),
    # Worker processes started by tests (tests/support/workers.py) ask for status at least
    # this often.
    "poll_after_cap": float(os.environ.get("STUDIO_TEST_POLL_AFTER_CAP", 0)),
}
VIDEO_PROVIDER_WRAPPERS = ["tests.support.faults.with_faults"]

# ...and sweep this often (seconds; production: 2): a due poll or retry waits at most this long.
if os.environ.get("STUDIO_TEST_SWEEP_SECONDS"):
    CELERY_BEAT_SCHEDULE["sweep-takes"]["schedule"] = float(  # noqa: F405
        os.environ["STUDIO_TEST_SWEEP_SECONDS"]
    )
