"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("studio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# providers is not a Django app; its previz renderer registers its task here.
app.autodiscover_tasks(["providers.previz"])


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _redact_webhook_tokens(logger, **kwargs) -> None:
    # Celery replaces the root handlers Django's LOGGING set up: give its own the same filter,
    # so a provider error that echoes a callback URL does not put its token in the worker log.
    from .logs import RedactWebhookTokens

    for handler in logger.handlers:
        handler.addFilter(RedactWebhookTokens())
