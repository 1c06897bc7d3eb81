"""Read-only admin: ratings are never deleted or hidden, and every change goes through the
services so that the audit chain records it."""

from django.contrib import admin

from zwfw.evaluations.models import (
    Appeal,
    Evaluation,
    EvaluatorDevice,
    IntegratorAccount,
    RatingInvitation,
    Rectification,
    WindowVisit,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = [
        "rated_at",
        "level",
        "channel",
        "department",
        "window",
        "staff",
        "verified",
        "excluded",
    ]
    list_filter = ["level", "channel", "is_default", "verified", "excluded"]
    list_select_related = ["department", "window", "staff"]
    # The rater's phone is confidential (NATIONAL.md): never shown, not even here.
    exclude = ["rater_phone"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "department", "status", "next_due_date", "alert_level", "escalated"]
    list_filter = ["status", "alert_level", "escalated"]
    list_select_related = ["department"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["id", "department", "status", "filed_on", "decided_on"]
    list_filter = ["status"]
    list_select_related = ["department"]


@admin.register(EvaluatorDevice)
class EvaluatorDeviceAdmin(ReadOnlyAdmin):
    list_display = ["name", "window", "center", "active", "last_used_at"]
    list_select_related = ["window", "center"]
    exclude = ["token_digest"]


@admin.register(WindowVisit)
class WindowVisitAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "window", "staff", "department"]
    list_select_related = ["window", "staff", "department"]
    exclude = ["token_digest"]


@admin.register(RatingInvitation)
class RatingInvitationAdmin(ReadOnlyAdmin):
    list_display = ["case", "sent_on"]
    list_select_related = ["case"]


@admin.register(IntegratorAccount)
class IntegratorAccountAdmin(ReadOnlyAdmin):
    """Registered through POST /api/v1/evaluations/integrators (an audited service)."""

    list_display = ["name", "user", "center", "active", "registered_at"]
    list_select_related = ["user", "center"]
