"""Public rating pages (no login, phone first): a case's link (SMS, receipt QR, progress
page), a visit's one-time link, and the QR sheets of windows and staff members.

A GET only shows the form: a rating is recorded by POST alone (ARCHITECTURE.md, Lessons).
Every form is freshly signed (target, nonce, time); a honeypot, a minimum fill time and a
per-address limit keep robots out; one-time tokens and unique constraints keep repeats out.
"""

from django.shortcuts import render
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.masking import mask_name
from zwfw.evaluations import ratelimit, selectors, services, tokens
from zwfw.evaluations.forms import RatingForm
from zwfw.evaluations.models import BAD_TAGS, ONLINE_CHANNELS


def _form(request, ask_phone: bool) -> RatingForm:
    return RatingForm(request.POST if request.method == "POST" else None, ask_phone=ask_phone)


def _page(request, form, target: str, context: dict, status: int = 200):
    # A fresh signed form each time the page is shown (after an error too).
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["form_token"] = tokens.issue_form(target)
    else:
        form.initial["form_token"] = tokens.issue_form(target)
    return render(
        request,
        "evaluations/public_rate.html",
        {"form": form, "bad_tag_values": [t.value for t in BAD_TAGS], **context},
        status=status,
    )


def _closed(request, title: str, message: str, status: int = 200):
    return render(
        request,
        "evaluations/public_closed.html",
        {"title": title, "message": message},
        status=status,
    )


def _handle(request, *, target: str, ask_phone: bool, context: dict, submit):
    """Show or submit a rating form; `submit(nonce, cleaned_data)` calls the service."""
    form = _form(request, ask_phone)
    if request.method != "POST":
        return _page(request, form, target, context)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            ratelimit.check_public_rating(request)
            if d["website"]:
                raise RuleViolation("robot", "提交失败，请刷新页面后重新评价", status=400)
            nonce = tokens.check_form(d["form_token"], target)
            evaluation = submit(nonce, d)
        except RuleViolation as exc:
            add_violation(form, exc)
            status = exc.status
        else:
            rect = getattr(evaluation, "rectification", None)
            return render(
                request,
                "evaluations/public_thanks.html",
                {"evaluation": evaluation, "rectification": rect},
                status=201,
            )
    return _page(request, form, target, context, status=status)


def case_page(request, token):
    case, channel = selectors.case_for_link(token)
    if channel in ONLINE_CHANNELS and selectors.rated_online(case):
        return _closed(request, "本件已评价", "该办件已评价，感谢您的参与（一事一评）。")
    context = {
        "title": "办件评价",
        "subject": f"“{case.item.name}”",
        "facts": [
            ("办件编号", case.number),
            ("办理部门", case.department.name),
            ("办理状态", case.get_status_display()),
        ],
    }
    return _handle(
        request,
        target=f"c:{case.number}|{channel}",
        ask_phone=False,
        context=context,
        submit=lambda nonce, d: services.rate_case(
            case=case,
            level=d["level"],
            channel=channel,
            comment=d["comment"],
            tags=d["tags"],
        ),
    )


def visit_page(request, token):
    visit = services.visit_for_token(token)
    if hasattr(visit, "evaluation"):
        return _closed(request, "本次服务已评价", "本次服务已评价，感谢您的参与（一次一评）。")
    if visit.expires_at < timezone.now():
        return _closed(request, "评价链接已过期", "评价链接已过期，请向窗口工作人员重新获取。", 410)
    facts = [("中心", visit.center.name)]
    if visit.window_id:
        facts.append(("窗口", str(visit.window)))
    if visit.staff_id:
        facts.append(("工作人员", mask_name(visit.staff.name)))
    if visit.case_id:
        facts.append(("办件", f"{visit.case.number} {visit.case.item.name}"))
    return _handle(
        request,
        target=f"v{visit.pk}",
        ask_phone=True,
        context={"title": "窗口服务评价", "subject": "本次窗口服务", "facts": facts},
        submit=lambda nonce, d: services.rate_visit(
            token=token,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
        ),
    )


def window_page(request, key):
    window = selectors.window_for_sheet(tokens.read_sheet_key(key, "w"))
    facts = [("中心", window.center.name), ("窗口", str(window))]
    return _handle(
        request,
        target=f"w{window.pk}",
        ask_phone=True,
        context={
            "title": "窗口服务评价",
            "subject": f"{window.number}号窗口的服务",
            "facts": facts,
        },
        submit=lambda nonce, d: services.rate_at_sheet(
            nonce=nonce,
            window=window,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
        ),
    )


def staff_page(request, key):
    person = selectors.person_for_sheet(tokens.read_sheet_key(key, "p"))
    department = person.department
    facts = [("部门", department.name), ("工作人员", person.name)]
    return _handle(
        request,
        target=f"p{person.pk}",
        ask_phone=True,
        context={"title": "工作人员服务评价", "subject": f"{person.name}的服务", "facts": facts},
        submit=lambda nonce, d: services.rate_at_sheet(
            nonce=nonce,
            staff=person,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
        ),
    )
