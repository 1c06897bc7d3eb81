"""The outbox page: thin."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from zwfw.notifications import selectors
from zwfw.notifications.models import Kind, Status


@login_required
def outbox(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    ref = request.GET.get("ref", "").strip()[:100]
    qs = selectors.visible_messages(request.user, kind=kind, status=status, ref=ref)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    case_refs = selectors.case_refs(request.user, page.object_list)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "case_refs": case_refs,
            "kind": kind,
            "status": status,
            "ref": ref,
            "kinds": Kind.choices,
            "statuses": Status.choices,
        },
    )
