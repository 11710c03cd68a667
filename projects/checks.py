"""System checks for the film side of the studio (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def simulator_switch_is_off(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The simulator switch sends results and uploads to loopback: never in production."""
    if not settings.PROVIDER_SIMULATOR_DOWNLOADS:
        return []
    return [
        checks.Error(
            "PROVIDER_SIMULATOR_DOWNLOADS is on: provider results and uploads may go to the "
            "local simulator over plain http.",
            hint="Unset PROVIDER_SIMULATOR_DOWNLOADS (it is for tests and offline demos only).",
            id="projects.E001",
        )
    ]
