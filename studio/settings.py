"""Settings from the environment, with embedded defaults that need no server.

Unset DATABASE_URL -> SQLite under var/; unset REDIS_URL -> kombu's filesystem broker under var/.
Set both (and SECRET_KEY, DEBUG=0, ALLOWED_HOSTS) for production, as docker-compose.yml does.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from studio import storage_env as _storage_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STUDIO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The fallback key is only usable with DEBUG on; `check --deploy` flags it, production sets one.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("STUDIO_ALLOW_DEV_KEY", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for local work).")
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "studio",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "studio.urls"
WSGI_APPLICATION = "studio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "studio.context_processors.studio",
                "studio.context_processors.unread_notifications",
            ],
        },
    },
]

# SQLite by default; IMMEDIATE transactions so concurrent writers queue instead of failing
# half-way with "database is locked" (Django 5.1+ option).
_sqlite_path = VAR_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    # A file, not :memory:, so a worker process started by a test sees the same test database;
    # named per test run so two runs in one checkout do not delete each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:list"
LOGOUT_REDIRECT_URL = "login"
# Off unless an operator opens it (`make run`'s demo does): an account can spend the
# studio's provider keys on any project it may create.
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", False)

# Sign-in throttling (django-axes): SIGNIN_FAILURE_LIMIT failures for one username, or from one
# address, lock sign-ins for it for SIGNIN_LOCKOUT_MINUTES; staff unlock in the admin
# (Axes → Access attempts). The two counts are separate, so either one trips.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Never reset on success: a success resets every attempt from that address, so an attacker
# signing in to their own account between guesses would wipe the victim's count.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "projects.views.accounts.signin_locked"
AXES_CLIENT_IP_CALLABLE = "studio.signin.client_address"
# How many reverse proxies in front of the web server append to X-Forwarded-For (0: none, the
# peer address is the client). Behind one TLS proxy set 1, or every sign-in shares one address.
SIGNIN_PROXY_COUNT = int(os.environ.get("SIGNIN_PROXY_COUNT", 0))

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Media is private: there is no public MEDIA_URL route; views check membership then stream.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
# Media in S3-compatible object storage (studio/storage.py) with MEDIA_STORAGE=s3 or a bucket
# named; local disk under MEDIA_ROOT otherwise (one machine, or a shared mount). Views still check
# membership first, then redirect to a short-lived signed link. Keys: boto3 reads them from the
# environment (or an instance role), never from settings.
MEDIA_STORAGE = _storage_env.media_storage(os.environ)
MEDIA_LINK_ORIGINS: list[str] = []  # where signed links point, allowed by the CSP below
if MEDIA_STORAGE == _storage_env.S3:
    _s3 = _storage_env.s3_options(os.environ)
    STORAGES["default"] = {"BACKEND": "studio.storage.MediaStorage", "OPTIONS": _s3}
    MEDIA_LINK_ORIGINS = _storage_env.link_origins(_s3)
# The previz renderer's own scratch space (job folders it renders in), not media: takes' videos
# are copied from here into storage. Shared by the workers that submit, render and fetch.
PREVIZ_JOBS_DIR = Path(os.environ.get("PREVIZ_JOBS_DIR", VAR_DIR / "previz-jobs"))

# Uploads: hero frames and references are re-encoded; these caps stop hostile files early.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
IMAGE_MAX_SIDE = int(os.environ.get("IMAGE_MAX_SIDE", 8192))
VOICE_SAMPLE_MAX_BYTES = int(os.environ.get("VOICE_SAMPLE_MAX_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Security headers; the deploy check in CI runs with DEBUG off and these on.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
# Preloading is a one-way door for the whole domain: an operator opts in, we don't.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_LINK_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIA_LINK_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Celery: Redis when REDIS_URL is set, else a broker that needs no server (kombu filesystem).
REDIS_URL = os.environ.get("REDIS_URL", "")
BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Longer than any countdown or task runtime, so nothing is redelivered while it still runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    for _folder in ("queue", "processed", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport with messages written whole before they are visible.
    CELERY_BROKER_TRANSPORT = "studio.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcasts (worker control) default to ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
# Live boards (docs/decisions/010-live-boards.md): who's here lives in the cache. With Redis,
# in Redis, so every web process sees the same people; else in this process's memory, which
# the embedded single process is. Shared markup (projects/templatetags/fragments.py) lives there
# too; django-axes counts in the database.
LIVE_CHANNEL_PREFIX = os.environ.get("LIVE_CHANNEL_PREFIX", "shotstudio")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": LIVE_CHANNEL_PREFIX,
        }
    }
    # Sessions read from Redis, written through to the database: a take card polling every
    # 2 s costs no session query. Only with a cache every web process shares: a sign-out in
    # one process must end the session in all of them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CELERY_TASK_IGNORE_RESULT = True  # job state lives in our database, not a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 25  # below the 30 s stop grace in docker-compose.yml
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "studio.heartbeat", "schedule": 30.0},
    # Waiting lives in the database; this wakes whatever is due (polls, retries, downloads).
    "sweep-takes": {"task": "projects.sweep_takes", "schedule": 2.0},
    # Totals against the ledger, once a day; problems go to the error log.
    "check-books": {"task": "projects.check_books", "schedule": 24 * 60 * 60.0},
    # Daily-digest e-mails: each person at most once a day (pipeline/emails.py).
    "email-digests": {"task": "projects.email_digests", "schedule": 60 * 60.0},
}
# Queues by kind of work, each with a worker pool of its own (docker-compose.yml, scripts/run.sh):
# a 2 s download never takes the slot a 0.1 s status read needs, CPU-heavy renders never hold up
# submits, a batch of 1,000 sends never holds up the status reads that see takes finish (a
# pool round-robins between its queues, so sharing one made follows wait turn for turn behind
# sends), and a burst of e-mails never holds up beat's sweep. STUDIO_QUEUE_PREFIX keeps several
# studios (or test runs) on one Redis apart.
QUEUE_PREFIX = os.environ.get("STUDIO_QUEUE_PREFIX", "")
QUEUES = {
    kind: QUEUE_PREFIX + kind
    for kind in ("submit", "follow", "download", "render", "email", "housekeeping")
}
CELERY_TASK_DEFAULT_QUEUE = QUEUES["housekeeping"]  # sweeps, heartbeats, the books
RENDER_QUEUE = QUEUES["render"]
# A deliverable no worker holds this long after it was asked for (or since it was last sent)
# is sent again by the sweeper: a lost message or a dead worker never leaves it queued forever.
DELIVERABLE_RESEND_SECONDS = int(os.environ.get("DELIVERABLE_RESEND_SECONDS", 300))
CELERY_TASK_ROUTES = {
    "projects.submit_take": {"queue": QUEUES["submit"]},
    # Status reads: a follow, and a lookup by key after an unclear send.
    "projects.follow_take": {"queue": QUEUES["follow"]},
    "projects.check_take": {"queue": QUEUES["follow"]},
    # Moving bytes: a take's video into media, an editor package's files into its zip.
    "projects.download_take": {"queue": QUEUES["download"]},
    "projects.pack_editor_package": {"queue": QUEUES["download"]},
    "providers.previz.render": {"queue": RENDER_QUEUE},
    "projects.render_animatic": {"queue": RENDER_QUEUE},
    # Notification e-mails: one per finished take in a batch, each an SMTP round trip.
    "projects.email_notification": {"queue": QUEUES["email"]},
    "projects.email_digests": {"queue": QUEUES["email"]},
}

# Video providers by slug: each key is the adapter class's own `slug` (also capabilities.provider
# and the webhook path); the registry refuses a mismatch. Each is built from one ProviderConfig:
# CREDENTIALS: credential name -> environment variable (else the key an admin entered in the
# studio, stored encrypted). OPTIONS and OPTIONS_FROM_ENV: base_url, timeout and the like, or
# the provider's own options. WEBHOOKS: send the studio's callback address (config.webhook_url).
VIDEO_PROVIDERS = {
    "previz": {
        "BACKEND": "providers.previz.adapter.PrevizProvider",
        "OPTIONS": {"render_queue": RENDER_QUEUE},
    },
    # Veo runs on the Gemini API by default; STUDIO_VEO_PLATFORM=vertex uses Vertex AI with a
    # service account (it also takes seed and generateAudio, which the Gemini API does not).
    "google-veo": {
        "BACKEND": "providers.veo.adapter.GeminiVeoProvider",
        "CREDENTIALS": {"api_key": "GEMINI_API_KEY"},
        # The Gemini API's Veo preview ids were shut down (docs/providers.md §9): Veo runs here
        # only under ids the key lists, named as "veo-3.1=<id>,veo-3.1-fast=<id>".
        "OPTIONS_FROM_ENV": {"base_url": "GEMINI_BASE_URL", "model_ids": "GEMINI_VEO_MODEL_IDS"},
    }
    if os.environ.get("STUDIO_VEO_PLATFORM", "gemini") != "vertex"
    else {
        "BACKEND": "providers.veo.adapter.VertexVeoProvider",
        "CREDENTIALS": {"service_account_info": "GOOGLE_APPLICATION_CREDENTIALS"},
        "OPTIONS_FROM_ENV": {
            "project": "VERTEX_PROJECT",
            "location": "VERTEX_LOCATION",
            "base_url": "VERTEX_BASE_URL",
            "output_gcs_uri": "VERTEX_OUTPUT_GCS_URI",
        },
    },
    "kling": {
        "BACKEND": "providers.kling.adapter.KlingProvider",
        # api_key for Kling 3.0; the access/secret pair signs the JWT older models take.
        "CREDENTIALS": {
            "api_key": "KLING_API_KEY",
            "access_key": "KLING_ACCESS_KEY",
            "secret_key": "KLING_SECRET_KEY",
        },
        "OPTIONS_FROM_ENV": {"base_url": "KLING_BASE_URL", "usd_per_unit": "KLING_USD_PER_UNIT"},
        # No WEBHOOKS: Kling takes callback_url per request (see requests.py).
    },
    "runway": {
        "BACKEND": "providers.runway.adapter.RunwayProvider",
        "CREDENTIALS": {"api_key": "RUNWAY_API_KEY"},
        "OPTIONS_FROM_ENV": {"base_url": "RUNWAY_BASE_URL"},
    },
    "seedance": {
        "BACKEND": "providers.seedance.adapter.SeedanceProvider",
        "CREDENTIALS": {"api_key": "ARK_API_KEY"},
        "OPTIONS_FROM_ENV": {"base_url": "ARK_BASE_URL"},
        "WEBHOOKS": True,  # sent as each task's callback_url
    },
    "higgsfield": {
        "BACKEND": "providers.higgsfield.adapter.HiggsfieldProvider",
        "CREDENTIALS": {"api_key": "HIGGSFIELD_API_KEY", "api_secret": "HIGGSFIELD_API_SECRET"},
        # Hosts the hero frame may be uploaded to (comma-separated; see higgsfield/adapter.py).
        "OPTIONS_FROM_ENV": {
            "base_url": "HIGGSFIELD_BASE_URL",
            "upload_hosts": "HIGGSFIELD_UPLOAD_HOSTS",
        },
        "WEBHOOKS": True,  # sent as ?hf_webhook=
    },
}
# How long to wait for a provider's answer; a paid request that times out "needs a check".
PROVIDER_TIMEOUT_SECONDS = float(os.environ.get("PROVIDER_TIMEOUT_SECONDS", 30))
# Where providers can reach this studio for webhooks (e.g. https://studio.example.org); empty
# means no webhooks, and polling alone follows the jobs.
STUDIO_PUBLIC_URL = os.environ.get("STUDIO_PUBLIC_URL", "").rstrip("/")
# Notification e-mails: printed to the console unless a real backend is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Shot Studio <studio@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
# Offline demos and tests: results (and Higgsfield's uploads) go to the local simulator, at the
# scheme, host and port of each provider's *_BASE_URL only, and only if that is loopback.
# `check --deploy` fails while it is on.
PROVIDER_SIMULATOR_DOWNLOADS = env_bool("PROVIDER_SIMULATOR_DOWNLOADS", False)
# Encrypts provider keys and webhook tokens stored in the studio; comma-separated for rotation
# (first encrypts, all decrypt). Required in production (deploy check studio.E001).
STUDIO_ENCRYPTION_KEY = os.environ.get("STUDIO_ENCRYPTION_KEY", "")

# Dotted paths of callables that wrap every provider the registry builds; none in production
# (the test settings add their fault injector here).
VIDEO_PROVIDER_WRAPPERS: list[str] = []
TAKE_TASK_LEASE_SECONDS = int(os.environ.get("TAKE_TASK_LEASE_SECONDS", 30))
# A take's message still not picked up after this long is taken as lost (a broker restart, a
# killed worker's prefetch) and sent again; above any queue wait we expect (docs/decisions/011).
TAKE_MESSAGE_LOST_SECONDS = int(os.environ.get("TAKE_MESSAGE_LOST_SECONDS", 180))
# A claim older than this with no answer means the worker died mid-submit: needs a check.
TAKE_SUBMIT_TIMEOUT_SECONDS = int(os.environ.get("TAKE_SUBMIT_TIMEOUT_SECONDS", 300))
TAKE_MAX_VIDEO_BYTES = int(os.environ.get("TAKE_MAX_VIDEO_BYTES", 1024 * 1024 * 1024))
# After an unclear send, wait this long before asking a provider that can look jobs up by our
# key (Kling): a job still being created must have had time to appear before "not found" counts.
TAKE_LOOKUP_AFTER_SECONDS = float(os.environ.get("TAKE_LOOKUP_AFTER_SECONDS", 60))

# Webhook URLs carry a secret token in their path: request logs redact it (studio/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_webhook_tokens": {"()": "studio.logs.RedactWebhookTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_webhook_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_webhook_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_webhook_tokens"],
        },
        "django.request": {"filters": ["redact_webhook_tokens"]},
        # WeasyPrint narrates every step of every PDF at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
    },
}
