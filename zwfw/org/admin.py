from django.contrib import admin

from zwfw.core.admin_util import AuditedAdmin
from zwfw.org.models import (
    Department,
    Person,
    PostAssignment,
    Region,
    RoleAssignment,
    Section,
    ServiceCenter,
    Window,
)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")


@admin.register(ServiceCenter)
class ServiceCenterAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "region", "parent")


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "center", "active")
    inlines = [SectionInline]


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ("center", "number", "name", "kind", "department")


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    """Personal data are shown masked; changes go through the pages (services) and the audit."""

    list_display = ("name", "department", "position", "masked_phone", "masked_id_number")
    list_filter = ("department",)
    search_fields = ("name",)
    fields = (
        "name",
        "gender",
        "birth_date",
        "masked_phone",
        "masked_id_number",
        "department",
        "section",
        "position",
        "established",
        "unit_start_date",
        "service_start_date",
        "user",
        "active",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "center", "department")


@admin.register(PostAssignment)
class PostAssignmentAdmin(AuditedAdmin):
    """办理岗位 (issue 12 point 1): also given by POST /api/v1/people `posts` (org.posts);
    an edit here (e.g. the last day a post is held) is audited like any admin edit."""

    list_display = ("person", "post", "department", "valid_from", "valid_to")
    list_filter = ("post", "department")
    raw_id_fields = ("person",)
    readonly_fields = ("created_at",)
