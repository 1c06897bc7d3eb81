"""The case lists' .xlsx exports (issue 16 point 8), registered with core.exports: the case
list with its filters, the ledgers (台账, C-2.2) of an applicant or a project, and the
summary by department. Each reads with the user's scope, as its page does."""

from django.utils import timezone

from zwfw.cases import rollups, selectors
from zwfw.cases.states import CaseState
from zwfw.core import exports

ALERTS = {"green": "正常", "yellow": "黄牌预警", "red": "红牌逾期"}
CASE_HEADERS = [
    "办件编号",
    "事项",
    "办理部门",
    "申请人",
    "项目",
    "收件日期",
    "受理日期",
    "办理期限",
    "状态",
    "决定日期",
    "办结日期",
    "预警",
]
LIST_FILTERS = ("status", "department_id", "alert_level", "overdue", "open", "q")


def list_filters(user, data, departments=None) -> dict:
    """The case list's filters from a query string: the keyword arguments of visible_cases
    (the page and its export read them the same way)."""
    from zwfw.org import selectors as org_selectors

    if departments is None:
        departments = org_selectors.visible_departments(user)
    wanted = str(data.get("department_id", ""))
    department = next((d for d in departments if str(d.pk) == wanted), None) if wanted else None
    status = data.get("status", "")
    alert = data.get("alert_level", "")
    return {
        "status": status if status in CaseState.values else "",
        "department": department,
        "alert_level": alert if alert in ("green", "yellow", "red") else "",
        "overdue": data.get("overdue") == "1",
        "open_only": data.get("open") == "1",
        "query": str(data.get("q", ""))[:100],
    }


def case_row(c) -> list:
    return [
        c.number,
        c.item.name,
        c.department.name,
        c.applicant.name,
        c.project.name if c.project_id else "",
        timezone.localdate(c.received_at),
        c.accepted_on,
        c.due_date,
        c.get_status_display(),
        c.decided_on,
        c.completed_on,
        ALERTS.get(c.alert_level, ""),
    ]


WIDTHS = [22, 30, 20, 20, 20, 12, 12, 12, 10, 12, 12, 10]


def _list_rows(user, params):
    qs = selectors.visible_cases(user, **list_filters(user, params))
    return qs.select_related("item", "department", "applicant", "project")


def _ledger_rows(user, params):
    applicant = project = None
    if params.get("applicant"):
        applicant = selectors.applicant_for(user, int(params["applicant"]))
    if params.get("project"):
        project = selectors.project_for(user, int(params["project"]))
    return selectors.ledger_cases(user, applicant=applicant, project=project).select_related(
        "project", "applicant"
    )


def _ledger_title(user, params) -> str:
    if params.get("applicant"):
        return f"{selectors.applicant_for(user, int(params['applicant'])).name}办件台账"
    if params.get("project"):
        return f"{selectors.project_for(user, int(params['project'])).name}项目办件台账"
    return "办件台账"


def _summary_row(c) -> list:
    return [c.name, c.open, c.yellow, c.red, c.overdue]


exports.register(
    exports.Export(
        name="cases",
        title="办件清单",
        headers=CASE_HEADERS,
        rows=_list_rows,
        row=case_row,
        params=LIST_FILTERS,
        widths=WIDTHS,
    )
)
exports.register(
    exports.Export(
        name="ledger",
        title="办件台账",
        headers=CASE_HEADERS,
        rows=_ledger_rows,
        row=case_row,
        params=("applicant", "project"),
        widths=WIDTHS,
        title_for=_ledger_title,
    )
)
exports.register(
    exports.Export(
        name="summary",
        title="办件情况汇总",
        headers=["部门", "在办", "黄牌", "红牌", "逾期"],
        rows=lambda user, params: rollups.department_counts(user),
        row=_summary_row,
        widths=[30, 10, 10, 10, 10],
    )
)
