"""The ASGI entry point production serves (uvicorn, docker-compose.yml): the same Django app as
studio/wsgi.py, plus coroutine views such as the live boards' event stream, which hold no
worker thread while they wait (docs/decisions/010-live-boards.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
application = get_asgi_application()
