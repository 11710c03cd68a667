import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Role

from .factories import (
    MembershipFactory,
    ProjectFactory,
    SceneFactory,
    ShotFactory,
    UserFactory,
    ensure_rate_cards,
    image_bytes,
)

# The provider simulator and the shared pipeline worker (tests/support/pipeline.py).
pytest_plugins = ["tests.support.pipeline"]


@pytest.fixture(autouse=True, scope="session")
def cache_keys_of_our_own():
    """With Redis, the cache shares its database with the Celery broker and with the other
    test processes, and Django's cache.clear() is FLUSHDB: a test emptying its cache dropped
    the tasks other processes' workers had queued (docs/decisions/011's lost messages). Each
    test process keeps its keys under a prefix of its own, and clear() deletes only those."""
    prefix = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    settings.CACHES["default"]["KEY_PREFIX"] = prefix  # caches made from now on, any thread
    caches["default"].key_prefix = prefix  # and the one this thread already made
    flush = RedisCache.clear

    def clear_ours(cache: RedisCache) -> bool:
        client = cache._cache.get_client(None, write=True)
        for key in client.scan_iter(f"{cache.key_prefix}:*", count=1000):
            client.delete(key)
        return True

    RedisCache.clear = clear_ours
    yield
    if isinstance(caches["default"], RedisCache):
        caches["default"].clear()
    RedisCache.clear = flush


@pytest.fixture
def empty_cache():
    """An empty cache before and after the test, for tests of what lives there (shared markup,
    rate limits): a test's rollback does not undo what it cached."""
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """A media folder per test; the session's one for tests on the shared worker, which was
    given its MEDIA_ROOT when it started."""
    if "pipeline_worker" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("shared_media_root")
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    # Previz job folders are the renderer's scratch, not media; kept under the test's media
    # root so a test's "no file left behind" sees them too.
    settings.PREVIZ_JOBS_DIR = settings.MEDIA_ROOT / "previz-jobs"
    return settings.MEDIA_ROOT


def needs_committed_data(item: pytest.Item) -> bool:
    """Whether another connection (a worker, a browser's server, a thread) must see the test's
    rows: a transactional test. The others run inside one transaction, rolled back."""
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and marker.kwargs.get("transaction"))
        # Tests that start worker processes mostly wait: they go with the committed part, which
        # fills the gaps, even when they need no database (tests/test_no_worker_left_behind.py).
        or item.get_closest_marker("services")
        or {"transactional_db", "live_server", "django_db_reset_sequences"} & names
    )


def pytest_collection_modifyitems(config, items):
    # STUDIO_TEST_PART (studio/settings_test.py): "transaction" runs the tests in one rolled-back
    # transaction, "committed" the transactional rest; unset, all of them.
    part = settings.TEST_PART
    if not part:
        return
    keep, drop = [], []
    for item in items:
        (keep if needs_committed_data(item) == (part == "committed") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def render_queue(settings) -> list[str]:
    """Previz only, its renders queued in this list: the test says when "the render worker"
    runs each job (providers.previz.tasks.render_job)."""
    queued: list[str] = []
    settings.VIDEO_PROVIDERS = {
        "previz": {
            "BACKEND": "providers.previz.adapter.PrevizProvider",
            "OPTIONS": {"enqueue": queued.append},
        }
    }
    return queued


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def owner(project):
    return MembershipFactory(project=project, role=Role.OWNER).user


@pytest.fixture
def editor(project):
    return MembershipFactory(project=project, role=Role.EDITOR).user


@pytest.fixture
def viewer(project):
    return MembershipFactory(project=project, role=Role.VIEWER).user


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def scene(project):
    return SceneFactory(project=project)


@pytest.fixture
def shot(scene):
    return ShotFactory(scene=scene)


@pytest.fixture
def png_upload():
    def make(name="frame.png", **kwargs):
        return SimpleUploadedFile(name, image_bytes("PNG", **kwargs), content_type="image/png")

    return make


@pytest.fixture(autouse=True)
def seeded_rate_cards(request):
    """Rate cards come from a data migration; transactional tests flush them, so put them back."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if not (marker or {"db", "transactional_db"} & names):
        return
    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_rate_cards()


# --- the hostile suite's total, across pytest-xdist workers (tests/hostile/tally.py) ----------
@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from collections import Counter

    counts = getattr(node, "workeroutput", {}).get("hostile_cases") or {}
    node.config._hostile_cases = getattr(node.config, "_hostile_cases", Counter()) + Counter(counts)


def pytest_sessionfinish(session, exitstatus):
    from collections import Counter

    from tests.hostile import tally

    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: report to the controller
        config.workeroutput["hostile_cases"] = tally.counts_here()
        return
    counts = getattr(config, "_hostile_cases", Counter()) + Counter(tally.counts_here())
    line = tally.verdict(counts)
    if line is None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(line, red=line.startswith("FAILED"))
    if line.startswith("FAILED"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
