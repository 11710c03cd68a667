from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ProviderAccount, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "seen_at")
    readonly_fields = ("hostname", "seen_at")

    def has_add_permission(self, request):
        return False  # workers write their own heartbeats


def credential_names() -> list[str]:
    names: list[str] = []
    for config in settings.VIDEO_PROVIDERS.values():
        names += [name for name in config.get("CREDENTIALS", {}) if name not in names]
    return names


class ProviderAccountFormBase(forms.ModelForm):
    """Keys are write-only: the form never shows a stored key, only its last four characters."""

    slug = forms.ChoiceField(label="Provider")

    class Meta:
        model = ProviderAccount
        fields = ["slug", "max_concurrent", "monthly_cap"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].choices = [(slug, slug) for slug in settings.VIDEO_PROVIDERS]

    def save(self, commit=True):
        account = super().save(commit=False)
        wanted = settings.VIDEO_PROVIDERS[account.slug].get("CREDENTIALS", {})
        typed = {
            name: self.cleaned_data[name].strip() for name in wanted if self.cleaned_data.get(name)
        }
        # Nothing typed: the stored keys stay exactly as they are (even ones that cannot be
        # decrypted right now, which a corrected STUDIO_ENCRYPTION_KEY may read again).
        self.keys_changed = bool(typed) or not account.pk
        if typed:
            values = {**account.credentials, **typed}
            account.set_credentials({name: values.get(name, "") for name in wanted})
        if commit:
            account.save()
        return account


def _secret_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty to keep the stored value.",
    )


# One write-only field per credential any provider takes (api_key, secret_key, ...).
ProviderAccountForm = type(
    "ProviderAccountForm",
    (ProviderAccountFormBase,),
    {name: _secret_field() for name in credential_names()},
)


@admin.register(ProviderAccount)
class ProviderAccountAdmin(admin.ModelAdmin):
    form = ProviderAccountForm
    list_display = (
        "slug",
        "credential_hint",
        "max_concurrent",
        "monthly_cap",
        "status",
        "webhook_token_rotated_at",
        "updated_at",
    )
    readonly_fields = ("credential_hint", "webhook_token_rotated_at")
    actions = ["rotate_webhook_token"]
    change_form_template = "admin/studio/provideraccount/change_form.html"

    def get_urls(self):
        @never_cache
        @require_POST
        def test_connection(request: HttpRequest, account_id: int) -> HttpResponse:
            return connection_check_view(request, account_id, model_admin=self)

        check = path(
            "<int:account_id>/test-connection/",
            test_connection,
            name="studio_provideraccount_test_connection",
        )
        return [check, *super().get_urls()]

    def get_fields(self, request, obj=None):
        return [
            "slug",
            "credential_hint",
            "max_concurrent",
            "monthly_cap",
            *credential_names(),
            "webhook_token_rotated_at",
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        # Name the fields: a worker may have just stored this account's webhook token.
        fields = ["slug", "max_concurrent", "monthly_cap", "updated_at"]
        if form.keys_changed:
            fields += ["encrypted_credentials", "credential_hint"]
        obj.save(update_fields=fields)

    @admin.action(description="Rotate webhook token")
    def rotate_webhook_token(self, request, queryset) -> None:
        for account in queryset:
            account.rotate_webhook_token()
        names = ", ".join(account.slug for account in queryset)
        self.message_user(
            request,
            f"New webhook tokens for {names}. Webhooks sent to the old addresses are refused "
            "from now on; takes already running are still followed by polling.",
            messages.SUCCESS,
        )

    @admin.display(description="Status")
    def status(self, account: ProviderAccount) -> str:
        from projects.registry import (
            ProviderUnavailable,
            provider_by_slug,
            unreadable_keys_reason,
        )

        try:
            usable, reason = provider_by_slug(account.slug).availability()
        except ProviderUnavailable as error:
            return str(error)
        if usable:
            return "available"
        return unreadable_keys_reason(account.slug) or reason


def connection_check_view(request: HttpRequest, account_id: int, *, model_admin) -> HttpResponse:
    """Test connection: the provider's free check, shown where the button is. Staff only,
    and a 403 (not the admin's login redirect) for anyone else: it answers an HTMX call."""
    from projects.services.provider_checks import provider_check

    user = request.user
    if not (user.is_active and user.is_staff and model_admin.has_change_permission(request)):
        raise PermissionDenied
    account = get_object_or_404(ProviderAccount, pk=account_id)
    check = provider_check(slug=account.slug)
    html = render_to_string(
        "admin/studio/provideraccount/connection_check.html",
        {"account": account, "check": check},
        request=request,
    )
    return HttpResponse(html)
