from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from zwfw.core import home, selectors
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
    result = selectors.audit_verification() if request.GET.get("verify") else None
    page = Paginator(selectors.audit_events(action=request.GET.get("action", "")), 50)
    return render(
        request,
        "core/audit.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "result": result,
            "action": request.GET.get("action", ""),
        },
    )
