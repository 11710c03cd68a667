"""Provider webhooks: a nudge to poll now. The payload is not trusted for anything else — the
take moves only on what the provider's own status endpoint says (polling stays the backstop)."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..generation.pipeline import follow_now

ID_FIELDS = ("task_id", "id", "request_id", "external_task_id", "name")


def webhook_token(provider: str) -> str:
    """The secret in the callback URL; derived, so nothing extra to store or rotate."""
    message = f"shot-studio webhook {provider}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _ids(payload) -> set[str]:
    found: set[str] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in ID_FIELDS and isinstance(value, str | int):
                found.add(str(value))
            found |= _ids(value)
    elif isinstance(payload, list):
        for item in payload:
            found |= _ids(item)
    return found


@csrf_exempt  # providers cannot send our CSRF token; the URL's secret authenticates them
@require_POST
def provider_webhook(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    if provider not in settings.VIDEO_PROVIDERS or not hmac.compare_digest(
        token, webhook_token(provider)
    ):
        raise Http404("No such hook.")
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    ids = _ids(payload)
    # Some providers name jobs differently in callbacks than in our remote ids (Kling).
    from ..generation.registry import provider_by_slug

    translate = getattr(provider_by_slug(provider), "remote_ids_from_callback", None)
    if translate and isinstance(payload, dict):
        ids |= set(translate(payload))
    follow_now(provider=provider, remote_ids=ids)
    return HttpResponse(status=204)
