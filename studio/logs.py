"""Logging that keeps secrets out of the logs: webhook URLs carry a token in their path."""

from __future__ import annotations

import logging
import re

# /hooks/<provider>/<token>/ as requested, as logged by runserver, gunicorn and django.request.
WEBHOOK_PATH = re.compile(r"(/hooks/[^/\s\"'?]+/)[^/\s\"'?]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return WEBHOOK_PATH.sub(REDACTED, text)


class RedactWebhookTokens(logging.Filter):
    """Rewrites a record's message with the webhook token replaced; never drops a record.

    Attached to the loggers that log request paths (django.server, django.request,
    gunicorn.access: filters on a logger run before any handler, caplog's included) and to
    the console handlers, for anything else that propagates there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is left for the handler to report
            return True
        if "/hooks/" in message:
            record.msg, record.args = redact(message), None
        return True
