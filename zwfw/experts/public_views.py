"""Public pages (no account): the chief experts by sector with their studios (and revoked
titles), the notices running now with the objection form, and the campaign schedule."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.middleware import request_ip
from zwfw.experts import forms, selectors, services


def index(request):
    today = timezone.localdate()
    return render(
        request,
        "experts/public_index.html",
        {
            "p": selectors.public_experts(today),
            "notices": list(selectors.open_notices(today)),
            "today": today,
        },
    )


def notices(request):
    today = timezone.localdate()
    return render(
        request,
        "experts/public_notices.html",
        {"notices": list(selectors.open_notices(today)), "today": today},
    )


def notice(request, pk: int):
    today = timezone.localdate()
    n = selectors.public_notice(pk, today)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lodge_objection(
                notice=n,
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                ip=request_ip(request),
            )
            messages.success(request, "异议已收到，将依规核查处理")
            return redirect("public_experts:notice", pk=n.pk)
        except RuleViolation as exc:
            if exc.status == 429:
                raise
            add_violation(form, exc)
    return render(
        request,
        "experts/public_notice.html",
        {"n": n, "nom": n.nomination, "form": form, "running": n.running_on(today)},
    )


def schedule(request):
    return render(
        request, "experts/public_schedule.html", {"campaigns": list(selectors.campaigns()[:5])}
    )
