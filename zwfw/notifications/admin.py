from django.contrib import admin

from zwfw.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "masked_phone", "ref", "status", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["ref"]
    exclude = ["phone"]
    readonly_fields = [
        "masked_phone",
        "text",
        "kind",
        "ref",
        "department",
        "status",
        "attempts",
        "error",
        "sender",
        "sent_at",
    ]

    def has_add_permission(self, request):
        return False
