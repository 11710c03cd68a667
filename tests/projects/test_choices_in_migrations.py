"""A new video model (or move, or aspect ratio) costs no migration: model fields take their
choices from the catalog through functions, so migrations record the function only."""

import pytest
from django.core.management import call_command

from providers.core import catalog


@pytest.mark.django_db
def test_a_new_video_model_needs_no_migration(monkeypatch, capsys):
    monkeypatch.setattr(
        catalog, "VIDEO_MODELS", [*catalog.VIDEO_MODELS, ("newco-1", "NewCo 1")], raising=True
    )
    call_command("makemigrations", "projects", "--check", "--dry-run", verbosity=1)
    assert "No changes detected" in capsys.readouterr().out


def test_the_choices_still_follow_the_catalog(monkeypatch):
    from projects.models import Shot

    monkeypatch.setattr(catalog, "VIDEO_MODELS", [*catalog.VIDEO_MODELS, ("newco-1", "NewCo 1")])
    assert ("newco-1", "NewCo 1") in Shot._meta.get_field("target_model").choices
