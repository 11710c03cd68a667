"""Stored secrets: STUDIO_ENCRYPTION_KEY (not SECRET_KEY), rotation, loud failures, deploy check."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.urls import reverse

from projects.registry import ProviderUnavailable, _build, provider_for_model
from studio.models import ProviderAccount
from tests.factories import ShotFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
OLD = "the-old-encryption-key-0123456789abcdef"
NEW = "the-new-encryption-key-0123456789abcdef"
UNREADABLE = (
    "Runway Gen-4.5 is unavailable: the stored keys could not be read — check "
    "STUDIO_ENCRYPTION_KEY."
)


@pytest.fixture(autouse=True)
def fresh_providers():
    _build.cache_clear()  # providers keep decrypted keys; a key change means a restart
    yield
    _build.cache_clear()


def stored_runway_key() -> ProviderAccount:
    account = ProviderAccount(slug="runway")
    account.set_credentials({"api_key": "rk-live-abcdef-1234"})
    account.save()
    return account


def fields(account: ProviderAccount) -> tuple[str, str]:
    account.refresh_from_db()
    return account.encrypted_credentials, account.encrypted_webhook_token


def test_a_changed_secret_key_no_longer_loses_the_keys(db, settings):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account = stored_runway_key()
    token = ProviderAccount.webhook_token_for("runway")
    settings.SECRET_KEY = "a-brand-new-secret-key"
    settings.SECRET_KEY_FALLBACKS = []
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}
    assert ProviderAccount.webhook_token_for("runway") == token
    assert provider_for_model("runway-gen4.5").availability() == (True, "")


def test_secret_key_does_not_key_the_encryption_once_a_key_is_set(db, settings):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account = stored_runway_key()
    settings.STUDIO_ENCRYPTION_KEY = ""  # only SECRET_KEY left: it must not read them
    account.refresh_from_db()
    assert account.keys_unreadable


def test_rotation_keeps_old_secrets_readable_then_reencrypts_them(db, settings, capsys):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account = stored_runway_key()
    token = ProviderAccount.webhook_token_for("runway")
    before = fields(account)
    settings.STUDIO_ENCRYPTION_KEY = f"{NEW}, {OLD}"  # new key first, the old one still listed
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}
    assert account.stored_webhook_token() == token
    call_command("rotate_encryption_key")
    assert "Re-encrypted 2 stored secret(s) with the first key." in capsys.readouterr().out
    after = fields(account)
    assert after[0] != before[0] and after[1] != before[1]
    settings.STUDIO_ENCRYPTION_KEY = NEW  # the old key can go now
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}
    assert account.stored_webhook_token() == token
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account.refresh_from_db()
    assert account.keys_unreadable


def test_secrets_from_before_the_key_was_set_move_onto_it(db, settings):
    settings.STUDIO_ENCRYPTION_KEY = ""  # development: derived from SECRET_KEY
    account = stored_runway_key()
    settings.STUDIO_ENCRYPTION_KEY = NEW
    account.refresh_from_db()
    assert account.keys_unreadable
    call_command("rotate_encryption_key")
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}


def test_rotation_says_which_secrets_no_key_reads_and_leaves_them(db, settings, capsys):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account = stored_runway_key()
    stored = fields(account)
    settings.STUDIO_ENCRYPTION_KEY = NEW
    with pytest.raises(CommandError, match="1 stored secret"):
        call_command("rotate_encryption_key")
    assert "runway: the stored keys could not be read" in capsys.readouterr().err
    assert fields(account) == stored


def test_unreadable_keys_are_reported_not_taken_for_no_key(client, db, settings, caplog):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    stored_runway_key()
    settings.STUDIO_ENCRYPTION_KEY = NEW
    with (
        caplog.at_level(logging.ERROR, logger="studio.models"),
        pytest.raises(ProviderUnavailable) as error,
    ):
        provider_for_model("runway-gen4.5")
    assert str(error.value) == UNREADABLE
    assert "The stored keys of provider account runway could not be decrypted" in caplog.text
    # On the Generate button, before the click.
    from tests.factories import MembershipFactory

    editor = MembershipFactory(role="editor")
    shot = ShotFactory(scene__project=editor.project, target_model="runway-gen4.5")
    client.force_login(editor.user)
    html = client.get(reverse("projects:shot", args=[editor.project.pk, shot.pk])).content.decode()
    assert UNREADABLE in html
    # And in the admin's status column.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:studio_provideraccount_changelist")).content.decode()
    assert "the stored keys could not be read — check STUDIO_ENCRYPTION_KEY." in html


def test_saving_the_admin_form_keeps_what_it_did_not_change(client, db, settings):
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account = stored_runway_key()
    token = ProviderAccount.webhook_token_for("runway")
    settings.STUDIO_ENCRYPTION_KEY = NEW  # keys unreadable for now
    stored = fields(account)[0]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:studio_provideraccount_change", args=[account.pk]),
        {"slug": "runway", "max_concurrent": "3", "monthly_cap": "100", "api_key": ""},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.encrypted_credentials == stored  # not wiped: the right key may come back
    assert account.max_concurrent == 3
    settings.STUDIO_ENCRYPTION_KEY = OLD
    account.refresh_from_db()
    assert account.credentials == {"api_key": "rk-live-abcdef-1234"}
    assert account.stored_webhook_token() == token


def test_the_deploy_check_requires_the_encryption_key(db, settings):
    settings.DEBUG = False
    settings.STUDIO_ENCRYPTION_KEY = ""
    with pytest.raises(SystemCheckError, match=r"studio\.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    settings.STUDIO_ENCRYPTION_KEY = NEW
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def production_check(**extra: str) -> subprocess.CompletedProcess:
    """`make check-deploy`'s environment (see the Makefile), with or without the key."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "ALLOWED_HOSTS": "studio.example.org",
        "STUDIO_VAR_DIR": os.environ.get("STUDIO_VAR_DIR", str(ROOT / "var")),
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_make_check_deploy_fails_without_the_key_and_passes_with_it():
    missing = production_check()
    assert missing.returncode != 0
    assert "studio.E001" in missing.stderr
    with_key = production_check(STUDIO_ENCRYPTION_KEY=secrets.token_urlsafe(48))
    assert with_key.returncode == 0, with_key.stderr
    recipe = (ROOT / "Makefile").read_text().split("check-deploy: $(STAMP)")[1].split("\n\n")[0]
    assert "STUDIO_ENCRYPTION_KEY=$$(head -c 48 /dev/urandom | base64)" in recipe
