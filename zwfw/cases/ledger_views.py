"""Ledgers (台账, C-2.2): every case of an applicant or investment project, on a page and as
.xlsx. Thin: parse, call, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from zwfw.cases import forms, selectors, services
from zwfw.core import exports
from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation


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


def _ledger(request, *, title, applicant=None, project=None):
    if request.GET.get("format") == "xlsx":
        return exports.respond(request, "ledger")
    cases = selectors.ledger_cases(
        request.user, applicant=applicant, project=project
    ).select_related("project", "applicant")
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
