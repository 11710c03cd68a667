"""Provider webhooks: the URL's secret authenticates the provider; projects.pipeline.webhooks
reads the callback (a nudge to poll now, trusted for nothing else)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from projects.pipeline.webhooks import MAX_BODY_BYTES, token_matches, webhook_received


@csrf_exempt  # providers cannot send our CSRF token; the URL's secret authenticates them
@require_POST
def provider_webhook(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    if provider not in settings.VIDEO_PROVIDERS or not token_matches(provider, token):
        raise Http404("No such hook.")
    body = request.read(MAX_BODY_BYTES + 1)
    return HttpResponse(status=webhook_received(provider=provider, body=body))
