"""R-21 attendance: the clock-in export's layout and how a day's punches become a status.
Pure (no queries): services.import_attendance reads the sheet with `parse_sheet`, resolves
people and days against the database, and judges each day with `judge`.

The clock-in system's export (one row per person and day):

    姓名 | 身份证号后四位 | 工号 | 日期 | 签到 | 签退 | 备注

A person is found by 工号 (their platform account) when given, else by 姓名 together with
the last four characters of their ID number. 签到/签退 are times (08:52, 8:52:10, an Excel
time or date-time); both empty is a day without any punch.

Judging a working day against the center's hours (WorkingHours, default 9:00–12:00 and
13:30–17:30, no grace):
- no punch at all: 请假 when approved leave covers the day, else 旷工;
- 签到 after the morning start plus the grace minutes: 迟到 (minutes counted from the start);
  no 签到 but a 签退: 迟到 with the note 未签到;
- 签退 before the afternoon end: 早退 (minutes counted to the end); a 签到 but no 签退:
  早退 with the note 未签退;
- both late and early: 迟到且早退; otherwise 出勤.
Days that are not working days (zwfw.workdays.calendar) are not attendance days: their rows
are skipped and counted, never judged.
"""

import datetime
import re
from dataclasses import dataclass

from zwfw.documents.xlsx import cell_text

HEADER = ["姓名", "身份证号后四位", "工号", "日期", "签到", "签退", "备注"]
REQUIRED = ("姓名", "日期", "签到", "签退")
MAX_ROWS = 50_000  # a month of 2,000 residents; larger exports go in parts


@dataclass(frozen=True)
class Hours:
    morning_start: datetime.time
    morning_end: datetime.time
    afternoon_start: datetime.time
    afternoon_end: datetime.time
    grace_minutes: int = 0

    def __str__(self):
        grace = f"，宽限{self.grace_minutes}分钟" if self.grace_minutes else ""
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}，"
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}{grace}"
        )


DEFAULT_WORKING_HOURS = Hours(
    datetime.time(9, 0), datetime.time(12, 0), datetime.time(13, 30), datetime.time(17, 30)
)


@dataclass
class Row:
    """One parsed sheet row (before the person and day are resolved)."""

    number: int
    name: str
    id_last4: str
    account: str
    date: datetime.date
    sign_in: datetime.time | None
    sign_out: datetime.time | None
    note: str


class RowError(Exception):
    def __init__(self, number: int, column: str, message: str):
        super().__init__(f"第{number}行「{column}」：{message}")
        self.number, self.column, self.message = number, column, message

    def __str__(self):
        return f"第{self.number}行「{self.column}」：{self.message}"


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial date
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = cell_text(value)
    m = _DATE.match(text)
    if not m:
        raise ValueError("日期格式应为 2025-10-08")
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"没有{text}这一天") from None


def parse_time(value) -> datetime.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0)
    if isinstance(value, int | float) and 0 <= value < 1:  # an Excel time fraction
        seconds = round(value * 86400)
        return datetime.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    text = cell_text(value)
    if not text:
        return None
    m = _TIME.match(text)
    if not m or int(m[1]) > 23 or int(m[2]) > 59 or int(m[3] or 0) > 59:
        raise ValueError("时间格式应为 08:55 或 08:55:00")
    return datetime.time(int(m[1]), int(m[2]), int(m[3] or 0))


def parse_sheet(rows) -> tuple[list[Row], list[RowError]]:
    """(rows, errors) from read_rows' (number, values) pairs; the first non-empty row is the
    header. Every bad cell gives an error; nothing stops at the first one."""
    errors: list[RowError] = []
    out: list[Row] = []
    columns: dict[str, int] | None = None
    for number, values in rows:
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        if columns is None:
            columns = {t: i for i, t in enumerate(texts) if t}
            missing = [c for c in REQUIRED if c not in columns]
            if "身份证号后四位" not in columns and "工号" not in columns:
                missing.append("身份证号后四位或工号")
            if missing:
                errors.append(RowError(number, "表头", f"缺少列：{'、'.join(missing)}"))
                return [], errors
            continue
        if len(out) >= MAX_ROWS:
            errors.append(RowError(number, "行数", f"一次最多导入{MAX_ROWS}行，请分批导入"))
            break

        def cell(column, values=values, columns=columns):
            i = columns.get(column)
            return values[i] if i is not None and i < len(values) else None

        row_errors = []
        name = cell_text(cell("姓名"))
        last4 = cell_text(cell("身份证号后四位")).upper()
        account = cell_text(cell("工号"))
        if not name:
            row_errors.append(RowError(number, "姓名", "不能为空"))
        if not account and not re.fullmatch(r"\d{3}[\dX]", last4):
            row_errors.append(RowError(number, "身份证号后四位", "应为4位（数字或X）；或填写工号"))
        day = sign_in = sign_out = None
        try:
            day = parse_date(cell("日期"))
        except ValueError as exc:
            row_errors.append(RowError(number, "日期", str(exc)))
        for column in ("签到", "签退"):
            try:
                value = parse_time(cell(column))
            except ValueError as exc:
                row_errors.append(RowError(number, column, str(exc)))
                continue
            if column == "签到":
                sign_in = value
            else:
                sign_out = value
        if sign_in and sign_out and sign_out <= sign_in:
            row_errors.append(RowError(number, "签退", "签退时间应晚于签到时间"))
        if row_errors:
            errors.extend(row_errors)
            continue
        out.append(
            Row(number, name, last4, account, day, sign_in, sign_out, cell_text(cell("备注")))
        )
    if columns is None:
        errors.append(RowError(1, "表头", "文件中没有数据"))
    return out, errors


def _minutes(a: datetime.time, b: datetime.time) -> int:
    """Whole minutes from a to b (b later)."""
    d = datetime.date(2000, 1, 1)
    return int((datetime.datetime.combine(d, b) - datetime.datetime.combine(d, a)).seconds // 60)


def judge(
    hours: Hours,
    sign_in: datetime.time | None,
    sign_out: datetime.time | None,
    *,
    on_leave: bool = False,
) -> dict:
    """{status, minutes_late, minutes_early, note} of one working day's punches."""
    if sign_in is None and sign_out is None:
        if on_leave:
            return {"status": "leave", "minutes_late": 0, "minutes_early": 0, "note": "已批准请假"}
        return {"status": "absent", "minutes_late": 0, "minutes_early": 0, "note": "无打卡记录"}
    notes = []
    late = early = 0
    is_late = is_early = False
    limit = (
        datetime.datetime.combine(datetime.date(2000, 1, 1), hours.morning_start)
        + datetime.timedelta(minutes=hours.grace_minutes)
    ).time()
    if sign_in is None:
        is_late = True
        notes.append("未签到")
    elif sign_in > limit:
        is_late = True
        late = _minutes(hours.morning_start, sign_in)
    if sign_out is None:
        is_early = True
        notes.append("未签退")
    elif sign_out < hours.afternoon_end:
        is_early = True
        early = _minutes(sign_out, hours.afternoon_end)
    status = {
        (False, False): "present",
        (True, False): "late",
        (False, True): "early",
        (True, True): "late_early",
    }[(is_late, is_early)]
    return {
        "status": status,
        "minutes_late": min(late, 32767),
        "minutes_early": min(early, 32767),
        "note": "，".join(notes),
    }
