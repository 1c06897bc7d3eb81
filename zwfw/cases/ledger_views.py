"""Ledgers (台账, C-2.2): every case of an applicant or investment project, on a page and as
.xlsx. Thin: parse, call, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from zwfw.cases import forms, selectors, services
from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.documents.xlsx import XLSX_MIME, write_xlsx

HEADERS = [
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
ALERTS = {"green": "正常", "yellow": "黄牌预警", "red": "红牌逾期"}


@login_required
def ledgers(request):
    query = request.GET.get("q", "")[:100]
    applicants = Paginator(selectors.visible_applicants(request.user, query=query), 30)
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            return redirect("cases:project_ledger", project_id=project.pk)
    return render(
        request,
        "cases/ledgers.html",
        {
            "q": query,
            "page": applicants.get_page(request.GET.get("page")),
            "projects": selectors.visible_projects(request.user, query=query)[:50],
            "form": form,
        },
    )


def _rows(cases):
    for c in cases:
        yield [
            c.number,
            c.item.name,
            c.department.name,
            c.applicant.name,
            c.project.name if c.project_id else "",
            c.received_at.date(),
            c.accepted_on,
            c.due_date,
            c.get_status_display(),
            c.decided_on,
            c.completed_on,
            ALERTS.get(c.alert_level, ""),
        ]


def _ledger(request, *, title, applicant=None, project=None):
    cases = selectors.ledger_cases(
        request.user, applicant=applicant, project=project
    ).select_related("project", "applicant")
    if request.GET.get("format") == "xlsx":
        content = write_xlsx(
            HEADERS,
            _rows(cases.iterator(chunk_size=500)),
            title="台账",
            caption=title,
            widths=[22, 30, 20, 20, 20, 12, 12, 12, 10, 12, 12, 10],
        )
        response = HttpResponse(content, content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, f"{title}.xlsx")
        return response
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/ledger.html",
        {"title": title, "page": page, "applicant": applicant, "project": project},
    )


@login_required
def applicant_ledger(request, applicant_id):
    applicant = selectors.applicant_for(request.user, applicant_id)
    return _ledger(request, title=f"{applicant.name}办件台账", applicant=applicant)


@login_required
def project_ledger(request, project_id):
    project = selectors.project_for(request.user, project_id)
    return _ledger(request, title=f"{project.name}项目办件台账", project=project)
