"""Admin: read-only views of items and lists (edits go through the services so that every
change is versioned, C-4.2); the vague-phrase setting is editable and audited."""

from django.contrib import admin

from zwfw.catalog.models import (
    ChiefList,
    ItemVersion,
    ListSubmission,
    PublishedList,
    ServiceItem,
    VaguePhrase,
)
from zwfw.core.admin_util import AuditedAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "handling_name",
        "department",
        "item_type",
        "chief_list_included",
        "version_number",
        "active",
    )
    list_filter = ("item_type", "chief_list_included", "active")
    search_fields = ("code", "name")
    list_select_related = ("department",)


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ("item", "number", "changed_by", "changed_at", "effective_from", "reason")
    list_select_related = ("item", "changed_by")


@admin.register(ChiefList)
class ChiefListAdmin(ReadOnlyAdmin):
    list_display = ("department", "status", "changed_since_submission", "due_date")
    list_select_related = ("department",)


@admin.register(ListSubmission)
class ListSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("department", "number", "status", "submitted_at", "reviewed_at")
    list_select_related = ("department",)


@admin.register(PublishedList)
class PublishedListAdmin(ReadOnlyAdmin):
    list_display = ("department", "number", "published_at")
    list_select_related = ("department",)


@admin.register(VaguePhrase)
class VaguePhraseAdmin(AuditedAdmin):
    list_display = ("phrase", "active")
