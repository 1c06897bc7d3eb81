"""Forms of the resident-staff pages. Choices are limited to the user's scope; the services
decide the rules."""

from django import forms

from zwfw.core.permissions import Role, scope_q
from zwfw.org.models import Department, Person
from zwfw.staff.models import AttendanceRecord, Grade, LeaveRequest, ResidentAssignment


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002  (Django's own name)
        super().__init__(attrs, format=format)


def _departments(user):
    return Department.objects.filter(
        scope_q(
            user, (Role.DEPARTMENT_ADMIN, Role.CENTER_ADMIN), department="id", center="center_id"
        ),
        center__isnull=False,
        active=True,
    ).order_by("code")


def _people(user):
    return (
        Person.objects.filter(department__in=_departments(user), active=True)
        .select_related("department")
        .order_by("department__code", "name")
    )


def _label(p):
    return f"{p.department.name} · {p.name}"


class AdmissionForm(forms.Form):
    department = forms.ModelChoiceField(label="进驻单位", queryset=Department.objects.none())
    person = forms.ModelChoiceField(label="拟进驻人员", queryset=Person.objects.none())
    start_date = forms.DateField(label="拟进驻日期", widget=DateInput)
    justification = forms.CharField(
        label="情况说明（不满2年等“原则上”情形必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    approver = forms.ModelChoiceField(
        label="批准人（“原则上”情形必填）", queryset=Person.objects.none(), required=False
    )
    cd_date = forms.DateField(
        label="集体审定日期（非在编人员必填）", required=False, widget=DateInput
    )
    cd_members = forms.ModelMultipleChoiceField(
        label="集体审定参加人员", queryset=Person.objects.none(), required=False
    )
    cd_result = forms.ChoiceField(
        label="集体审定结果",
        choices=[("approved", "同意进驻"), ("rejected", "不同意进驻")],
        required=False,
    )
    cd_note = forms.CharField(label="集体审定意见", required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user)
        people = _people(user)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _label
        everyone = (
            Person.objects.filter(active=True, user__isnull=False)
            .select_related("department")
            .order_by("department__code", "name")
        )
        for name in ("approver", "cd_members"):
            self.fields[name].queryset = everyone
            self.fields[name].label_from_instance = _label

    def collective(self):
        d = self.cleaned_data
        if not d.get("cd_date"):
            return None
        return {
            "date": d["cd_date"],
            "members": list(d.get("cd_members") or []),
            "note": d.get("cd_note") or "",
            "result": d.get("cd_result") or "approved",
        }


class ReviewForm(forms.Form):
    result = forms.ChoiceField(
        label="审核结果", choices=[("pass", "审核合格，同意进驻"), ("fail", "审核不合格")]
    )
    hr_reviewer = forms.CharField(label="组织人事部门审核人", max_length=100)
    reviewed_on = forms.DateField(label="审核日期", widget=DateInput)
    note = forms.CharField(label="审核意见", required=False, max_length=2000)
    union_transferred = forms.BooleanField(label="工会会籍调整至中心工会", required=False)
    party_transferred = forms.BooleanField(label="党组织关系转至中心党支部", required=False)
    chief_representative = forms.BooleanField(label="担任首席代表", required=False)


class ChangeForm(forms.Form):
    assignment = forms.ModelChoiceField(
        label="被调整的进驻人员", queryset=ResidentAssignment.objects.none()
    )
    new_person = forms.ModelChoiceField(label="新进驻人员", queryset=Person.objects.none())
    letter_no = forms.CharField(label="函件文号", max_length=100)
    reason = forms.CharField(
        label="调整原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    details = forms.CharField(
        label="新进驻人员基本情况（不填则按人员信息生成）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    scan = forms.FileField(label="函件扫描件（PDF/JPEG/PNG）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        depts = _departments(user)
        self.fields["assignment"].queryset = ResidentAssignment.objects.filter(
            department__in=depts, ended_on__isnull=True
        ).select_related("person", "department")
        self.fields["assignment"].label_from_instance = lambda a: (
            f"{a.department.name} · {a.person.name}"
        )
        self.fields["new_person"].queryset = _people(user)
        self.fields["new_person"].label_from_instance = _label


class ReplyForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="复函意见",
        choices=[("1", "同意调整"), ("0", "不同意调整")],
        coerce=lambda v: v == "1",
    )
    reply_no = forms.CharField(label="复函文号（不填自动编号）", required=False, max_length=100)
    note = forms.CharField(label="补充意见", required=False, max_length=2000)


class LeaveForm(forms.Form):
    person = forms.ModelChoiceField(label="请假人", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="假别", choices=LeaveRequest.Kind.choices)
    start = forms.DateField(label="开始日期", widget=DateInput)
    end = forms.DateField(label="结束日期", widget=DateInput)
    reason = forms.CharField(label="请假事由", max_length=500)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        residents = ResidentAssignment.objects.filter(ended_on__isnull=True)
        me = getattr(user, "person", None)
        qs = Person.objects.filter(
            pk__in=residents.filter(department__in=_departments(user)).values("person_id")
        )
        if me is not None:
            qs = qs | Person.objects.filter(pk=me.pk, pk__in=residents.values("person_id"))
        self.fields["person"].queryset = qs.select_related("department").order_by(
            "department__code", "name"
        )
        self.fields["person"].label_from_instance = _label


class ComplaintForm(forms.Form):
    occurred_on = forms.DateField(label="发生日期", widget=DateInput)
    description = forms.CharField(
        label="进驻单位安排的无关任务、会议或活动",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AdjustForm(forms.Form):
    person = forms.ModelChoiceField(label="进驻人员", queryset=Person.objects.none())
    points = forms.DecimalField(label="加减分（负数为扣分）", max_digits=5, decimal_places=2)
    reason = forms.CharField(label="理由", max_length=300)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _label


class RecommendForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    recommended = forms.BooleanField(label="推荐优秀", required=False)
    reason = forms.CharField(label="推荐理由", required=False, max_length=1000)


GRADE_CHOICES = Grade.choices


class TrainingForm(forms.Form):
    held_on = forms.DateField(label="培训日期", widget=DateInput)
    topic = forms.CharField(label="培训内容", max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label="参训人员", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people


class IndicatorForm(forms.Form):
    code = forms.CharField(label="指标代码", max_length=30, help_text="与已有代码相同则修改该指标")
    name = forms.CharField(label="指标名称", max_length=100)
    kind = forms.ChoiceField(label="计分方式", choices=[])
    fact = forms.ChoiceField(label="事实", choices=[], required=False)
    denominator = forms.ChoiceField(label="分母事实（比率）", choices=[], required=False)
    weight = forms.DecimalField(label="权重/分值", max_digits=7, decimal_places=2)
    cap = forms.DecimalField(
        label="封顶（每项加/扣分）", max_digits=7, decimal_places=2, required=False
    )
    active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from zwfw.staff.models import Fact, Indicator

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Indicator.Kind.choices
        self.fields["fact"].choices = [("", "—"), *Fact.choices]
        self.fields["denominator"].choices = [("", "—"), *Fact.choices]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format="%H:%M"):  # noqa: A002  (Django's own name)
        super().__init__(attrs, format=format)


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label="考勤机导出的打卡记录（.xlsx）")


class AttendanceCorrectionForm(forms.Form):
    """补录 (R-21): the center records or corrects a resident's working day, with a reason."""

    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    date = forms.DateField(label="日期", widget=DateInput)
    status = forms.ChoiceField(label="考勤状态", choices=AttendanceRecord.Status.choices)
    sign_in = forms.TimeField(label="签到", required=False, widget=TimeInput)
    sign_out = forms.TimeField(label="签退", required=False, widget=TimeInput)
    reason = forms.CharField(label="补录理由", max_length=300)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        residents = ResidentAssignment.objects.filter(center=center, ended_on__isnull=True)
        self.fields["person"].queryset = (
            Person.objects.filter(pk__in=residents.values("person_id"))
            .select_related("department")
            .order_by("department__code", "name")
        )
        self.fields["person"].label_from_instance = _label


class WorkingHoursForm(forms.Form):
    morning_start = forms.TimeField(label="上午上班", widget=TimeInput)
    morning_end = forms.TimeField(label="上午下班", widget=TimeInput)
    afternoon_start = forms.TimeField(label="下午上班", widget=TimeInput)
    afternoon_end = forms.TimeField(label="下午下班", widget=TimeInput)
    grace_minutes = forms.IntegerField(label="迟到宽限（分钟）", min_value=0, max_value=60)
