"""/healthz for load balancers and the HTTP bench: answers 200 "ok" without a query.

It reads neither the session nor the user, so the session, auth and messages middleware do
no work for it (they are lazy), and it touches no database connection: a load balancer
polling every second costs the database nothing, and a database outage does not take every
app node out of the pool at once (the node itself is what is checked)."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")
