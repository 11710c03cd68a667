from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from projects.selectors.board import project_moved_money, takes_in_flight
from projects.services.board import scene_delete, shot_delete
from projects.services.projects import project_archive_or_delete, project_restore

from .models import (
    Activity,
    Comment,
    Deliverable,
    LedgerEntry,
    Membership,
    MemberSpend,
    Notification,
    NotificationSettings,
    Project,
    PromptTemplate,
    PromptTemplateVersion,
    ProviderSpend,
    RateCard,
    ReferenceImage,
    ReviewLink,
    Scene,
    Shot,
    Take,
    TakeEvent,
    TeamPreset,
)


def edited_fields(form, obj) -> list[str]:
    """The columns an admin change form may write: the ones it shows, never those workers move
    at the same moment (spent, reserved, circled_take are not on the form), plus updated_at."""
    columns = {f.name for f in obj._meta.concrete_fields if not f.primary_key}
    names = [name for name in form.fields if name in columns]
    if "updated_at" in columns:
        names.append("updated_at")
    return names


class NamedFieldsAdmin(admin.ModelAdmin):
    """A change saves only the form's own fields (save(update_fields=...)), not the whole row."""

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        obj.save(update_fields=self.fields_to_write(form, obj))

    def fields_to_write(self, form, obj) -> list[str]:
        return edited_fields(form, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records only the studio's services write (with their checks, money and history):
    staff read them here and never add or edit one by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(ReadOnlyAdmin):
    """Evidence (the ledger, a take's history, template versions): not deleted either."""

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    """An append-only history under its record, every column read-only; set `fields`."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class NamedFieldsFormSet(BaseInlineFormSet):
    def save_existing(self, form, obj, commit=True):
        if not commit:
            return super().save_existing(form, obj, commit=commit)
        obj = form.save(commit=False)
        obj.save(update_fields=edited_fields(form, obj))
        return obj


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class SceneInline(admin.TabularInline):
    model = Scene
    formset = NamedFieldsFormSet
    extra = 0
    fields = ["order", "number", "title", "location", "time_of_day"]


@admin.register(Project)
class ProjectAdmin(NamedFieldsAdmin):
    list_display = ["name", "aspect_ratio", "default_model", "budget", "updated_at", "archived_at"]
    list_filter = [("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "logline"]
    readonly_fields = ["spent", "reserved", "archived_at", "archived_by"]
    inlines = [MembershipInline, SceneInline]
    actions = ["restore_projects"]

    @admin.action(description="Restore the selected archived projects")
    def restore_projects(self, request, queryset):
        archived = list(queryset.filter(archived_at__isnull=False))
        for project in archived:
            project_restore(project=project)
        self.message_user(request, f"Restored {len(archived)} archived project(s).")

    def has_delete_permission(self, request, obj=None):
        # A project that moved money keeps its ledger: its owners archive it instead.
        if obj is not None and (project_moved_money(obj) or takes_in_flight(project=obj).exists()):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        project_archive_or_delete(project=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for project in queryset:
            self.delete_model(request, project)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["project__name", "user__username", "user__email"]
    autocomplete_fields = ["user", "project"]


@admin.register(Scene)
class SceneAdmin(NamedFieldsAdmin):
    list_display = ["project", "number", "title", "location", "time_of_day", "order"]
    list_filter = ["project"]
    search_fields = ["title", "location"]
    readonly_fields = ["spent", "reserved"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and takes_in_flight(shot__scene=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        scene_delete(scene=obj)

    def delete_queryset(self, request, queryset):
        for scene in queryset:
            self.delete_model(request, scene)


class ReferenceInline(admin.TabularInline):
    model = ReferenceImage
    extra = 0
    readonly_fields = ["width", "height"]


@admin.register(Shot)
class ShotAdmin(NamedFieldsAdmin):
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
    readonly_fields = ["circled_take"]
    inlines = [ReferenceInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "status" and field is not None:
            # Workers move the status too: the form carries the one staff saw (see forms.py).
            field.show_hidden_initial = True
        return field

    def fields_to_write(self, form, obj) -> list[str]:
        names = edited_fields(form, obj)
        if "status" not in form.changed_data:
            names.remove("status")
        return names

    def has_delete_permission(self, request, obj=None):
        if obj is not None and takes_in_flight(shot=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        shot_delete(shot=obj)

    def delete_queryset(self, request, queryset):
        for shot in queryset:
            self.delete_model(request, shot)


@admin.register(ReferenceImage)
class ReferenceImageAdmin(admin.ModelAdmin):
    list_display = ["shot", "caption", "width", "height", "created_at"]
    list_select_related = ["shot"]


@admin.register(TeamPreset)
class TeamPresetAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "target_model", "duration_seconds", "created_at"]
    list_filter = ["target_model"]
    search_fields = ["name", "project__name"]


class PromptTemplateVersionInline(HistoryInline):
    model = PromptTemplateVersion
    fields = ["number", "author", "created_at", "restores", "text"]


@admin.register(PromptTemplate)
class PromptTemplateAdmin(ReadOnlyAdmin):
    """Read-only history: templates are written in the editor, which checks them first
    (a template saved here could break every prompt of its family)."""

    list_display = ["__str__", "family", "project", "current"]
    list_filter = ["family"]
    list_select_related = ["project", "current"]
    search_fields = ["project__name"]
    readonly_fields = ["project", "family", "current"]
    inlines = [PromptTemplateVersionInline]


@admin.register(PromptTemplateVersion)
class PromptTemplateVersionAdmin(AppendOnlyAdmin):
    list_display = ["template", "number", "author", "created_at", "restores"]
    list_filter = ["template__family"]
    list_select_related = ["template__project", "author"]


class TakeEventInline(HistoryInline):
    """A take's history, as the camera report shows it: append-only evidence."""

    model = TakeEvent
    fields = ["at", "state", "message"]


@admin.register(TakeEvent)
class TakeEventAdmin(AppendOnlyAdmin):
    list_display = ["at", "take", "state", "message"]
    list_filter = ["state"]
    list_select_related = ["take__shot"]
    search_fields = ["message", "take__remote_id"]


@admin.register(Take)
class TakeAdmin(ReadOnlyAdmin):
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
    inlines = [TakeEventInline]


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
class LedgerEntryAdmin(AppendOnlyAdmin):
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


@admin.register(MemberSpend)
class MemberSpendAdmin(ReadOnlyAdmin):
    """Running totals the ledger keeps: visible, never typed in by hand."""

    list_display = ["project", "user", "month", "spent", "reserved"]
    readonly_fields = ["project", "user", "month", "spent", "reserved"]


@admin.register(ProviderSpend)
class ProviderSpendAdmin(AppendOnlyAdmin):
    """Studio-wide spending per provider account and month; moved only with the ledger (the
    cap itself is edited on the provider account)."""

    list_display = ["provider", "month", "spent", "reserved"]
    list_filter = ["provider"]


# --- team review: read-only records (they are written by the services, with their activity) --
@admin.register(Activity)
class ActivityAdmin(AppendOnlyAdmin):
    list_display = ["at", "project", "kind", "actor_name", "summary"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["summary", "actor_name"]  # append-only: the project's history


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Staff may remove a comment (moderation); writing one is the team's."""

    list_display = ["created_at", "project", "shot", "take", "author", "guest_name", "body"]
    list_select_related = ["project", "shot", "take", "author"]
    search_fields = ["body", "guest_name"]


@admin.register(ReviewLink)
class ReviewLinkAdmin(ReadOnlyAdmin):
    list_display = ["label", "project", "scene", "created_by", "expires_at", "revoked_at", "views"]
    list_select_related = ["project", "scene", "created_by"]
    exclude = ["token", "password_hash"]  # bearer secrets stay out of the admin's pages


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "reason", "read_at", "emailed_at"]
    list_filter = ["reason"]
    list_select_related = ["user"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "last_digest_at"]
    list_select_related = ["user"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    """What workers made for the film to leave the studio; staff may delete one (its file
    stays in storage until cleaned up)."""

    list_display = ["created_at", "project", "scene", "kind", "state", "progress", "attempts"]
    list_filter = ["kind", "state"]
    list_select_related = ["project", "scene"]
