"""Public rating pages (no login, phone first): a case's link (SMS, receipt QR, progress
page), a visit's one-time link, and the QR sheets of windows and staff members.

A GET only shows the form: a rating is recorded by POST alone (ARCHITECTURE.md, Lessons).
Every form is freshly signed (target, nonce, time); a honeypot, a minimum fill time and a
per-address limit keep robots out; one-time tokens and unique constraints keep repeats out.

Issue 11 point 6 (N-18, L-EVAL): limits per window and per staff member are counted before
the rating's transaction (429 past them); a logged-in staff member cannot rate their own
unit here (403); a bad review from a link that is not bound to the case's phone (a QR code,
a visit link) is verified with an SMS code ("获取验证码" posts `action=send_code`), and
without one it is kept unverified and opens no rectification.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.masking import mask_name, mask_phone
from zwfw.evaluations import ratelimit, selectors, services, tokens
from zwfw.evaluations.forms import RatingForm
from zwfw.evaluations.models import BAD_TAGS, ONLINE_CHANNELS, is_bad_level
from zwfw.evaluations.services.ratings import PHONE_BOUND_CASE_CHANNELS, staff_of_case

# How a bad review's rater proves a phone: not needed (the link is bound to the case's
# phone), a code to the case's phone, or a code to the phone the rater types in.
NO_CODE, CASE_PHONE, RATER_PHONE = "", "case", "rater"


@dataclass
class Target:
    key: str  # the form's target and the SMS code's subject
    window: object = None
    staff: object = None
    department: object = None
    case: object = None
    verify: str = NO_CODE
    case_phone: str = ""


def _rater(request):
    """The visitor's account when logged in (staff never rate their own unit, N-18)."""
    return request.user if request.user.is_authenticated else None


def _form(request, target: Target, ask_phone: bool, initial=None) -> RatingForm:
    data = request.POST if request.method == "POST" and initial is None else None
    return RatingForm(data, initial=initial, ask_phone=ask_phone, ask_code=target.verify != NO_CODE)


def _page(request, form, target: Target, context: dict, status: int = 200, notice: str = ""):
    # A fresh signed form each time the page is shown (after an error too).
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["form_token"] = tokens.issue_form(target.key)
    else:
        form.initial["form_token"] = tokens.issue_form(target.key)
    return render(
        request,
        "evaluations/public_rate.html",
        {
            "form": form,
            "bad_tag_values": [t.value for t in BAD_TAGS],
            "case_phone": mask_phone(target.case_phone) if target.verify == CASE_PHONE else "",
            "code_notice": notice,
            **context,
        },
        status=status,
    )


def _closed(request, title: str, message: str, status: int = 200):
    return render(
        request,
        "evaluations/public_closed.html",
        {"title": title, "message": message},
        status=status,
    )


def _code_phone(target: Target, typed: str) -> str:
    phone = target.case_phone if target.verify == CASE_PHONE else (typed or "").strip()
    if not phone:
        raise RuleViolation("invalid", "请先填写手机号，再获取验证码", field="rater_phone")
    return phone


def _send_code(request, *, target: Target, ask_phone: bool, context: dict):
    """ "获取验证码": text a code for this form's target; the page comes back as filled in."""
    post = request.POST
    initial = {
        "level": post.get("level"),
        "tags": post.getlist("tags"),
        "comment": post.get("comment", ""),
        "rater_phone": post.get("rater_phone", ""),
    }
    form = _form(request, target, ask_phone, initial=initial)
    try:
        if target.verify == NO_CODE:
            raise RuleViolation("invalid", "本评价链接无需验证手机号")
        ratelimit.check_public_rating(request)
        phone = services.send_rating_code(
            phone=_code_phone(target, post.get("rater_phone", "")), target=target.key
        )
    except RuleViolation as exc:
        add_violation(form, exc)
        return _page(request, form, target, context, status=exc.status)
    notice = f"验证码已发送至{mask_phone(phone)}，请填写后提交评价"
    return _page(request, form, target, context, notice=notice)


def _confirmed(target: Target, d: dict) -> bool:
    """A bad review with a code: check it (outside the rating's transaction, so a wrong try
    stays counted). Without a code the review is kept unverified."""
    if target.verify == NO_CODE or not is_bad_level(d["level"]) or not d.get("sms_code"):
        return False
    services.confirm_rater_phone(
        phone=_code_phone(target, d.get("rater_phone", "")),
        target=target.key,
        code=d["sms_code"],
    )
    return True


def _handle(request, *, target: Target, ask_phone: bool, context: dict, submit):
    """Show or submit a rating form; `submit(nonce, cleaned_data, confirmed)` calls the
    service."""
    if request.method == "POST" and request.POST.get("action") == "send_code":
        return _send_code(request, target=target, ask_phone=ask_phone, context=context)
    form = _form(request, target, ask_phone)
    if request.method != "POST":
        return _page(request, form, target, context)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        try:
            ratelimit.check_public_rating(request)
            if d["website"]:
                raise RuleViolation("robot", "提交失败，请刷新页面后重新评价", status=400)
            nonce = tokens.check_form(d["form_token"], target.key)
            # N-18 first, so a staff member's refused self-ratings use up nobody's quota.
            services.refuse_own_unit(
                _rater(request),
                department=target.department,
                staff=target.staff,
                case=target.case,
            )
            confirmed = _confirmed(target, d)
            # Counted before the transaction: posts refused later stay counted.
            ratelimit.check_targets(
                level=d["level"],
                window_id=target.window.pk if target.window else None,
                staff_id=target.staff.pk if target.staff else None,
                verified=confirmed,
            )
            evaluation = submit(nonce, d, confirmed)
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
    target = Target(
        key=f"c:{case.number}|{channel}",
        staff=staff_of_case(case),
        department=case.department,
        case=case,
        # The SMS link and the progress page's link reach only the case's phone holder.
        verify=NO_CODE if channel in PHONE_BOUND_CASE_CHANNELS else CASE_PHONE,
        case_phone=case.phone,
    )
    return _handle(
        request,
        target=target,
        ask_phone=False,
        context=context,
        submit=lambda nonce, d, confirmed: services.rate_case(
            case=case,
            level=d["level"],
            channel=channel,
            comment=d["comment"],
            tags=d["tags"],
            rater=_rater(request),
            phone_confirmed=confirmed,
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
    target = Target(
        key=f"v{visit.pk}",
        window=visit.window,
        staff=visit.staff,
        department=visit.department,
        verify=RATER_PHONE,
    )
    return _handle(
        request,
        target=target,
        ask_phone=True,
        context={"title": "窗口服务评价", "subject": "本次窗口服务", "facts": facts},
        submit=lambda nonce, d, confirmed: services.rate_visit(
            token=token,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
            rater=_rater(request),
            phone_confirmed=confirmed,
        ),
    )


def window_page(request, key):
    window = selectors.window_for_sheet(tokens.read_sheet_key(key, "w"))
    facts = [("中心", window.center.name), ("窗口", str(window))]
    return _handle(
        request,
        target=Target(
            key=f"w{window.pk}", window=window, department=window.department, verify=RATER_PHONE
        ),
        ask_phone=True,
        context={
            "title": "窗口服务评价",
            "subject": f"{window.number}号窗口的服务",
            "facts": facts,
        },
        submit=lambda nonce, d, confirmed: services.rate_at_sheet(
            nonce=nonce,
            window=window,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
            rater=_rater(request),
            phone_confirmed=confirmed,
        ),
    )


def staff_page(request, key):
    person = selectors.person_for_sheet(tokens.read_sheet_key(key, "p"))
    department = person.department
    facts = [("部门", department.name), ("工作人员", person.name)]
    return _handle(
        request,
        target=Target(key=f"p{person.pk}", staff=person, department=department, verify=RATER_PHONE),
        ask_phone=True,
        context={"title": "工作人员服务评价", "subject": f"{person.name}的服务", "facts": facts},
        submit=lambda nonce, d, confirmed: services.rate_at_sheet(
            nonce=nonce,
            staff=person,
            level=d["level"],
            comment=d["comment"],
            tags=d["tags"],
            rater_phone=d.get("rater_phone", ""),
            rater=_rater(request),
            phone_confirmed=confirmed,
        ),
    )
