"""Read-only admin: the calendar changes only through services.set_year (audit trail)."""

from django.contrib import admin

from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HolidayInline(ReadOnlyMixin, admin.TabularInline):
    model = Holiday
    extra = 0


class AdjustedWorkdayInline(ReadOnlyMixin, admin.TabularInline):
    model = AdjustedWorkday
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("year", "official", "source", "revision", "updated_at")
    inlines = [HolidayInline, AdjustedWorkdayInline]
