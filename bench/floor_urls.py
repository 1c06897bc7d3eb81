"""Reference views for bench/http.py: what the stack itself costs, measured in the same run.

- `floor/row/<number>`: a plain Django view that reads one row by key and answers JSON (no
  authentication): the reference the issue names for the case detail's aim.
- `floor/page/<number>`: the session's user, one row by key and the platform's base template
  (menu included) with two fields: the least any staff page does.

They are served only under bench.floor_settings, never by the deployed URLconf.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path

from zwfw.cases.models import Case
from zwfw.urls import urlpatterns as deployed

_PAGE = engines["django"].from_string(
    '{% extends "core/base.html" %}{% block content %}'
    "<h1>{{ case.number }}</h1><p>{{ case.status }}</p>{% endblock %}"
)


def row(request, number):
    status = Case.objects.filter(number=number).values_list("status", flat=True).first()
    return JsonResponse({"number": number, "status": status})


@login_required
def page(request, number):
    case = Case.objects.filter(number=number).values("number", "status").first()
    if case is None:
        raise Http404
    return HttpResponse(_PAGE.render({"case": case}, request))


urlpatterns = [
    *deployed,
    path("floor/row/<str:number>", row),
    path("floor/page/<str:number>", page),
]
