from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role
from zwfw.workdays import calendar, entry_text, selectors, services
from zwfw.workdays.forms import YearForm


@login_required
def calendar_page(request):
    today = timezone.localdate()
    year = selectors.year_from_query(request.GET.get("year"), today=today)
    view = selectors.year_calendar(year, with_months=True)
    recomputes = selectors.active_recomputes()
    last = selectors.latest_recompute(year)
    return render(
        request,
        "workdays/calendar.html",
        {
            "view": view,
            "today": today,
            "years": selectors.year_range(today=today),
            "previous": year - 1 if year > calendar.MIN_YEAR else None,
            "next": year + 1 if year < calendar.MAX_YEAR else None,
            # Only decides whether to show the link; set_year checks the role itself.
            "can_edit": has_role(request.user, Role.CENTER_ADMIN),
            "weekdays": "一二三四五六日",
            # L-CAL: open cases' due dates follow an edit in background batches.
            "recomputes": recomputes,
            "last_recompute": last if last is not None and not last.active else None,
        },
    )


@login_required
def edit_year(request, year: int):
    view = selectors.year_for_edit(user=request.user, year=year)
    initial = {
        "holidays": entry_text.format_entries(view.holidays),
        "adjusted_workdays": entry_text.format_entries(view.adjusted_workdays),
        "source": view.row.source if view.row else "",
    }
    past = year < timezone.localdate().year
    form = YearForm(request.POST or None, initial=initial, past=past)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_year(
                by=request.user,
                year=year,
                holidays=data["holidays"],
                adjusted_workdays=data["adjusted_workdays"],
                source=data["source"],
                reason=data.get("reason", ""),
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已保存{year}年节假日安排")
            return redirect(f"{reverse('workdays:calendar')}?year={year}")
    return render(
        request,
        "workdays/year_form.html",
        {"form": form, "view": view, "past": past},
    )
