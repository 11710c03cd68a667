from django.conf import settings
from django.http import HttpRequest


def studio(request: HttpRequest) -> dict:
    return {"signup_enabled": settings.SIGNUP_ENABLED}


def unread_notifications(request: HttpRequest) -> dict:
    """The top bar's unread count: one COUNT, and only on pages that show the top bar (it is
    lazy, so partials and redirects pay nothing)."""
    from django.utils.functional import SimpleLazyObject

    from projects.selectors.notifications import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
