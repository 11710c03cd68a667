from django.conf import settings
from django.http import HttpRequest


def studio(request: HttpRequest) -> dict:
    return {"signup_enabled": settings.SIGNUP_ENABLED}
