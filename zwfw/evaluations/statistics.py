"""The national 好差评 indicators per staff member, window, department, item or center, by
month (NATIONAL.md; TW-10 for the 12345 column). Reads only: a handful of GROUP BY queries
over stored, indexed columns; the rating counts and the trend read the rollup RatingCount
(zwfw.evaluations.rollups, R-21), whatever the number of ratings.

- 好评率 = good (非常满意 + 满意 + 基本满意, 5 to 3 stars) / ratings counted; bad reviews
  (1 and 2 stars) count whether their rater was verified or not (the unverified column says
  how many were not);
- 主动评价好评率 = good ratings actively given / ratings actively given (defaults left out);
- 未评价率 = completed cases without an active rating / completed cases, by month of
  completion (a case whose only rating is the default 基本满意 counts as unrated: the default
  says nobody rated it);
- 整改率 = closed tickets / tickets; 按时整改率 = tickets closed with every step on time /
  closed tickets.
Ratings excluded by an upheld appeal count nowhere except the 申诉核减 column.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.permissions import department_scope, has_role_anywhere
from zwfw.evaluations.models import (
    BAD_TAGS,
    EvaluationTag,
    RatingCount,
    Rectification,
    RectificationStatus,
    Tag,
)
from zwfw.evaluations.selectors import VIEW_ROLES, scope_q


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    column: str  # on Evaluation
    case_column: str | None  # on Case (None: cases are not tied to it)


DIMENSIONS = {
    "department": Dimension("department", "部门", "department_id", "department_id"),
    "staff": Dimension("staff", "工作人员", "staff_id", "received_by__person__id"),
    "window": Dimension("window", "窗口", "window_id", None),
    "item": Dimension("item", "事项", "item_id", "item_id"),
    "center": Dimension("center", "中心", "center_id", "center_id"),
}


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage with two decimals; None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100.0 * numerator / denominator, 2)


@dataclass
class Row:
    key: int | None
    name: str = ""
    total: int = 0
    good: int = 0
    active: int = 0
    active_good: int = 0
    defaults: int = 0
    excluded: int = 0
    unverified: int = 0
    completed: int = 0
    unrated: int = 0
    tickets: int = 0
    closed: int = 0
    on_time: int = 0
    hotline_total: int = 0
    hotline_complaints: int = 0
    tags: dict = field(default_factory=dict)

    @property
    def bad(self) -> int:
        return self.total - self.good

    @property
    def good_rate(self) -> float | None:
        return rate(self.good, self.total)

    @property
    def active_good_rate(self) -> float | None:
        return rate(self.active_good, self.active)

    @property
    def unrated_rate(self) -> float | None:
        return rate(self.unrated, self.completed)

    @property
    def rectification_rate(self) -> float | None:
        return rate(self.closed, self.tickets)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.closed)

    def tag_list(self) -> list[int]:
        return [self.tags.get(t, 0) for t in BAD_TAGS]

    def add(self, other: "Row") -> None:
        for name in (
            "total",
            "good",
            "active",
            "active_good",
            "defaults",
            "excluded",
            "unverified",
            "completed",
            "unrated",
            "tickets",
            "closed",
            "on_time",
            "hotline_total",
            "hotline_complaints",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for tag, n in other.tags.items():
            self.tags[tag] = self.tags.get(tag, 0) + n


@dataclass
class Report:
    dimension: Dimension
    start: datetime.date
    end: datetime.date
    rows: list[Row]
    total: Row
    trend: list[dict]
    tags: list[dict]
    hotline: bool


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def _hotline(dimension: str, start: datetime.date, end: datetime.date) -> dict | None:
    """12345 tickets per key from the supervision app (TW-10)."""
    from zwfw.supervision.selectors import hotline_counts

    return hotline_counts(dimension, start, end)


def _sum(condition=None):
    return Coalesce(Sum("n", filter=condition), 0)


def _ratings(q, dim, start, end) -> dict:
    # From the rollup RatingCount (zwfw.evaluations.rollups, R-21): one small GROUP BY.
    # Aggregates are named n_*: "good" or "excluded" would shadow the columns they filter on.
    counted = Q(excluded=False)
    rows = (
        RatingCount.objects.filter(q, month__range=(start, end))
        .values(dim.column)
        .annotate(
            n_total=_sum(counted),
            n_good=_sum(counted & Q(good=True)),
            n_active=_sum(counted & Q(is_default=False)),
            n_active_good=_sum(counted & Q(is_default=False, good=True)),
            n_defaults=_sum(counted & Q(is_default=True)),
            n_excluded=_sum(Q(excluded=True)),
            # Issue 11 point 6: bad reviews whose rater was not verified (no ticket).
            n_unverified=_sum(counted & Q(good=False, verified=False)),
        )
        .order_by()
    )
    return {r.pop(dim.column): {k[2:]: v for k, v in r.items()} for r in rows}


# The CaseCompletionCount column of each dimension that ties cases to it.
_COMPLETION_COLUMN = {
    "department": "department_id",
    "staff": "staff_id",
    "item": "item_id",
    "center": "center_id",
}


def _cases(user, dim, start, end) -> dict:
    # Completed and unrated cases by month of completion, from the rollup CaseCompletionCount
    # (zwfw.cases.rollups, R-21): a case counts as rated once it has an active rating.
    from zwfw.cases.models import CaseCompletionCount

    if dim.case_column is None:
        return {}
    column = _COMPLETION_COLUMN[dim.code]
    rows = (
        CaseCompletionCount.objects.filter(scope_q(user), month__range=(start, end))
        .values(column)
        .annotate(completed=_sum(), unrated=_sum(Q(rated=False)))
        .filter(completed__gt=0)
        .order_by()
    )
    return {r.pop(column): r for r in rows}


def _tickets(q, dim, start, end) -> dict:
    column = f"evaluation__{dim.column}"
    rows = (
        Rectification.objects.filter(q, evaluation__month__range=(start, end))
        .exclude(status=RectificationStatus.EXCLUDED)
        .values(column)
        .annotate(
            n_tickets=Count("id"),
            n_closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
            n_on_time=Count("id", filter=Q(status=RectificationStatus.CLOSED, on_time=True)),
        )
        .order_by()
    )
    return {r.pop(column): {k[2:]: v for k, v in r.items()} for r in rows}


def _tag_counts(user, dim, start, end) -> dict:
    column = f"evaluation__{dim.column}"
    q = scope_q(user, department="evaluation__department_id", center="evaluation__center_id")
    rows = (
        EvaluationTag.objects.filter(
            q,
            evaluation__month__range=(start, end),
            evaluation__excluded=False,
            evaluation__good=False,
        )
        .values(column, "tag")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict = {}
    for r in rows:
        out.setdefault(r[column], {})[r["tag"]] = r["n"]
    return out


def _names(dim, keys) -> dict:
    from zwfw.catalog.models import ServiceItem
    from zwfw.org.models import Department, Person, ServiceCenter, Window

    ids = [k for k in keys if k is not None]
    if not ids:
        return {}
    if dim.code == "window":
        rows = Window.objects.filter(pk__in=ids).select_related("center")
        return {w.pk: f"{w.center.name} {w.number}号 {w.name}" for w in rows}
    if dim.code == "staff":
        rows = Person.objects.filter(pk__in=ids).select_related("department")
        return {p.pk: f"{p.name}（{p.department.short_name or p.department.name}）" for p in rows}
    model = {"department": Department, "item": ServiceItem, "center": ServiceCenter}[dim.code]
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))


UNKNOWN = {
    "department": "（未关联部门）",
    "staff": "（未关联工作人员）",
    "window": "（网上或未关联窗口）",
    "item": "（未关联事项）",
    "center": "（未关联中心）",
}


def _trend(q, end: datetime.date) -> list[dict]:
    first = add_months(end, -11)
    counted = Q(excluded=False)
    found = {
        r["month"]: r
        for r in RatingCount.objects.filter(q, month__range=(first, end))
        .values("month")
        .annotate(
            n_total=_sum(counted),
            n_good=_sum(counted & Q(good=True)),
            n_active=_sum(counted & Q(is_default=False)),
            n_active_good=_sum(counted & Q(is_default=False, good=True)),
        )
        .order_by()
    }
    out = []
    for i in range(12):
        month = add_months(first, i)
        r = {k[2:]: v for k, v in found.get(month, {}).items() if k.startswith("n_")}
        out.append(
            {
                "month": month.strftime("%Y-%m"),
                "total": r.get("total", 0),
                "bad": r.get("total", 0) - r.get("good", 0),
                "good_rate": rate(r.get("good", 0), r.get("total", 0)),
                "active_good_rate": rate(r.get("active_good", 0), r.get("active", 0)),
            }
        )
    return out


def report(
    user, *, dimension: str, start: datetime.date, end: datetime.date | None = None
) -> Report:
    """Indicators per `dimension` for the months start..end (first days of months)."""
    if not has_role_anywhere(user, *VIEW_ROLES):
        raise Forbidden("需要中心、部门管理员或督查、审计等角色才能查看好差评统计")
    dim = DIMENSIONS.get(dimension)
    if dim is None:
        raise RuleViolation(
            "invalid", "统计维度须为 department、staff、window、item 或 center", field="dimension"
        )
    start = start.replace(day=1)
    end = (end or start).replace(day=1)
    if end < start or add_months(start, 24) <= end:
        raise RuleViolation("invalid", "统计月份须为连续的1至24个月", field="end")
    q = scope_q(user)
    found: dict = {}

    def row(key) -> Row:
        return found.setdefault(key, Row(key=key))

    for key, values in _ratings(q, dim, start, end).items():
        r = row(key)
        for name, value in values.items():
            setattr(r, name, value)
    for key, values in _cases(user, dim, start, end).items():
        row(key).completed, row(key).unrated = values["completed"], values["unrated"]
    for key, values in _tickets(q, dim, start, end).items():
        r = row(key)
        r.tickets, r.closed, r.on_time = values["tickets"], values["closed"], values["on_time"]
    for key, tags in _tag_counts(user, dim, start, end).items():
        row(key).tags = tags
    hotline = _hotline(dim.code, start, month_end(end))
    if hotline is not None:
        # hotline_counts is not scoped: keep keys the reader sees anyway, plus their own
        # departments (a department with tickets but no rating still shows).
        visible = set(found)
        if dim.code == "department":
            scope = department_scope(user, *VIEW_ROLES)
            visible |= set(hotline) if scope is None else (set(scope) & set(hotline))
        for key, counts in hotline.items():
            if key in visible:
                r = row(key)
                r.hotline_total, r.hotline_complaints = counts["total"], counts["complaints"]
    names = _names(dim, found.keys())
    total = Row(key=None, name="合计")
    for key, r in found.items():
        r.name = names.get(key, UNKNOWN[dim.code]) if key is not None else UNKNOWN[dim.code]
        total.add(r)
    rows = sorted(found.values(), key=lambda r: (-r.total, r.name))
    tag_totals = [
        {"tag": t.value, "label": str(t.label), "count": total.tags.get(t.value, 0)}
        for t in Tag
        if t.value in BAD_TAGS
    ]
    return Report(
        dimension=dim,
        start=start,
        end=end,
        rows=rows,
        total=total,
        trend=_trend(q, end),
        tags=tag_totals,
        hotline=hotline is not None,
    )


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def xlsx_rows(rep: Report):
    """The sheet of a report: one row per key, then the total."""
    for r in [*rep.rows, rep.total]:
        yield [
            r.name,
            r.total,
            r.good,
            r.bad,
            r.unverified,
            pct(r.good_rate),
            r.active,
            pct(r.active_good_rate),
            r.defaults,
            r.excluded,
            r.completed,
            r.unrated,
            pct(r.unrated_rate),
            r.tickets,
            r.closed,
            pct(r.rectification_rate),
            r.on_time,
            pct(r.on_time_rate),
            *r.tag_list(),
            *([r.hotline_total, r.hotline_complaints] if rep.hotline else []),
        ]


def xlsx_headers(rep: Report) -> list[str]:
    return [
        rep.dimension.label,
        "评价数",
        "好评数",
        "差评数",
        "其中未核验差评",
        "好评率",
        "主动评价数",
        "主动评价好评率",
        "默认评价数",
        "申诉核减数",
        "办结件数",
        "未评价件数",
        "未评价率",
        "差评整改单",
        "已整改办结",
        "整改率",
        "按时整改",
        "按时整改率",
        *[str(Tag(t).label) for t in BAD_TAGS],
        *(["12345工单", "12345投诉"] if rep.hotline else []),
    ]
