"""A person's notifications, across their projects: the list, marking read, e-mail setting."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.models import EmailChoice
from projects.selectors.notifications import email_choice, notification_of, notification_page
from projects.services.notifications import notification_settings_save, notifications_mark_read


class EmailSettingForm(forms.Form):
    email = forms.ChoiceField(
        label="E-mail me", choices=EmailChoice.choices, widget=forms.RadioSelect
    )


def _before(request: HttpRequest) -> int | None:
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        return None
    return before if 0 < before < 2**63 else None


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications, older = notification_page(request.user, before=_before(request))
    return render(
        request,
        "projects/notifications.html",
        {"notifications": notifications, "older": older},
    )


def _own(request: HttpRequest, notification_id: int):
    notification = notification_of(request.user, notification_id)
    if notification is None:
        raise Http404("No such notification.")
    return notification


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notifications_mark_read(user=request.user, ids=[_own(request, notification_id).pk])
    return redirect("projects:notifications")


@login_required
@require_POST
def notification_go(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Open what the notification is about, marking it read on the way (a POST: never a GET
    write)."""
    notification = _own(request, notification_id)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    activity = notification.activity
    if activity.shot_id:
        target = reverse("projects:shot", args=[activity.project_id, activity.shot_id])
        if activity.take_id:
            target += f"#take-{activity.take_id}"
    else:
        target = reverse("projects:activity", args=[activity.project_id])
    return redirect(target)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("projects:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = EmailSettingForm(request.POST or None, initial={"email": email_choice(request.user)})
    if request.method == "POST" and form.is_valid():
        notification_settings_save(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, "E-mail setting saved.")
        return redirect("projects:notifications")
    status = 422 if form.errors else 200
    return render(request, "projects/notification_settings.html", {"form": form}, status=status)
