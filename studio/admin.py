from django import forms
from django.conf import settings
from django.contrib import admin

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
        fields = ["slug", "max_concurrent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].choices = [(slug, slug) for slug in settings.VIDEO_PROVIDERS]

    def save(self, commit=True):
        account = super().save(commit=False)
        wanted = settings.VIDEO_PROVIDERS[account.slug].get("CREDENTIALS", {})
        values = {**account.credentials}
        for name in wanted:
            if self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name].strip()
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
    list_display = ("slug", "credential_hint", "max_concurrent", "status", "updated_at")
    readonly_fields = ("credential_hint",)

    def get_fields(self, request, obj=None):
        return ["slug", "credential_hint", "max_concurrent", *credential_names()]

    @admin.display(description="Status")
    def status(self, account: ProviderAccount) -> str:
        from projects.generation.registry import ProviderUnavailable, provider_by_slug

        try:
            usable, reason = provider_by_slug(account.slug).availability()
        except ProviderUnavailable as error:
            return str(error)
        return "available" if usable else reason
