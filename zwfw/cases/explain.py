"""Explain a due date in words (ARCHITECTURE.md, Lessons: start, days counted, days skipped
and why, pauses, extension). Pure: takes a calendar snapshot, no queries."""

import datetime
from collections import OrderedDict

DAY = datetime.timedelta(days=1)


def skipped_days(cal, start: datetime.date, end: datetime.date) -> list[str]:
    """Non-working days in (start, end], grouped: weekends counted, holidays named, and the
    adjusted working days (调休上班) that were counted although on a weekend."""
    weekends = 0
    holidays: OrderedDict[str, list[datetime.date]] = OrderedDict()
    adjusted: list[datetime.date] = []
    day = start + DAY
    while day <= end:
        info = cal.day_info(day)
        if info.kind == "weekend":
            weekends += 1
        elif info.kind == "holiday":
            holidays.setdefault(info.name or "法定节假日", []).append(day)
        elif info.kind == "adjusted_workday":
            adjusted.append(day)
        day += DAY
    lines = []
    if weekends:
        lines.append(f"跳过周末{weekends}天")
    for name, days in holidays.items():
        lines.append(
            f"跳过法定节假日“{name}”{days[0]:%m月%d日}至{days[-1]:%m月%d日}共{len(days)}天"
        )
    if adjusted:
        lines.append("计入调休上班日：" + "、".join(f"{d:%m月%d日}" for d in adjusted))
    return lines


def explain(
    cal,
    *,
    accepted_on: datetime.date | None,
    due_date: datetime.date | None,
    limit_days: int,
    extension_days: int,
    pauses: list[dict],
    provisional: bool,
) -> list[str]:
    if accepted_on is None or due_date is None:
        return []
    paused = sum(p["days"] or 0 for p in pauses)
    open_pause = next((p for p in pauses if p["end"] is None), None)
    lines = [
        f"自受理之日{accepted_on:%Y年%m月%d日}的次日起计算（受理当日不计）",
        f"办理时限{limit_days}个工作日",
    ]
    if extension_days:
        lines.append(f"经批准延长{extension_days}个工作日")
    for p in pauses:
        end = f"至{p['end']:%Y年%m月%d日}，不计{p['days']}个工作日" if p["end"] else "起，尚未恢复"
        lines.append(f"因{p['reason_label']}自{p['start']:%Y年%m月%d日}{end}")
    if open_pause:
        lines.append("暂停期间的工作日逐日顺延，恢复计时后确定")
    total = limit_days + extension_days + paused
    lines.append(f"共计{total}个工作日（不含暂停中的天数），期限为{due_date:%Y年%m月%d日}")
    lines.extend(skipped_days(cal, accepted_on, due_date))
    if provisional:
        lines.append(
            "预计（日历未正式发布）：期限跨越尚未发布官方工作日历的年份，发布后将自动重新计算"
        )
    return lines
