from django.contrib import admin

from .models import (
    LedgerEntry,
    Membership,
    MemberSpend,
    Project,
    RateCard,
    ReferenceImage,
    Scene,
    Shot,
    Take,
    TeamPreset,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class SceneInline(admin.TabularInline):
    model = Scene
    extra = 0
    fields = ["order", "number", "title", "location", "time_of_day"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "aspect_ratio", "default_model", "budget", "updated_at"]
    search_fields = ["name", "logline"]
    inlines = [MembershipInline, SceneInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["project__name", "user__username", "user__email"]
    autocomplete_fields = ["user", "project"]


@admin.register(Scene)
class SceneAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "title", "location", "time_of_day", "order"]
    list_filter = ["project"]
    search_fields = ["title", "location"]


class ReferenceInline(admin.TabularInline):
    model = ReferenceImage
    extra = 0
    readonly_fields = ["width", "height"]


@admin.register(Shot)
class ShotAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "project",
        "scene",
        "shot_size",
        "duration_seconds",
        "target_model",
        "status",
    ]
    list_filter = ["status", "target_model", "project"]
    search_fields = ["label", "subject", "action"]
    list_select_related = ["project", "scene"]
    inlines = [ReferenceInline]


@admin.register(ReferenceImage)
class ReferenceImageAdmin(admin.ModelAdmin):
    list_display = ["shot", "caption", "width", "height", "created_at"]
    list_select_related = ["shot"]


@admin.register(TeamPreset)
class TeamPresetAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "target_model", "duration_seconds", "created_at"]
    list_filter = ["target_model"]
    search_fields = ["name", "project__name"]


@admin.register(Take)
class TakeAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "project",
        "model",
        "state",
        "estimated_cost",
        "actual_cost",
        "queued_at",
        "finished_at",
    ]
    list_filter = ["state", "model", "provider"]
    search_fields = ["shot__label", "remote_id", "project__name"]
    list_select_related = ["shot", "project"]
    # The record of what was asked and what happened is evidence: read-only here, and only
    # the pipeline creates takes (a take made by hand would have no request or hold behind it).
    readonly_fields = [field.name for field in Take._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    list_display = [
        "model",
        "resolution",
        "audio",
        "unit",
        "price",
        "currency",
        "effective",
        "source",
    ]
    list_filter = ["model", "unit", "currency"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Append-only: visible to staff, never edited or deleted by hand."""

    list_display = [
        "created_at",
        "project",
        "kind",
        "reserved_change",
        "spent_change",
        "take",
        "note",
    ]
    list_filter = ["kind", "project"]
    list_select_related = ["project", "take"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberSpend)
class MemberSpendAdmin(admin.ModelAdmin):
    """Running totals the ledger keeps: visible, never typed in by hand."""

    list_display = ["project", "user", "month", "spent", "reserved"]
    readonly_fields = ["project", "user", "month", "spent", "reserved"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
