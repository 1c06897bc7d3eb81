"""The official working-day calendar (L-CAL): one row per year, its holidays and adjusted days.

Rows are written only by `services.set_year` (and the seeding migration), so every change
is in the audit chain. Arithmetic never reads these tables directly: it uses the in-memory
calendar of `zwfw.workdays.calendar`, loaded from them by `zwfw.workdays.loader`.
"""

from django.conf import settings
from django.db import models


class CalendarYear(models.Model):
    """A year whose calendar an administrator entered (or the seed imported)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    # Only official years count; a year with no row, or not official, is weekends alone.
    official = models.BooleanField("已正式发布", default=True)
    source = models.CharField("依据（国务院办公厅通知）", max_length=300, blank=True)
    # Bumped on every edit; the loader's version is built from it (see loader.db_version).
    revision = models.PositiveIntegerField("修订次数", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="更新人",
    )

    class Meta:
        verbose_name = verbose_name_plural = "年度节假日安排"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class Holiday(models.Model):
    """A statutory holiday (法定节假日) day: off even on a weekday."""

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="holidays", verbose_name="年度"
    )
    date = models.DateField("日期", unique=True)
    name = models.CharField("节日", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "法定节假日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class AdjustedWorkday(models.Model):
    """An adjusted working day (调休上班): a weekend day that is worked."""

    calendar_year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="adjusted_workdays",
        verbose_name="年度",
    )
    date = models.DateField("日期", unique=True)
    name = models.CharField("调休所属节日", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "调休上班日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}（上班）"
