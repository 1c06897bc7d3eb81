from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zwfw.core import exports, home, selectors
from zwfw.core.forms import LoginForm
from zwfw.core.permissions import Role, require_role


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's LoginView puts the request's host into "site_name"; the platform's name is
        # the setting, as on every other page.
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}


@login_required
def home_page(request):
    person = getattr(request.user, "person", None)
    return render(
        request,
        "core/home.html",
        {
            "person": person,
            "panels": home.panels_for(request.user),
            "role_labels": selectors.role_labels(request.user),
        },
    )


@login_required
def audit_page(request):
    require_role(request.user, Role.AUDITOR)
    params = {k: request.GET.get(k, "")[:100] for k in selectors.AUDIT_FILTERS}
    if request.GET.get("format") == "xlsx":
        return exports.respond(request, "audit")
    result = selectors.audit_verification() if request.GET.get("verify") else None
    page = Paginator(selectors.audit_events(request.user, params), 50)
    return render(
        request,
        "core/audit.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "result": result,
            "filters": params,
            "actions": selectors.audit_actions(),
        },
    )


@login_required
@require_POST
def export_start(request):
    """Start a background export offered by a list page (core.exports)."""
    job = exports.start(by=request.user, name=request.POST.get("name", ""), data=request.POST)
    return redirect("export_job", job_id=job.pk)


@login_required
def export_job(request, job_id: int):
    job = exports.job_for(request.user, job_id)
    template = "core/_export_progress.html" if request.htmx else "core/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, job_id: int):
    return exports.download(request.user, job_id)
