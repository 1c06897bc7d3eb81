"""Public pages: the green-channel items with their rules (TW-7) and the talent's rating of
a request (TW-10), reached from the SMS link and confirmed with an SMS code."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from zwfw.core import ratelimit
from zwfw.core.errors import RuleViolation
from zwfw.core.middleware import request_ip
from zwfw.notifications import codes
from zwfw.talents import forms, selectors, services
from zwfw.talents.models import Rating, TalentRequest


def items(request):
    rows = selectors.public_items()
    return render(request, "talents/public_items.html", {"items": rows})


def _request_for_token(token: str) -> TalentRequest:
    if not token or len(token) > 64:
        raise Http404
    r = TalentRequest.objects.select_related("talent", "window").filter(rating_token=token).first()
    if r is None:
        raise Http404
    return r


def rate(request, token: str):
    """TW-10: one rating per request on the 好差评 scale; the talent confirms with the code
    texted to the phone on record."""
    r = _request_for_token(token)
    done = Rating.objects.filter(request=r).first()
    form = forms.RatingForm(request.POST or None)
    if request.method == "POST" and done is None:
        ip = request_ip(request) or "unknown"
        try:
            ratelimit.hit(f"talent-rate:{ip}", 20, 3600)
            if request.POST.get("action") == "send":
                codes.send_code(
                    phone=r.talent.phone,
                    purpose="talent_rating",
                    subject=str(r.pk),
                    label="人才服务评价",
                )
                messages.success(request, f"验证码已发送至{r.talent.masked_phone}")
                return redirect("public_talents:rate", token=token)
            if form.is_valid():
                codes.verify_code(
                    phone=r.talent.phone,
                    purpose="talent_rating",
                    subject=str(r.pk),
                    code=form.cleaned_data["sms_code"],
                )
                services.rate_request(
                    request=r,
                    value=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, "感谢您的评价")
                return redirect("public_talents:rate", token=token)
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "talents/public_rate.html",
        {"r": r, "items": list(r.items.select_related("department")), "form": form, "done": done},
    )
