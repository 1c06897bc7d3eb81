"""Page forms: they parse input only; every rule is checked by the service they feed."""

from django import forms

from zwfw.core.forms_util import choose
from zwfw.supervision.models import (
    FaultToleranceDecision,
    HotlineKind,
    HotlineStatus,
    Inspection,
    InspectionMethod,
    InterferenceManner,
    Strata,
)


class DateInput(forms.DateInput):
    """An HTML date input: browsers accept only ISO dates, whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002  (Django's own name)
        super().__init__(attrs, format=format)


class DepartmentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.department.short_name or obj.department.name}{'，' + obj.position if obj.position else ''}）"


class DrawForm(forms.Form):
    title = forms.CharField(
        label="名称", max_length=100, required=False, help_text="留空时按抽查期间自动命名"
    )
    period_start = forms.DateField(label="抽查期间起", widget=DateInput)
    period_end = forms.DateField(
        label="抽查期间止", widget=DateInput, help_text="须为已结束的期间（最晚为昨天）"
    )
    departments = DepartmentsField(
        label="抽查部门", queryset=None, required=False, help_text="不选则为您权限范围内的全部部门"
    )
    size = forms.IntegerField(label="抽取件数", min_value=1)
    strata = forms.ChoiceField(label="分层方式", choices=Strata.choices, initial=Strata.DEPARTMENT)
    method = forms.ChoiceField(
        label="检查方式", choices=InspectionMethod.choices, initial=InspectionMethod.CASE_FILE
    )
    seed = forms.IntegerField(
        label="随机种子",
        required=False,
        min_value=0,
        help_text="留空由系统随机生成；填写他人公布的种子可复核其抽取结果",
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments


class FindingForm(forms.Form):
    result = forms.ChoiceField(
        label="检查结论",
        choices=[c for c in Inspection.Result.choices if c[0] != Inspection.Result.PENDING],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices)
    category = forms.ChoiceField(
        label="问题类别",
        choices=[("", "（合格时不填）"), *Inspection.Category.choices],
        required=False,
    )
    note = forms.CharField(
        label="检查意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="存在问题时须写明具体问题",
    )
    found_on = forms.DateField(label="检查日期", widget=DateInput, required=False)


class RectifyForm(forms.Form):
    measures = forms.CharField(
        label="整改措施及结果", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    rectified_on = forms.DateField(label="整改完成日期", widget=DateInput, required=False)


class PoolForm(forms.Form):
    person = PersonField(label="人员", queryset=None)
    since = forms.DateField(label="入库日期", widget=DateInput, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class HotlineForm(forms.Form):
    ticket_number = forms.CharField(label="工单编号", max_length=40)
    received_on = forms.DateField(label="受理日期", widget=DateInput)
    kind = forms.ChoiceField(label="诉求类型", choices=choose(HotlineKind.choices))
    content = forms.CharField(label="诉求内容", widget=forms.Textarea(attrs={"rows": 4}))
    caller_phone = forms.CharField(label="来电号码", max_length=20, required=False)
    case = forms.CharField(label="关联办件编号", max_length=40, required=False)
    department = forms.ChoiceField(label="责任部门", required=False)
    staff = forms.IntegerField(label="涉及工作人员（人员编号）", required=False, min_value=1)
    window = forms.CharField(label="窗口号", max_length=20, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "（按关联办件确定）")] + [
            (d.code, d.name) for d in departments
        ]


class HotlineHandleForm(forms.Form):
    status = forms.ChoiceField(label="办理状态", choices=HotlineStatus.choices)
    resolution = forms.CharField(
        label="办理结果", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    replied_on = forms.DateField(label="答复日期", widget=DateInput, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")


class InterferenceForm(forms.Form):
    interferer_name = forms.CharField(label="干预人姓名", max_length=50)
    interferer_unit = forms.CharField(label="干预人单位", max_length=200, required=False)
    interferer_post = forms.CharField(label="干预人职务", max_length=100, required=False)
    occurred_on = forms.DateField(label="干预日期", widget=DateInput)
    manner = forms.ChoiceField(label="干预方式", choices=choose(InterferenceManner.choices))
    case = forms.CharField(label="涉及办件编号", max_length=40, required=False)
    content = forms.CharField(
        label="干预内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="如实记录干预的具体要求和经过",
    )


class HandleForm(forms.Form):
    note = forms.CharField(
        label="处理情况", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FaultToleranceForm(forms.Form):
    person = PersonField(label="当事人", queryset=None)
    event = forms.CharField(label="事件经过", widget=forms.Textarea(attrs={"rows": 3}))
    innovation_context = forms.CharField(
        label="改革创新背景", widget=forms.Textarea(attrs={"rows": 3})
    )
    error = forms.CharField(label="失误错误情形", widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label="认定结论", choices=choose(FaultToleranceDecision.choices))
    basis = forms.CharField(label="认定依据", widget=forms.Textarea(attrs={"rows": 3}))
    correction = forms.CharField(
        label="纠错措施", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    decided_on = forms.DateField(label="认定日期", widget=DateInput)
    case = forms.CharField(label="涉及办件编号", max_length=40, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
