"""Public page (no login): current chief service officers and chief representatives per
department, with their items and terms; phones masked, no ID numbers (C-4.2, C-A3)."""

from itertools import groupby

from django.shortcuts import render
from django.utils import timezone

from zwfw.grants import selectors


def officers(request):
    today = timezone.localdate()
    grants = list(selectors.current_chief_officers(on=today))
    departments = [
        (department, list(rows)) for department, rows in groupby(grants, key=lambda g: g.department)
    ]
    return render(
        request, "grants/public_officers.html", {"departments": departments, "today": today}
    )
