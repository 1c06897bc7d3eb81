from django.contrib import admin

from zwfw.core import audit


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits go into the audit chain too (the admin view already runs in a transaction)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if hasattr(obj, "refresh_path"):
            obj.refresh_path()
        name = obj._meta.model_name
        audit.record(
            actor=request.user,
            action=f"admin_{'change' if change else 'add'}_{name}",
            obj=obj,
            after={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
        )

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action=f"admin_delete_{obj._meta.model_name}", obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(actor=request.user, action=f"admin_delete_{obj._meta.model_name}", obj=obj)
        super().delete_queryset(request, queryset)
