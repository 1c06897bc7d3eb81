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


class CalendarRecompute(models.Model):
    """The background recomputation of open cases' due dates after one edit of a year (L-CAL).

    `services.set_year` commits the calendar and this row together, then a Huey task works
    through the open cases in id order, one short transaction per batch: every row with an
    id above `cursor` (up to `until_id`), or listed in `retry`, still has the due date of the
    previous calendar. A newer revision of the same year supersedes a job still running.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在重新计算"
        DONE = "done", "已完成"
        SUPERSEDED = "superseded", "已被新版本取代"

    year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveIntegerField("日历版本")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    # Open cases to visit (counted when the edit committed) and how many were visited.
    total = models.PositiveIntegerField("待重新计算办件数", default=0)
    done = models.PositiveIntegerField("已重新计算办件数", default=0)
    changed = models.PositiveIntegerField("期限有变化的办件数", default=0)
    batches = models.PositiveIntegerField("批次数", default=0)
    # Every open case with cursor < id <= until_id is still to be visited; cases created after
    # the edit were computed with the new calendar already.
    cursor = models.BigIntegerField("已处理到的办件ID", default=0)
    until_id = models.BigIntegerField("最大办件ID", default=0)
    # Ids skipped because another writer held the row; visited again once the range is done.
    retry = models.JSONField("待重试的办件ID", default=list, blank=True)
    error = models.TextField("上次错误", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="修改人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    # Written with every batch: a job whose heartbeat stopped is resumed (tasks.resume).
    heartbeat_at = models.DateTimeField("最近进展", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "期限重新计算"
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "year"], name="workdays_recompute_state")]

    def __str__(self):
        return f"{self.year}年第{self.revision}版日历的期限重新计算"

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if not self.active else 0
        return min(100, self.done * 100 // self.total)
