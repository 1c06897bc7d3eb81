from django.contrib import admin

from zwfw.core.models import ApiToken, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, superuser included, edits or deletes the trail here."""

    list_display = ("id", "created_at", "actor_name", "actor_role", "action", "object_repr", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_repr", "object_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at")
    readonly_fields = ("user", "digest", "created_at", "expires_at")

    def has_add_permission(self, request):
        return False
