"""One studio for the whole hostile suite, built and crawled once: every case runs in a
savepoint that is rolled back, and the whole world goes with the package's transaction.

Every test module here is marked django_db (pytest-django only creates the test database
for a run that has such tests); each test's own transaction nests inside the package's.
"""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import override_settings

from tests.factories import ensure_rate_cards

from .harness import clients_for, crawl
from .world import build_world


@pytest.fixture(scope="package")
def hostile_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("hostile-media")
    # Hostile strings must never reach a real provider: the world's shots are previz or a
    # provider without keys, no worker runs, and nothing a view enqueues is ever committed.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, SIGNUP_ENABLED=True),
        # The suite reads status codes, headers and the database, never response.context:
        # not copying every template's context for it makes each case several times cheaper.
        mock.patch("django.test.client.store_rendered_templates", lambda *args, **kw: None),
        transaction.atomic(),
    ):
        assert "test" in str(connection.settings_dict["NAME"]), "not a test database"
        ensure_rate_cards()
        world = build_world()
        world.media_root = media
        world.clients = clients_for(world)
        world.forms, world.methods = crawl(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(hostile_world, django_db_blocker, settings):
    settings.MEDIA_ROOT = hostile_world.media_root  # over the suite-wide per-test media root
    settings.SIGNUP_ENABLED = True
    with django_db_blocker.unblock():
        yield hostile_world
