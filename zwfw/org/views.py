from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.org import posts, selectors, services
from zwfw.org.center_forms import CenterForm, WindowForm
from zwfw.org.forms import DepartmentForm, PersonEditForm, PersonForm, PostForm
from zwfw.org.models import PostAssignment


@login_required
def people(request):
    query = request.GET.get("q", "").strip()
    qs = selectors.visible_people(request.user, query=query)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    may_create = selectors.may_create_person(request.user)
    return render(request, "org/people.html", {"page": page, "q": query, "may_create": may_create})


@login_required
def person_detail(request, person_id: int):
    person = selectors.person_for(request.user, person_id)
    may_edit = selectors.may_edit_person(request.user, person)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "may_edit": may_edit,
            "posts": posts.posts_held(person),
            "post_form": PostForm() if may_edit else None,
        },
    )


@login_required
@require_POST
def person_posts(request, person_id: int):
    """Give or end a handling post (R-15, N-13); the services check who may."""
    person = selectors.person_for(request.user, person_id)
    try:
        if "end" in request.POST:
            assignment = get_object_or_404(
                PostAssignment, pk=request.POST.get("end"), person=person
            )
            posts.end_post(by=request.user, assignment=assignment, last_day=timezone.localdate())
            messages.success(request, f"已终止岗位“{assignment.post}”（含今天）")
        else:
            form = PostForm(request.POST)
            if not form.is_valid():
                raise RuleViolation("invalid", "请填写岗位名称和正确的起始日期", field="post")
            held = posts.assign_post(
                by=request.user,
                person=person,
                post=form.cleaned_data["post"],
                valid_from=form.cleaned_data["valid_from"],
            )
            messages.success(request, f"已登记岗位“{held.post}”")
    except Forbidden:
        raise
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("org:person", person_id=person.pk)


@login_required
def person_create(request):
    if not selectors.may_create_person(request.user):
        raise Forbidden("只有中心管理员和部门管理员可以登记人员")
    departments = selectors.visible_departments(request.user)
    form = PersonForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_person(
                by=request.user,
                name=data["name"],
                gender=data["gender"],
                birth_date=data["birth_date"],
                phone=data["phone"],
                department=data["department"],
                id_number=data["id_number"],
                section=data["section"],
                position=data["position"],
                established=data["established"],
                unit_start_date=data["unit_start_date"],
                service_start_date=data["service_start_date"],
                username=data["username"],
                password=data["password"],
                roles=data["roles"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已登记人员：{person.name}")
            return redirect("org:person", person_id=person.pk)
    return render(request, "org/person_form.html", {"form": form})


@login_required
def departments(request):
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.create_department(by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已新增部门：{department.name}")
            return redirect("org:departments")
    qs = selectors.visible_departments(request.user).prefetch_related("sections", "windows")
    context = {"departments": qs, "form": form}
    context["may_create"] = selectors.may_create_department(request.user)
    return render(request, "org/departments.html", context)


@login_required
def centers(request):
    """The hall directory; center admins add centers and windows (issue 12 point 2)."""
    may_create = selectors.may_create_center_or_window(request.user)
    posted = request.POST.get("form") if request.method == "POST" else None
    center_form = CenterForm(request.POST if posted == "center" else None, prefix="c")
    window_form = WindowForm(request.POST if posted == "window" else None, prefix="w")
    if posted == "center" and center_form.is_valid():
        try:
            center = services.create_center(by=request.user, **center_form.cleaned_data)
        except RuleViolation as exc:
            add_violation(center_form, exc)
        else:
            messages.success(request, f"已新增中心：{center.name}")
            return redirect("org:centers")
    if posted == "window" and window_form.is_valid():
        data = dict(window_form.cleaned_data)
        data["number"] = data.pop("code")
        data["departments"] = list(data["departments"])
        try:
            window = services.create_window(by=request.user, **data)
        except RuleViolation as exc:
            if exc.field == "number":
                exc.field = "code"
            add_violation(window_form, exc)
        else:
            messages.success(request, f"已新增窗口：{window}")
            return redirect("org:centers")
    return render(
        request,
        "org/centers.html",
        {
            "centers": selectors.centers(),
            "windows": selectors.windows()
            .select_related("parent__center")
            .prefetch_related("departments"),
            "may_create": may_create,
            "center_form": center_form,
            "window_form": window_form,
        },
        status=422 if posted else 200,
    )


@login_required
def person_edit(request, person_id: int):
    person = selectors.person_for(request.user, person_id)
    # The form carries the full phone and ID fields: only for those who may save it.
    if not selectors.may_edit_person(request.user, person):
        raise Forbidden("只有本部门管理员或中心管理员可以修改人员信息")
    initial = {
        f: getattr(person, f)
        for f in (
            "name",
            "gender",
            "birth_date",
            "phone",
            "section",
            "position",
            "established",
            "unit_start_date",
            "service_start_date",
            "active",
        )
    }
    form = PersonEditForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if not changes.get("id_number"):
            changes.pop("id_number", None)
        try:
            services.update_person(by=request.user, person=person, **changes)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, f"已保存：{person.name}")
            return redirect("org:person", person_id=person.pk)
    return render(request, "org/person_form.html", {"form": form, "person": person})
