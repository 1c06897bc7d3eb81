from django.contrib import admin

from zwfw.cases.models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "actor_name", "text"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (state table, clock, audit)."""

    list_display = ["number", "item", "department", "status", "due_date", "alert_level"]
    list_filter = ["status", "alert_level", "department"]
    search_fields = ["number"]
    exclude = ["phone", "agent_id_number", "agent_phone"]
    inlines = [CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
