"""Reads of the first-inquiry log (R-16): the list in the reader's scope and the counts per
window and per staff member by month (a fixed number of queries, none per row)."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from zwfw.cases.models_docs import Inquiry
from zwfw.cases.services.base import HANDLING_ROLES
from zwfw.core.errors import NotFound
from zwfw.core.permissions import Role, require_role_anywhere, scope_q

READ_ROLES = (*HANDLING_ROLES, Role.SUPERVISOR)


def may_read(user) -> bool:
    from zwfw.core.permissions import has_role_anywhere

    return has_role_anywhere(user, *READ_ROLES)


def visible_inquiries(user, *, window_id: int | None = None, year: int | None = None):
    require_role_anywhere(user, *READ_ROLES)
    qs = Inquiry.objects.filter(scope_q(user, READ_ROLES)).select_related(
        "window",
        "answered_by",
        "item",
        "department",
        "referred_to_window",
        "referred_to_department",
    )
    if window_id is not None:
        qs = qs.filter(window_id=window_id)
    if year is not None:
        qs = qs.filter(asked_on__year=year)
    return qs.order_by("-asked_at", "-id")


def inquiry_for(user, pk: int) -> Inquiry:
    found = visible_inquiries(user).select_related("center", "item__department").filter(pk=pk)
    inquiry = found.first()
    if inquiry is None:
        raise NotFound("未找到该首问登记")
    return inquiry


def _table(rows, key: str, label) -> list[dict]:
    """Rows {key, month, n, notices, referred} folded into one line per key with 12 months."""
    lines: dict = {}
    for r in rows:
        line = lines.setdefault(
            r[key],
            {"label": label(r), "months": [0] * 12, "total": 0, "notices": 0, "referred": 0},
        )
        line["months"][r["month"] - 1] += r["n"]
        line["total"] += r["n"]
        line["notices"] += r["notices"]
        line["referred"] += r["referred"]
    return sorted(lines.values(), key=lambda line: (-line["total"], line["label"]))


def monthly_counts(user, year: int) -> dict:
    """Counts by month per window and per staff member (two grouped queries)."""
    base = visible_inquiries(user, year=year).order_by()
    measures = {
        "n": Count("id"),
        "notices": Count("id", filter=Q(notice_given=True)),
        "referred": Count(
            "id",
            filter=Q(referred_to_window__isnull=False) | Q(referred_to_department__isnull=False),
        ),
    }
    by_window = (
        base.annotate(month=ExtractMonth("asked_on"))
        .values("window_id", "window__number", "window__name", "month")
        .annotate(**measures)
    )
    by_staff = (
        base.annotate(month=ExtractMonth("asked_on"))
        .values("answered_by_id", "answered_by__name", "department__name", "month")
        .annotate(**measures)
    )

    def window_label(r):
        if r["window_id"] is None:
            return "（未指定窗口）"
        return f"{r['window__number']}号 {r['window__name']}"

    windows = _table(list(by_window), "window_id", window_label)
    staff = _table(
        list(by_staff),
        "answered_by_id",
        lambda r: f"{r['answered_by__name']}（{r['department__name']}）",
    )
    return {"windows": windows, "staff": staff, "total": sum(w["total"] for w in windows)}
