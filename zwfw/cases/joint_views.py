"""Pages of joint cases (一事联办): the staff list (with the statistics rule), intake by
theme, the joint case page and its actions, the themes page of the center, and the
applicant's single progress page. Thin: parse, call a service or selector, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zwfw.cases import joint as services
from zwfw.cases import joint_selectors as selectors
from zwfw.cases.forms import ProgressQueryForm
from zwfw.cases.models_joint import JointState, Theme
from zwfw.cases.services import ApplicantData
from zwfw.core.basis import explain
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role_anywhere


def _refusal(request, exc: RuleViolation) -> None:
    messages.error(request, explain(exc))


# --- staff: list, intake ------------------------------------------------------------------


@login_required
def joint_list(request):
    status = request.GET.get("status", "")
    status = status if status in JointState.values else ""
    rows = selectors.views(request.user, status=status)
    return render(
        request,
        "cases/joint_list.html",
        {
            "rows": rows,
            "status": status,
            "states": JointState.choices,
            "counts": selectors.counts(request.user),
            "may_configure": has_role_anywhere(request.user, Role.CENTER_ADMIN),
        },
    )


class JointIntakeForm(forms.Form):
    title = forms.CharField(label="申请事项名称", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="申请人类型", choices=[("organisation", "法人或其他组织"), ("person", "自然人")]
    )
    name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_number = forms.CharField(label="身份证号码（自然人）", max_length=18, required=False)
    credit_code = forms.CharField(label="统一社会信用代码（法人）", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=11)
    materials = forms.MultipleChoiceField(
        label="收取的材料（各事项共用材料只收一次）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(n, n) for n in names]


@login_required
def joint_new(request):
    themes = Theme.objects.filter(active=True).select_related("lead_department").order_by("code")
    return render(request, "cases/joint_new.html", {"themes": themes})


@login_required
def joint_intake(request, code):
    theme = Theme.objects.filter(active=True, code=code).select_related("lead_department").first()
    if theme is None:
        raise NotFound("未找到该联办主题")
    items = [row.item for row in theme.items.select_related("item__department")]
    checklist = services.union_checklist(items)
    form = JointIntakeForm(request.POST or None, names=[m["name"] for m in checklist])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            joint = services.take_in_joint(
                by=request.user,
                items=[i.code for i in items],
                theme=theme.code,
                title=d["title"],
                applicant=ApplicantData(
                    kind=d["kind"],
                    name=d["name"],
                    id_number=d["id_number"],
                    credit_code=d["credit_code"],
                ),
                phone=d["phone"],
                channel="window",
                materials={name: "paper" for name in d["materials"]},
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已收件，联办编号{joint.number}")
            return redirect("joint_cases:detail", number=joint.number)
    return render(
        request,
        "cases/joint_intake.html",
        {"theme": theme, "items": items, "checklist": checklist, "form": form},
        status=422 if form.errors else 200,
    )


# --- staff: the joint case page and its actions -------------------------------------------


@login_required
def joint_detail(request, number):
    joint = selectors.joint_for(request.user, number)
    v = selectors.view(joint)
    materials = selectors.materials_of(joint)
    return render(
        request,
        "cases/joint_detail.html",
        {
            "joint": joint,
            "v": v,
            "materials": materials,
            "missing": [m for m in materials if m["status"] != "received"],
            "notices": selectors.notices_of(joint),
            "max_extension": services.max_extension_days(),
        },
    )


def _names(request) -> list[str]:
    return [n[:200] for n in request.POST.getlist("materials") if n]


ACTIONS = {
    "accept": lambda r, j: services.accept_joint(joint=j, by=r.user),
    "supplement-notice": lambda r, j: services.send_joint_supplement_notice(
        joint=j, by=r.user, missing=_names(r), note=r.POST.get("note", "")[:2000]
    ),
    "supplement": lambda r, j: services.supplement_joint(
        joint=j, by=r.user, materials={n: "paper" for n in _names(r)}
    ),
    "extend": lambda r, j: services.extend_joint(
        joint=j, by=r.user, days=_int(r.POST.get("days")), reason=r.POST.get("reason", "")
    ),
    "withdraw": lambda r, j: services.withdraw_joint(
        joint=j, by=r.user, reason=r.POST.get("reason", "")
    ),
    "countersign": lambda r, j: services.countersign_part(
        joint=j,
        by=r.user,
        case_number=r.POST.get("case", "")[:40],
        opinion=r.POST.get("opinion", ""),
    ),
}


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def joint_act(request, number, action):
    call = ACTIONS.get(action)
    if call is None:
        raise NotFound("未知的操作")
    joint = selectors.joint_for(request.user, number)
    try:
        call(request, joint)
    except RuleViolation as exc:
        _refusal(request, exc)
    else:
        messages.success(request, "已办理")
    return redirect("joint_cases:detail", number=number)


# --- the center's themes ------------------------------------------------------------------


class ThemeForm(forms.Form):
    code = forms.CharField(label="主题编码", max_length=40)
    name = forms.CharField(label="主题名称", max_length=200)
    lead_department = forms.ChoiceField(label="牵头部门")
    items = forms.MultipleChoiceField(
        label="事项（两个以上部门）", widget=forms.CheckboxSelectMultiple
    )
    countersign = forms.MultipleChoiceField(
        label="需牵头部门会签的事项", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departments=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].choices = [(str(d.pk), d.name) for d in departments]
        choices = [(str(i.pk), f"{i.name}（{i.department.name}）") for i in items]
        self.fields["items"].choices = choices
        self.fields["countersign"].choices = choices


@login_required
def themes(request):
    from zwfw.catalog.models import ServiceItem
    from zwfw.core.permissions import require_role_anywhere
    from zwfw.org import selectors as org_selectors

    require_role_anywhere(request.user, Role.CENTER_ADMIN)
    departments = list(
        org_selectors.visible_departments(request.user).exclude(center=None).order_by("code")
    )
    items = list(
        ServiceItem.objects.filter(active=True, department__in=departments)
        .select_related("department")
        .order_by("department__code", "code")[:500]
    )
    form = ThemeForm(request.POST or None, departments=departments, items=items)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        by_pk = {str(i.pk): i for i in items}
        lead = next(x for x in departments if str(x.pk) == d["lead_department"])
        try:
            theme = services.create_theme(
                by=request.user,
                center=lead.center,
                code=d["code"],
                name=d["name"],
                lead_department=lead,
                items=[(by_pk[pk], pk in d["countersign"]) for pk in d["items"]],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已配置联办主题“{theme.name}”")
            return redirect("joint_cases:themes")
    rows = (
        Theme.objects.filter(center__in={d.center_id for d in departments})
        .select_related("lead_department")
        .prefetch_related("items__item__department")
        .order_by("code")
    )
    return render(
        request,
        "cases/joint_themes.html",
        {"themes": rows, "form": form},
        status=422 if form.errors else 200,
    )


# --- the applicant's single progress page (no login) --------------------------------------


def _public_page(request, form, *, status=200, joint=None, error="", notice="", need_code=False):
    context = {"form": form, "error": error, "notice": notice, "need_code": need_code}
    if joint is not None:
        from zwfw.cases.public_views import _token

        context.update(
            {
                "v": selectors.view(joint),
                "joint": joint,
                "materials": selectors.materials_of(joint),
                "notices": selectors.notices_of(joint),
                "events": selectors.public_events(joint),
                # One set of documents: every part's receipt and decision document.
                "documents": [
                    {
                        "item": p.case.item.name,
                        "token": _token(p.case.number),
                        "result": p.case.result,
                    }
                    for p in joint.parts.all()
                ],
            }
        )
        context["number"] = joint.number
    else:
        context["number"] = request.GET.get("number", "")[:40]
    return render(request, "cases/joint_public.html", context, status=status)


def _query_form(data, need_code):
    form = ProgressQueryForm(data, need_code=need_code)
    form.fields["number"].label = "联办编号"
    return form


def public_progress(request):
    from zwfw.cases.public_views import run_progress_query

    return run_progress_query(
        request,
        make_form=_query_form,
        lookup=services.public_joint_lookup,
        page=_public_page,
        subject="joint",
    )


@require_POST
def public_code(request):
    from zwfw.cases.public_views import send_progress_code

    return send_progress_code(
        request,
        make_form=_query_form,
        send=services.send_joint_query_code,
        page=_public_page,
        notice="如该联办件需要验证码，验证码已发送至预留的手机号，请填写后查询",
    )
