"""Home panel: reminds center administrators to enter the State Council notice (L-CAL)."""

from django.urls import reverse
from django.utils import timezone

from zwfw.core.home import Panel
from zwfw.core.permissions import Role, has_role
from zwfw.workdays import selectors


def calendar_panel(user, *, today=None) -> Panel | None:
    if not has_role(user, Role.CENTER_ADMIN):
        return None
    today = today or timezone.localdate()
    missing = selectors.missing_official_years(today=today)
    if not missing:
        return None
    rows = []
    for year in missing:
        if year == today.year:
            text = f"{year}年尚无正式节假日安排，期限暂按周末推算：请尽快录入"
            level = "red"
        else:
            text = f"请录入下一年度节假日安排（{year}年）"
            level = "yellow"
        rows.append(
            {
                "text": text,
                "url": reverse("workdays:edit_year", args=[year]),
                "level": level,
                "meta": "国务院办公厅通知",
            }
        )
    return Panel(title="工作日历", rows=rows, link=reverse("workdays:calendar"), order=90)
