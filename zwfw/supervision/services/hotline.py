"""Writes of 12345 hotline feedback (TW-10): one ticket, a batch, or an .xlsx sheet.

All three go through `save_hotline`: every row is checked in memory against look-ups made
once per call (cases, departments, staff, windows, existing tickets), then new tickets are
inserted and changed ones updated with one statement each, so the number of statements does
not grow with the rows. Any bad row saves nothing (`HotlineRejected` lists every one). A
ticket number seen before updates that ticket: repeating a call or an import adds nothing.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from zwfw.cases.models import Case
from zwfw.core import audit, fastsql
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import has_role, require_role, require_role_anywhere
from zwfw.core.validators import clean_date_range, clean_phone
from zwfw.documents.xlsx import XlsxError, cell_text, read_rows
from zwfw.org.models import Department, Person, Window
from zwfw.supervision import access, conf
from zwfw.supervision.models import HotlineFeedback, HotlineKind, HotlineStatus

MAX_CONTENT = 5000
# Columns a ticket row is compared on to tell "unchanged" from "updated".
COMPARED = [
    "received_on",
    "kind",
    "content",
    "caller_phone",
    "case_id",
    "staff_id",
    "department_id",
    "center_id",
    "item_id",
    "window_id",
    "status",
    "resolution",
    "replied_on",
]
INSERTED = ["ticket_number", *COMPARED, "source", "created_by_id", "created_at", "updated_at"]
UPDATED = [*COMPARED, "updated_at"]


@dataclass
class HotlineRow:
    """One ticket as given (API body, batch item or sheet row); values are parsed here."""

    ticket_number: str = ""
    received_on: object = None
    kind: str = ""
    content: str = ""
    caller_phone: str = ""
    case: str = ""  # case number
    department: str = ""  # department code or name
    staff: int | None = None  # person id
    staff_name: str = ""  # or the staff member's name within the department
    window: str = ""  # window number at the department's center
    status: str = ""
    resolution: str = ""
    replied_on: object = None
    row: int = 0  # the sheet's row number, or the position in a batch (from 1)


@dataclass
class HotlineResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    tickets: list[HotlineFeedback] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


class HotlineRejected(RuleViolation):
    """Some rows are wrong; nothing was saved. `errors` lists every problem with its row."""

    def __init__(self, errors: list[dict], single: bool = False):
        if single:
            first = errors[0]
            super().__init__(
                first["code"],
                first["message"],
                field=first.get("field"),
                status=403 if first["code"] == "forbidden" else None,
            )
        else:
            rows = len({e["row"] for e in errors})
            super().__init__(
                "import_invalid",
                f"共有{rows}行数据有误，未保存任何工单；请修改后重新提交",
                field="items",
            )
        self.errors = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


def parse_date(value, field: str) -> datetime.date | None:
    """A date from ISO text, 2026/3/2, 2026年3月2日, a datetime or an Excel serial number."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # Excel's day count from 1899-12-30 (1954–2119)
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        raise RuleViolation("invalid", "日期格式不正确，应为YYYY-MM-DD", field=field)
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text)
    if not match:
        raise RuleViolation("invalid", "日期格式不正确，应为YYYY-MM-DD", field=field)
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise RuleViolation("invalid", f"日期“{text}”不存在", field=field)


def _choice(value: str, choices, field: str, label: str, default: str = "") -> str:
    value = (value or "").strip()
    if not value:
        if default:
            return default
        raise RuleViolation("invalid", f"缺少{label}", field=field)
    for v, text in choices:
        if value in (v, str(text)):
            return v
    names = "、".join(str(t) for _v, t in choices)
    raise RuleViolation("invalid", f"{label}须为{names}之一", field=field)


class _Lookups:
    """Everything the rows refer to, fetched once per call (one query per table)."""

    def __init__(self, rows: list[HotlineRow]):
        numbers = {r.case.strip() for r in rows if r.case and r.case.strip()}
        self.cases = {
            c.number: c
            for c in Case.objects.filter(number__in=numbers).only(
                "id", "number", "department_id", "center_id", "item_id"
            )
        }
        keys = {r.department.strip() for r in rows if r.department and r.department.strip()}
        found = (
            Department.objects.filter(code__in=keys) | Department.objects.filter(name__in=keys)
        ).select_related("center")
        self.departments: dict[str, Department] = {}
        self.department_by_id: dict[int, Department] = {}
        for d in found:
            self.departments.setdefault(d.code, d)
            self.departments.setdefault(d.name, d)
            self.department_by_id[d.pk] = d
        ids = {r.staff for r in rows if r.staff}
        names = {r.staff_name.strip() for r in rows if r.staff_name and r.staff_name.strip()}
        people = Person.objects.filter(pk__in=ids) | Person.objects.filter(name__in=names)
        self.people_by_id: dict[int, Person] = {}
        self.people_by_name: dict[str, list[Person]] = {}
        for p in people.select_related("department__center"):
            self.people_by_id[p.pk] = p
            self.people_by_name.setdefault(p.name, []).append(p)
        for p in self.people_by_id.values():
            self.department_by_id.setdefault(p.department_id, p.department)
        windows = {r.window.strip() for r in rows if r.window and r.window.strip()}
        self.windows = {
            (w.center_id, w.number): w for w in Window.objects.filter(number__in=windows)
        }
        tickets = [r.ticket_number.strip() for r in rows if r.ticket_number]
        self.existing = {
            t.ticket_number: t for t in HotlineFeedback.objects.filter(ticket_number__in=tickets)
        }
        # Departments of linked cases and of tickets being updated, for scope checks.
        wanted = {c.department_id for c in self.cases.values()}
        wanted |= {t.department_id for t in self.existing.values() if t.department_id}
        missing = wanted - set(self.department_by_id)
        for d in Department.objects.filter(pk__in=missing).select_related("center"):
            self.department_by_id[d.pk] = d


def _resolve(row: HotlineRow, look: _Lookups, today: datetime.date) -> dict:
    """One row's column values; raises RuleViolation for the first problem."""
    ticket = (row.ticket_number or "").strip()
    if not ticket:
        raise RuleViolation("invalid", "缺少工单编号", field="ticket_number")
    if len(ticket) > 40:
        raise RuleViolation("invalid", "工单编号最多40个字符", field="ticket_number")
    received_on = parse_date(row.received_on, "received_on")
    if received_on is None:
        raise RuleViolation("invalid", "缺少受理日期", field="received_on")
    if received_on > today:
        raise RuleViolation("invalid", "受理日期不能晚于今天", field="received_on")
    # 0001-01-01 is a slip or a probe: refused with the allowed range (issue 11 point 12).
    clean_date_range(received_on, "received_on", label="受理日期", today=today)
    content = (row.content or "").strip()
    if not content:
        raise RuleViolation("invalid", "缺少诉求内容", field="content")
    if len(content) > MAX_CONTENT:
        raise RuleViolation("invalid", f"诉求内容最多{MAX_CONTENT}字", field="content")
    phone = (row.caller_phone or "").strip()
    phone = clean_phone(phone, field="caller_phone") if phone else ""
    replied_on = parse_date(row.replied_on, "replied_on")
    if replied_on is not None and replied_on < received_on:
        raise RuleViolation("invalid", "答复日期不能早于受理日期", field="replied_on")
    if replied_on is not None:
        clean_date_range(replied_on, "replied_on", label="答复日期", today=today)
    values = {
        "ticket_number": ticket,
        "received_on": received_on,
        "kind": _choice(row.kind, HotlineKind.choices, "kind", "诉求类型"),
        "content": content,
        "caller_phone": phone,
        "status": _choice(
            row.status, HotlineStatus.choices, "status", "办理状态", HotlineStatus.PENDING
        ),
        "resolution": (row.resolution or "").strip(),
        "replied_on": replied_on,
    }
    values.update(_links(row, look))
    return values


def _links(row: HotlineRow, look: _Lookups) -> dict:
    """Case, department, staff, center, item and window: the case decides what it can (TW-10)."""
    case = department = staff = window = None
    number = (row.case or "").strip()
    if number:
        case = look.cases.get(number)
        if case is None:
            raise RuleViolation("invalid", f"未找到办件“{number}”", field="case")
    key = (row.department or "").strip()
    if key:
        department = look.departments.get(key)
        if department is None:
            raise RuleViolation("invalid", f"未找到部门“{key}”", field="department")
    if case is not None:
        if department is not None and department.pk != case.department_id:
            raise RuleViolation(
                "invalid", "工单的责任部门与关联办件的办理部门不一致", field="department"
            )
        department = look.department_by_id[case.department_id]
    if row.staff:
        staff = look.people_by_id.get(row.staff)
        if staff is None:
            raise RuleViolation("invalid", f"未找到编号为{row.staff}的工作人员", field="staff")
    elif (row.staff_name or "").strip():
        name = row.staff_name.strip()
        found = look.people_by_name.get(name, [])
        if department is not None:
            found = [p for p in found if p.department_id == department.pk]
        if not found:
            raise RuleViolation("invalid", f"未找到工作人员“{name}”", field="staff")
        if len(found) > 1:
            raise RuleViolation(
                "invalid", f"有多名工作人员名为“{name}”，请填写人员编号", field="staff"
            )
        staff = found[0]
    if department is None and staff is not None:
        department = staff.department
    number = (row.window or "").strip()
    if number:
        if department is None or department.center_id is None:
            raise RuleViolation("invalid", "填写窗口号时须能确定责任部门及其中心", field="window")
        window = look.windows.get((department.center_id, number))
        if window is None:
            raise RuleViolation("invalid", f"未找到窗口“{number}”", field="window")
    return {
        "case_id": case.pk if case else None,
        "department_id": department.pk if department else None,
        "staff_id": staff.pk if staff else None,
        "window_id": window.pk if window else None,
        "center_id": (case.center_id if case else department.center_id if department else None),
        "item_id": case.item_id if case else None,
    }


def _insert(rows: list[dict]) -> None:
    # One statement run per row (core.fastsql): the query count does not grow with the sheet.
    fastsql.insert_each([HotlineFeedback(**{n: r[n] for n in INSERTED}) for r in rows])


def _update(rows: list[dict]) -> None:
    fastsql.update_each(
        [HotlineFeedback(pk=r["pk"], **{n: r[n] for n in UPDATED}) for r in rows], UPDATED
    )


def _check_rows(by, rows: list[HotlineRow], look: _Lookups, today) -> tuple[list, list]:
    errors, good, seen = [], [], {}
    allowed: dict = {}
    for row in rows:
        try:
            values = _resolve(row, look, today)
            ticket = values["ticket_number"]
            if ticket in seen:
                raise RuleViolation(
                    "duplicate", f"工单编号“{ticket}”与第{seen[ticket]}行重复", "ticket_number"
                )
            seen[ticket] = row.row
            dept = values["department_id"]
            old = look.existing.get(ticket)
            for d in {dept, old.department_id if old else None} - {None}:
                if d not in allowed:
                    allowed[d] = has_role(
                        by, *access.HOTLINE_WRITE_ROLES, department=look.department_by_id[d]
                    )
                if not allowed[d]:
                    raise RuleViolation("forbidden", "您无权登记该部门的12345工单", "department")
        except RuleViolation as exc:
            errors.append(
                {"row": row.row, "code": exc.code, "message": exc.message, "field": exc.field}
            )
            continue
        good.append(values)
    return good, errors


@transaction.atomic
def save_hotline(
    *, by, rows: list[HotlineRow], source: str = "api", label: str = "", single: bool = False
) -> HotlineResult:
    """Record 12345 tickets against case, staff member and department (TW-10); a ticket seen
    before is updated, never duplicated; any bad row saves nothing."""
    require_role_anywhere(by, *access.HOTLINE_WRITE_ROLES)
    if not rows:
        raise RuleViolation("invalid", "没有工单数据", field="items")
    if len(rows) > conf.hotline_max_rows():
        raise RuleViolation(
            "invalid", f"一次最多提交{conf.hotline_max_rows()}条工单", field="items"
        )
    for i, row in enumerate(rows, start=1):
        row.row = row.row or i
    now = timezone.now()
    look = _Lookups(rows)
    good, errors = _check_rows(by, rows, look, timezone.localdate(now))
    if errors:
        raise HotlineRejected(sorted(errors, key=lambda e: e["row"]), single=single)
    result = HotlineResult()
    new, changed, changes = [], [], []
    for values in good:
        old = look.existing.get(values["ticket_number"])
        if old is None:
            new.append(
                {
                    **values,
                    "source": source,
                    "created_by_id": by.pk,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            continue
        diff = {k: values[k] for k in COMPARED if getattr(old, k) != values[k]}
        if not diff:
            result.unchanged += 1
            continue
        changed.append({**values, "pk": old.pk, "updated_at": now})
        changes.append((old, diff))
    _insert(new)
    _update(changed)
    result.created, result.updated = len(new), len(changed)
    tickets = [v["ticket_number"] for v in good]
    if single:
        result.tickets = list(
            HotlineFeedback.objects.filter(ticket_number__in=tickets).select_related(
                "case", "staff", "department", "window"
            )
        )
        obj = result.tickets[0]
        if new or changed:
            audit.record(
                actor=by,
                action="record_hotline_feedback" if new else "update_hotline_feedback",
                obj=obj,
                before=_public(changes[0][0], changes[0][1]) if changes else None,
                after=_public_values(changes[0][1] if changes else new[0]),
            )
        return result
    audit.record(
        actor=by,
        action="import_hotline_feedback",
        object_type=HotlineFeedback._meta.label,
        object_repr=(label or {"xlsx": "Excel导入", "api": "批量接口"}.get(source, source))[:300],
        after={
            "source": source,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            # Up to 1,000 numbers: the chain names what an ordinary import touched.
            "tickets": tickets[:1000],
        },
    )
    return result


def _public_values(values: dict) -> dict:
    """Audit content without the caller's phone (the trail is read by auditors)."""
    return {k: v for k, v in values.items() if k in COMPARED and k != "caller_phone"}


def _public(old: HotlineFeedback, diff: dict) -> dict:
    return {k: getattr(old, k) for k in diff if k != "caller_phone"}


@transaction.atomic
def handle_hotline(
    *,
    by,
    feedback: HotlineFeedback,
    status: str,
    resolution: str,
    replied_on: datetime.date | None = None,
) -> HotlineFeedback:
    """The responsible department (or the office) records how a ticket was handled (TW-10)."""
    require_role(by, *access.HOTLINE_HANDLE_ROLES, department=feedback.department)
    feedback = HotlineFeedback.objects.select_for_update().get(pk=feedback.pk)
    status = _choice(status, HotlineStatus.choices, "status", "办理状态")
    resolution = (resolution or "").strip()
    if status == HotlineStatus.CLOSED and not resolution:
        raise RuleViolation("invalid", "办结工单须填写办理结果", field="resolution")
    if replied_on is not None:
        if replied_on > timezone.localdate():
            raise RuleViolation("invalid", "答复日期不能晚于今天", field="replied_on")
        if replied_on < feedback.received_on:
            raise RuleViolation("invalid", "答复日期不能早于受理日期", field="replied_on")
    before = {
        "status": feedback.status,
        "resolution": feedback.resolution,
        "replied_on": feedback.replied_on,
    }
    feedback.status, feedback.resolution, feedback.replied_on = status, resolution, replied_on
    feedback.updated_at = timezone.now()
    feedback.save(update_fields=["status", "resolution", "replied_on", "updated_at"])
    audit.record(
        actor=by,
        action="handle_hotline_feedback",
        obj=feedback,
        before=before,
        after={"status": status, "resolution": resolution, "replied_on": replied_on},
    )
    return feedback


# --- the .xlsx layout --------------------------------------------------------------------

# Header text → HotlineRow attribute; several spellings a 12345 export may use.
HEADERS = {
    "工单编号": "ticket_number",
    "工单号": "ticket_number",
    "受理日期": "received_on",
    "来电日期": "received_on",
    "诉求类型": "kind",
    "工单类型": "kind",
    "诉求内容": "content",
    "来电号码": "caller_phone",
    "联系电话": "caller_phone",
    "办件编号": "case",
    "关联办件编号": "case",
    "责任部门": "department",
    "部门代码": "department",
    "人员编号": "staff",
    "涉及工作人员": "staff_name",
    "工作人员": "staff_name",
    "窗口号": "window",
    "办理状态": "status",
    "办理结果": "resolution",
    "答复日期": "replied_on",
}
TEMPLATE_HEADERS = [
    "工单编号",
    "受理日期",
    "诉求类型",
    "诉求内容",
    "来电号码",
    "办件编号",
    "责任部门",
    "涉及工作人员",
    "窗口号",
    "办理状态",
    "办理结果",
    "答复日期",
]


def _header(values) -> dict[int, str] | None:
    found = {i: HEADERS[cell_text(v)] for i, v in enumerate(values) if cell_text(v) in HEADERS}
    return found if "ticket_number" in found.values() else None


def read_sheet(file) -> list[HotlineRow]:
    """The rows of an uploaded sheet (header row found among the first five rows)."""
    header, rows = None, []
    limit = conf.hotline_max_rows()
    try:
        for number, values in read_rows(file):
            if header is None:
                header = _header(values)
                if header is None and number >= 5:
                    break
                continue
            if not any(cell_text(v) for v in values):
                continue
            if len(rows) >= limit:
                raise RuleViolation("invalid", f"一次最多导入{limit}条工单", field="file")
            row = HotlineRow(row=number)
            for i, attr in header.items():
                value = values[i] if i < len(values) else None
                if attr in ("received_on", "replied_on"):
                    setattr(row, attr, value)
                elif attr == "staff":
                    text = cell_text(value)
                    row.staff = int(text) if text.isdigit() else None
                else:
                    setattr(row, attr, cell_text(value))
            rows.append(row)
    except XlsxError as exc:
        raise RuleViolation("invalid", str(exc), field="file")
    if header is None:
        raise RuleViolation(
            "invalid",
            "未找到表头：请使用本系统提供的12345工单导入模板（含“工单编号”列）",
            field="file",
        )
    if not rows:
        raise RuleViolation("invalid", "文件中没有数据行", field="file")
    return rows


def import_hotline(*, by, file) -> HotlineResult:
    """Import 12345 tickets from an .xlsx sheet: all rows or none, idempotent by ticket."""
    require_role_anywhere(by, *access.HOTLINE_WRITE_ROLES)
    rows = read_sheet(file)
    return save_hotline(
        by=by, rows=rows, source="xlsx", label=getattr(file, "name", "") or "Excel导入"
    )
