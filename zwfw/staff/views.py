"""Pages of the resident-staff app. Rules and permission checks are in services/selectors;
these parse, call and render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from zwfw.core.basis import explain
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role, has_role_anywhere
from zwfw.documents.docx import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from zwfw.staff import documents, forms, selectors, services
from zwfw.staff.models import Admission, Grade, LeaveRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(filename: str, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _try(form, call) -> bool:
    """Run a service call; a refusal is shown on the form (403s propagate)."""
    try:
        call()
    except RuleViolation as exc:
        if isinstance(exc, Forbidden | NotFound):
            raise
        add_violation(form, exc)
        return False
    return True


def _may_apply(user) -> bool:
    return has_role_anywhere(user, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN)


def _is_center_admin(user) -> bool:
    return has_role_anywhere(user, Role.CENTER_ADMIN)


def _month(text: str | None) -> datetime.date:
    try:
        y, m = (int(p) for p in (text or "").split("-"))
        return datetime.date(y, m, 1)
    except (TypeError, ValueError):
        return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _year(text: str | None) -> int:
    try:
        year = int(text or "")
    except ValueError:
        year = timezone.localdate().year - 1
    return min(max(year, 2000), timezone.localdate().year)


def _center(request, centers):
    code = request.GET.get("center") or request.POST.get("center")
    for c in centers:
        if c.code == code:
            return c
    return centers[0] if centers else None


@login_required
def index(request):
    selectors.require_open(request.user)
    user = request.user
    return render(
        request,
        "staff/index.html",
        {
            "pending": selectors.admissions(user, Admission.Status.APPLIED).count(),
            "letters": selectors.change_letters(user, "pending").count(),
            "leave": selectors.leave_requests(user, LeaveRequest.Status.PENDING).count(),
            "ending": selectors.ending_soon(user),
            "may_apply": _may_apply(user),
            "center_reader": has_role_anywhere(user, *selectors.CENTER_READERS),
            "bulletins": list(selectors.bulletins(user)[:6]),
        },
    )


# --- admissions (R-6 … R-10) ----------------------------------------------------------------


@login_required
def admissions(request):
    selectors.require_open(request.user)
    status = request.GET.get("status") or None
    if status not in (None, *Admission.Status.values):
        status = None
    rows = list(selectors.admissions(request.user, status)[:200])
    return render(
        request,
        "staff/admissions.html",
        {
            "rows": rows,
            "status": status,
            "statuses": Admission.Status.choices,
            "may_apply": _may_apply(request.user),
        },
    )


@login_required
def admission_new(request):
    if not _may_apply(request.user):
        raise Forbidden("需要部门管理员或中心管理员")
    form = forms.AdmissionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        out = {}

        def call():
            out["a"] = services.apply_admission(
                by=request.user,
                person=d["person"],
                department=d["department"],
                start_date=d["start_date"],
                collective_decision=form.collective(),
                justification=d["justification"],
                approver=d["approver"],
            )

        if _try(form, call):
            messages.success(request, "已提交进驻申请，待中心会同组织人事部门审核")
            return redirect("staff:admission", pk=out["a"].pk)
    return render(request, "staff/admission_new.html", {"form": form})


@login_required
def admission(request, pk: int):
    a = selectors.admission_for(request.user, pk)
    admin = selectors.is_center_admin(request.user, a.center)
    form = forms.ReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST":
        if not admin:
            raise Forbidden("需要中心管理员")
        if form.is_valid():
            d = form.cleaned_data

            def call():
                services.review_admission(by=request.user, admission=a, **d)

            if _try(form, call):
                messages.success(request, "已记录审核结果")
                return redirect("staff:admission", pk=a.pk)
    return render(
        request,
        "staff/admission.html",
        {
            "a": a,
            "admin": admin and a.status == Admission.Status.APPLIED,
            "form": form,
            "members": list(a.collective_decision.members.all())
            if a.collective_decision_id
            else [],
            "summary": selectors.person_summary(a.person, a.start_date),
        },
    )


@login_required
def residents(request):
    selectors.require_open(request.user)
    today = timezone.localdate()
    rows = list(selectors.assignments(request.user))
    soon = today + datetime.timedelta(days=60)
    return render(request, "staff/residents.html", {"rows": rows, "today": today, "soon": soon})


@login_required
def gaps(request):
    """R-10: section gaps and headcount vs case volume."""
    selectors.require_open(request.user)
    return render(
        request,
        "staff/gaps.html",
        {
            "gaps": selectors.section_gaps(request.user),
            "volume": selectors.headcount_vs_volume(request.user),
        },
    )


# --- change letters (R-11) ------------------------------------------------------------------


@login_required
def changes(request):
    selectors.require_open(request.user)
    form = None
    if _may_apply(request.user):
        form = forms.ChangeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form is None:
            raise Forbidden("需要部门管理员")
        if form.is_valid():
            d = form.cleaned_data

            def call():
                services.submit_change(
                    by=request.user,
                    assignment=d["assignment"],
                    reason=d["reason"],
                    new_person=d["new_person"],
                    letter_no=d["letter_no"],
                    details=d["details"],
                    scan=d["scan"],
                )

            if _try(form, call):
                messages.success(request, "已提交调整函，新进驻人员须待中心函复同意后方可进驻")
                return redirect("staff:changes")
    rows = list(selectors.change_letters(request.user)[:200])
    return render(request, "staff/changes.html", {"rows": rows, "form": form})


@login_required
def change(request, pk: int):
    letter = selectors.letter_for(request.user, pk)
    admin = selectors.is_center_admin(request.user, letter.center)
    form = forms.ReplyForm(request.POST or None)
    if request.method == "POST":
        if not admin:
            raise Forbidden("需要中心管理员")
        if form.is_valid():
            d = form.cleaned_data

            def call():
                services.reply_change(
                    by=request.user,
                    letter=letter,
                    approved=d["approved"],
                    reply_no=d["reply_no"],
                    note=d["note"],
                )

            if _try(form, call):
                messages.success(request, "已函复")
                return redirect("staff:change", pk=letter.pk)
    return render(
        request,
        "staff/change.html",
        {"letter": letter, "reply": getattr(letter, "reply", None), "admin": admin, "form": form},
    )


@login_required
def change_scan(request, pk: int):
    from zwfw.documents import uploads

    letter = selectors.letter_for(request.user, pk)
    if not letter.scan_name:
        raise NotFound("该调整函没有扫描件")
    return uploads.response(letter.scan_name, letter.scan_kind, letter.scan_filename)


def _replied(request, pk):
    letter = selectors.letter_for(request.user, pk)
    if getattr(letter, "reply", None) is None:
        raise NotFound("中心尚未函复")
    return letter


@login_required
def reply_docx(request, pk: int):
    filename, content = documents.reply_docx(_replied(request, pk))
    return _file(filename, content, DOCX_CONTENT_TYPE)


@login_required
def reply_pdf(request, pk: int):
    filename, content = documents.reply_pdf(_replied(request, pk))
    return _file(filename, content, PDF_CONTENT_TYPE)


# --- leave and unrelated tasks (R-19) ---------------------------------------------------------


def _may_leave(user) -> bool:
    return (
        selectors.may_open(user)
        or selectors.open_assignment(getattr(user, "person", None)) is not None
    )


@login_required
def leave(request):
    person = getattr(request.user, "person", None)
    is_resident = person is not None and selectors.open_assignment(person) is not None
    if not (selectors.may_open(request.user) or is_resident):
        raise Forbidden("需要中心管理员、部门管理员或进驻人员")
    form = forms.LeaveForm(request.POST or None, user=request.user)
    if request.method == "POST":
        action = request.POST.get("action", "request")
        if action in ("approve", "reject"):
            row = selectors.leave_for(request.user, int(request.POST.get("leave") or 0))
            try:
                services.decide_leave(
                    by=request.user,
                    leave=row,
                    approve=action == "approve",
                    note=request.POST.get("note", ""),
                )
            except RuleViolation as exc:
                if isinstance(exc, Forbidden):
                    raise
                messages.error(request, exc.message)
            else:
                messages.success(request, "已审批")
            return redirect("staff:leave")
        if form.is_valid():
            d = form.cleaned_data

            def call():
                services.request_leave(by=request.user, **d)

            if _try(form, call):
                messages.success(request, "已提交请假，待中心审批")
                return redirect("staff:leave")
    rows = list(selectors.leave_requests(request.user)[:200])
    approvable = (
        {c.pk for c in selectors.admin_centers(request.user)}
        if _is_center_admin(request.user)
        else set()
    )
    return render(
        request, "staff/leave.html", {"rows": rows, "form": form, "approvable": approvable}
    )


@login_required
def complaints(request):
    """R-19: unrelated tasks reported by residents; the center reads them."""
    person = getattr(request.user, "person", None)
    is_resident = person is not None and selectors.open_assignment(person) is not None
    reader = has_role_anywhere(request.user, *selectors.CENTER_READERS)
    if not (reader or is_resident):
        raise Forbidden("需要中心管理员或进驻人员")
    form = forms.ComplaintForm(request.POST or None) if is_resident else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("只有进驻人员本人可以反映")
        if form.is_valid():

            def call():
                services.report_unrelated_task(by=request.user, person=person, **form.cleaned_data)

            if _try(form, call):
                messages.success(request, "已记录，中心将核实处理")
                return redirect("staff:complaints")
    rows = list(selectors.task_complaints(request.user)[:200]) if reader else []
    return render(request, "staff/complaints.html", {"rows": rows, "form": form, "reader": reader})


# --- monthly assessment (R-21) ------------------------------------------------------------------


@login_required
def assessments(request):
    selectors.require_open(request.user)
    month = _month(request.GET.get("month") or request.POST.get("month"))
    centers = selectors.admin_centers(request.user)
    center = _center(request, centers)
    adjust_form = None
    if center is not None:
        from zwfw.org.models import Person
        from zwfw.staff.rollup import residents as residents_of

        people = Person.objects.filter(pk__in=list(residents_of(month, center))).select_related(
            "department"
        )
        adjust_form = forms.AdjustForm(
            request.POST if request.POST.get("action") == "adjust" else None, people=people
        )
    if request.method == "POST":
        if center is None:
            raise Forbidden("需要中心管理员")
        action = request.POST.get("action")
        back = reverse("staff:assessments") + f"?month={month:%Y-%m}&center={center.code}"
        try:
            if action == "compute":
                n = services.compute_month(by=request.user, center=center, month=month)
                messages.success(request, f"已按考核细则计算{n}名进驻人员{month:%Y年%m月}的得分")
            elif action == "publish":
                b = services.publish_bulletin(
                    by=request.user, center=center, month=month, note=request.POST.get("note", "")
                )
                messages.success(request, "已发布每月通报")
                return redirect("staff:bulletin", pk=b.pk)
            elif action == "indicator":
                form = forms.IndicatorForm(request.POST)
                if not form.is_valid():
                    raise RuleViolation("invalid", "请完整填写指标")
                services.save_indicator(by=request.user, center=center, **form.cleaned_data)
                messages.success(request, "已保存考核指标（重新计算后生效）")
            elif action == "adjust" and adjust_form.is_valid():
                d = adjust_form.cleaned_data
                services.adjust(
                    by=request.user,
                    person=d["person"],
                    month=month,
                    points=d["points"],
                    reason=d["reason"],
                )
                messages.success(request, "已记录加减分（重新计算后计入得分）")
            else:
                messages.error(request, "请完整填写加减分")
        except RuleViolation as exc:
            if isinstance(exc, Forbidden):
                raise
            messages.error(request, f"{exc.message}")
        return redirect(back)
    rows = list(
        selectors.month_results(request.user, month, center if request.GET.get("center") else None)
    )
    published = None
    if center is not None:
        published = selectors.bulletins(request.user).filter(center=center, month=month).first()
    return render(
        request,
        "staff/assessments.html",
        {
            "month": month,
            "rows": rows,
            "centers": centers,
            "center": center,
            "published": published,
            "adjust_form": adjust_form,
            "rules": selectors.rules_for(center) if center else [],
            "indicator_form": forms.IndicatorForm() if center and not published else None,
        },
    )


@login_required
def bulletins(request):
    selectors.require_open(request.user)
    return render(
        request, "staff/bulletins.html", {"rows": list(selectors.bulletins(request.user)[:120])}
    )


@login_required
def bulletin(request, pk: int):
    b = selectors.bulletin_for(request.user, pk)
    return render(
        request, "staff/bulletin.html", {"b": b, "rows": selectors.bulletin_rows(request.user, b)}
    )


@login_required
def bulletin_pdf(request, pk: int):
    b = selectors.bulletin_for(request.user, pk)
    filename, content = documents.bulletin_pdf(b, selectors.bulletin_rows(request.user, b))
    return _file(filename, content, PDF_CONTENT_TYPE)


@login_required
def bulletin_xlsx(request, pk: int):
    b = selectors.bulletin_for(request.user, pk)
    filename, content = documents.bulletin_xlsx(b, selectors.bulletin_rows(request.user, b))
    return _file(filename, content, XLSX)


# --- annual grades (R-22, R-23) ---------------------------------------------------------------


@login_required
def grades(request):
    selectors.require_open(request.user)
    from zwfw.org.models import Person
    from zwfw.staff import quota

    year = _year(request.GET.get("year") or request.POST.get("year"))
    centers = selectors.admin_centers(request.user)
    center = _center(request, centers)
    if request.method == "POST":
        if center is None:
            raise Forbidden("需要中心管理员")
        chosen = None
        if request.POST.get("action") == "assign":
            chosen = {}
            for key, value in request.POST.items():
                if key.startswith("grade_") and value in Grade.values:
                    chosen[int(key[6:])] = value
        try:
            services.assign_grades(by=request.user, center=center, year=year, grades=chosen)
        except RuleViolation as exc:
            if isinstance(exc, Forbidden):
                raise
            messages.error(request, explain(exc))
        else:
            messages.success(request, "已评定年度考核等次")
        return redirect(reverse("staff:grades") + f"?year={year}&center={center.code}")
    assigned = list(selectors.grades(request.user, year))
    proposal, places, share = [], 0, None
    if center is not None:
        results = selectors.annual_results(center, year)
        share = services.excellent_share(center)
        places = quota.excellent_quota(len(results), share)
        names = Person.objects.select_related("department").in_bulk(
            [r["person_id"] for r in results]
        )
        current = {g.person_id: g.grade for g in assigned}
        proposal = [
            {**r, "person": names[r["person_id"]], "grade": current.get(r["person_id"], "")}
            for r in results
        ]
    departments = sorted(
        {(g.center_id, g.department_id, g.department.name) for g in assigned}, key=lambda t: t[2]
    )
    return render(
        request,
        "staff/grades.html",
        {
            "year": year,
            "center": center,
            "centers": centers,
            "assigned": assigned,
            "proposal": proposal,
            "places": places,
            "share": share,
            "grades": Grade.choices,
            "departments": departments,
            "department_scores": selectors.department_annual_scores(request.user, year),
        },
    )


def _letter_grades(request, year: int, department_id: int):
    rows = [g for g in selectors.grades(request.user, year) if g.department_id == department_id]
    if not rows:
        raise NotFound("该单位没有年度考核结果")
    return rows[0].center, rows[0].department, rows


@login_required
def grades_letter_docx(request, year: int, department_id: int):
    center, department, rows = _letter_grades(request, year, department_id)
    filename, content = documents.grades_letter_docx(center, department, year, rows)
    return _file(filename, content, DOCX_CONTENT_TYPE)


@login_required
def grades_letter_pdf(request, year: int, department_id: int):
    center, department, rows = _letter_grades(request, year, department_id)
    filename, content = documents.grades_letter_pdf(center, department, year, rows)
    return _file(filename, content, PDF_CONTENT_TYPE)


# --- R-24 half-year report ----------------------------------------------------------------------


def _may_report(user) -> bool:
    return has_role_anywhere(user, Role.SUPERVISOR, Role.CENTER_ADMIN, Role.LEADING_GROUP)


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    default_half = 1 if today.month > 6 else 2
    default_year = today.year if today.month > 6 else today.year - 1
    year = _year(request.GET.get("year") or str(default_year))
    half = (
        2
        if request.GET.get("half") == "2"
        else (1 if request.GET.get("half") == "1" else default_half)
    )
    return year, half


@login_required
def report(request):
    if not _may_report(request.user):
        raise Forbidden("需要督查人员、中心管理员或领导小组成员")
    year, half = _period(request)
    ctx = selectors.half_year_report(request.user, year, half)
    return render(request, "staff/report.html", {"c": ctx, "year": year, "half": half})


@login_required
def report_docx(request):
    if not _may_report(request.user):
        raise Forbidden("需要督查人员、中心管理员或领导小组成员")
    year, half = _period(request)
    filename, content = documents.report_docx(selectors.half_year_report(request.user, year, half))
    return _file(filename, content, DOCX_CONTENT_TYPE)


@login_required
def report_pdf(request):
    if not _may_report(request.user):
        raise Forbidden("需要督查人员、中心管理员或领导小组成员")
    year, half = _period(request)
    filename, content = documents.report_pdf(selectors.half_year_report(request.user, year, half))
    return _file(filename, content, PDF_CONTENT_TYPE)


# --- N-19 chief officers --------------------------------------------------------------------------


@login_required
def officers(request):
    selectors.require_open(request.user)
    from zwfw.org.models import Person

    year = _year(request.GET.get("year") or request.POST.get("year"))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                centers = [
                    c
                    for c in selectors.readable_centers(request.user)
                    if has_role(request.user, Role.LEADING_GROUP, center=c)
                ]
                if not centers:
                    raise Forbidden("需要领导小组成员")
                n = services.approve_recommendations(by=request.user, center=centers[0], year=year)
                messages.success(request, f"领导小组已审定{n}名首席服务员的年度考核")
            else:
                form = forms.RecommendForm(request.POST)
                if not form.is_valid():
                    raise RuleViolation("invalid", "请完整填写")
                person = (
                    Person.objects.filter(pk=form.cleaned_data["person"])
                    .select_related("department")
                    .first()
                )
                if person is None:
                    raise NotFound("未找到该人员")
                services.review_officer(
                    by=request.user,
                    person=person,
                    year=year,
                    recommended=form.cleaned_data["recommended"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"已记录{person.name}的年度考核")
        except RuleViolation as exc:
            if isinstance(exc, Forbidden | NotFound):
                raise
            messages.error(request, exc.message)
        return redirect(reverse("staff:officers") + f"?year={year}")
    reviews = {r.person_id: r for r in selectors.officer_reviews(request.user, year)}
    rows = []
    for p in selectors.chief_officers(request.user, year):
        review = reviews.get(p.pk)
        rows.append({"person": p, "review": review, "facts": review.facts if review else None})
    may_review = has_role_anywhere(request.user, Role.CENTER_ADMIN, Role.COORDINATION_OFFICE)
    may_approve = has_role_anywhere(request.user, Role.LEADING_GROUP)
    return render(
        request,
        "staff/officers.html",
        {"year": year, "rows": rows, "may_review": may_review, "may_approve": may_approve},
    )


# --- R-12 chief representative ----------------------------------------------------------------


@login_required
def department(request, pk: int):
    """R-12: the chief representative supervises the department's promised items and trains
    its resident staff."""
    d = selectors.department_for(request.user, pk)
    may_record = has_role(request.user, Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN, department=d)
    from zwfw.org.models import Person

    residents = Person.objects.filter(
        pk__in=selectors.assignments(request.user).filter(department=d).values("person_id")
    ).order_by("name")
    form = forms.TrainingForm(request.POST or None, people=residents) if may_record else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("需要本单位管理员或中心管理员")
        if form.is_valid():
            c = form.cleaned_data

            def call():
                services.record_training(
                    by=request.user,
                    department=d,
                    held_on=c["held_on"],
                    topic=c["topic"],
                    attendees=list(c["attendees"]),
                )

            if _try(form, call):
                messages.success(request, "已记录业务培训")
                return redirect("staff:department", pk=d.pk)
    return render(
        request,
        "staff/department.html",
        {
            "d": d,
            "items": selectors.promised_items(d),
            "trainings": selectors.trainings(d),
            "representative": selectors.representative_of(d),
            "form": form,
        },
    )


# --- attendance -----------------------------------------------------------------------


def _reader_centers(user):
    return selectors.readable_centers(user)


@login_required
def attendance(request):
    """The center's month of attendance per department (import, 补录), or a resident's own
    month. GET only reads; the import and the corrections are POSTs."""
    month = _month(request.GET.get("month") or request.POST.get("month"))
    centers = _reader_centers(request.user)
    person = getattr(request.user, "person", None)
    own_departments = [] if centers else selectors.attendance_departments(request.user)
    if own_departments:
        # A department's administrator reads its residents' month (read only).
        if request.method == "POST":
            raise Forbidden("需要该中心的管理员")
        code = request.GET.get("department")
        department = next((d for d in own_departments if d.code == code), own_departments[0])
        grid = selectors.attendance_grid(request.user, department.center, month, department)
        return render(
            request,
            "staff/attendance.html",
            {
                **grid,
                "centers": [department.center],
                "center": department.center,
                "department": department,
                "departments": own_departments,
                "hours": selectors.working_hours(department.center),
                "is_admin": False,
            },
        )
    if not centers:
        # A resident (this month or now) reads their own month.
        if person is None or (
            selectors.assignment_in_month(person, month) is None
            and selectors.open_assignment(person) is None
        ):
            raise Forbidden("需要中心管理员、督查人员、领导小组成员或进驻人员")
        return render(request, "staff/attendance_own.html", selectors.own_attendance(person, month))
    center = _center(request, centers)
    is_admin = selectors.is_center_admin(request.user, center)
    back = reverse("staff:attendance") + f"?month={month:%Y-%m}&center={center.code}"
    import_form = forms.AttendanceImportForm()
    correct_form = forms.AttendanceCorrectionForm(center=center) if is_admin else None
    hours = selectors.working_hours(center)
    hours_form = forms.WorkingHoursForm(
        initial={k: getattr(hours, k) for k in forms.WorkingHoursForm.base_fields}
    )
    errors: list[str] = []
    if request.method == "POST":
        if not is_admin:
            raise Forbidden("需要该中心的管理员")
        action = request.POST.get("action")
        if action == "import":
            import_form = forms.AttendanceImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                try:
                    s = services.import_attendance(
                        by=request.user, center=center, file=import_form.cleaned_data["file"]
                    )
                except services.AttendanceImportError as exc:
                    errors = exc.errors
                except RuleViolation as exc:
                    if isinstance(exc, Forbidden | NotFound):
                        raise
                    errors = [explain(exc)]
                else:
                    messages.success(
                        request,
                        f"已导入{s['imported']}条考勤（替换{s['replaced']}条，保留补录"
                        f"{s['kept_corrections']}条，跳过非工作日{s['skipped_non_workdays']}行）",
                    )
                    return redirect(back)
        elif action == "hours":
            hours_form = forms.WorkingHoursForm(request.POST)
            if hours_form.is_valid():

                def call():
                    services.set_working_hours(
                        by=request.user, center=center, **hours_form.cleaned_data
                    )

                if _try(hours_form, call):
                    messages.success(request, "已保存作息时间（之后导入的打卡按新时间判定）")
                    return redirect(back)
        elif action == "correct":
            correct_form = forms.AttendanceCorrectionForm(request.POST, center=center)
            if correct_form.is_valid():

                def call():
                    services.correct_attendance(by=request.user, **correct_form.cleaned_data)

                if _try(correct_form, call):
                    messages.success(request, "已补录考勤")
                    return redirect(back)
    department = None
    code = request.GET.get("department")
    if code:
        from zwfw.org.models import Department

        department = Department.objects.filter(code=code).first()
    grid = selectors.attendance_grid(request.user, center, month, department)
    departments = {}
    for row in grid["rows"]:
        departments.setdefault(row["department"].code, row["department"])
    return render(
        request,
        "staff/attendance.html",
        {
            **grid,
            "centers": centers,
            "center": center,
            "department": department,
            "departments": list(departments.values()),
            "hours": hours,
            "hours_form": hours_form,
            "is_admin": is_admin,
            "import_form": import_form,
            "correct_form": correct_form,
            "errors": errors,
        },
    )


@login_required
def attendance_template(request):
    """The import layout as an .xlsx with one example row."""
    from zwfw.staff import attendance as layout

    if not selectors.admin_centers(request.user):
        raise Forbidden("需要中心管理员")
    from zwfw.documents import xlsx

    content = xlsx.write_xlsx(
        layout.HEADER,
        [["张三", "123X", "", datetime.date(2025, 10, 9), "08:52", "17:35", ""]],
        title="考勤导入",
        widths=[10, 14, 12, 12, 8, 8, 20],
    )
    return _file("考勤导入模板.xlsx", content, XLSX)
