from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from ..forms import SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_ENABLED:
        raise Http404("Sign-up is switched off on this studio.")
    if request.user.is_authenticated:
        return redirect("projects:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("projects:list")
    status = 422 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (
        "Too many failed sign-ins for this account or from this address. "
        f"Try again in {wait}, or ask a studio admin to unlock it."
    )


def signin_locked(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the sign-in page again, with
    the reason, as 429 Too Many Requests. The username typed is kept, the password is not."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": str(username)[:150]})
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {"form": form, "next": wanted if safe else "", "locked_out": lockout_message()}
    return render(request, "registration/login.html", context, status=429)
