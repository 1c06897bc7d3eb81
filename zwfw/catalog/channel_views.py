"""Staff pages for the center's ways of applying per item (seed 002 第十八条, R-18): the list
of items with their setting, and the center admin's form (closing a way needs a reason).
Thin: the rules are in services.channels and channel_selectors."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from zwfw.catalog import channel_selectors, services
from zwfw.catalog.models import CHANNELS
from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation


class ChannelForm(forms.Form):
    window = forms.BooleanField(label="窗口申请", required=False)
    online = forms.BooleanField(label="网上申请", required=False)
    mobile = forms.BooleanField(label="移动端申请", required=False)
    self_service = forms.BooleanField(label="自助终端申请", required=False)
    reason = forms.CharField(
        label="限定理由",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不受理任何一种申请方式时必填：无正当理由不得限定申请方式",
    )


@login_required
def channel_list(request):
    query = request.GET.get("q", "").strip()[:100]
    restricted_only = request.GET.get("restricted") == "1"
    qs = channel_selectors.channel_items(request.user, query=query, restricted_only=restricted_only)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "item": item,
            "channels": channel_selectors.channels_for(item),
            "may_set": channel_selectors.may_set_channels(request.user, item),
        }
        for item in page
    ]
    return render(
        request,
        "catalog/channel_list.html",
        {"page": page, "rows": rows, "labels": CHANNELS, "filters": request.GET},
    )


@login_required
def channel_edit(request, code: str):
    item = channel_selectors.settable_item(request.user, code)
    current = channel_selectors.channels_for(item)
    form = ChannelForm(request.POST or None, initial={**current.accepted, "reason": current.reason})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            services.set_item_channels(by=request.user, item=item, channels=data, reason=reason)
        except RuleViolation as exc:
            if exc.field == "channels":
                exc.field = None
            add_violation(form, exc)
        else:
            messages.success(request, f"已保存“{item}”受理的申请方式")
            return redirect("catalog:channels")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "catalog/channel_form.html",
        {"item": item, "form": form, "current": current},
        status=status,
    )
