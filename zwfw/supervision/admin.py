"""Django admin of supervision: read-only views of draws, the pool and hotline tickets.

Every change goes through the services (rules, audit). Interference reports and
fault-tolerance records are deliberately NOT registered: only the discipline role reads
them (N-7, N-21), and admin access would let superusers and staff read them too."""

from django.contrib import admin

from zwfw.supervision.models import HotlineFeedback, Inspection, InspectionDraw, InspectorPoolMember


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InspectionInline(admin.TabularInline):
    model = Inspection
    extra = 0
    can_delete = False
    fields = ["position", "case", "inspector", "result", "category", "found_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InspectionDraw)
class InspectionDrawAdmin(ReadOnlyAdmin):
    list_display = ["title", "period_start", "period_end", "size", "seed", "status", "created_at"]
    list_filter = ["status"]
    inlines = [InspectionInline]


@admin.register(InspectorPoolMember)
class InspectorPoolMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "active", "since"]
    list_filter = ["active"]


@admin.register(HotlineFeedback)
class HotlineFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["ticket_number", "received_on", "kind", "department", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["ticket_number"]
    exclude = ["caller_phone"]  # never shown unmasked
