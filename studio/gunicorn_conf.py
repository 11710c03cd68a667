"""gunicorn's settings for the production image (`gunicorn -c python:studio.gunicorn_conf`).

The access log goes to stdout like before, through a filter that removes the token from
webhook URLs (/hooks/<provider>/<token>/): the token authenticates the provider's callbacks, so
it must not sit in log files and log shippers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 3))
accesslog = "-"
errorlog = "-"

_filters = {"redact_webhook_tokens": {"()": "studio.logs.RedactWebhookTokens"}}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": _filters,
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "access_console": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["redact_webhook_tokens"],
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_webhook_tokens"],
            "stream": "ext://sys.stderr",
        },
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_webhook_tokens"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["error_console"],
            "propagate": False,
            "qualname": "gunicorn.error",
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["access_console"],
            "filters": ["redact_webhook_tokens"],
            "propagate": False,
            "qualname": "gunicorn.access",
        },
    },
}
