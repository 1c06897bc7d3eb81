"""Forms of the comprehensive window's staff pages (R-17)."""

from django import forms

from zwfw.catalog.models import ServiceItem
from zwfw.org.models import Department, Person


class DateInput(forms.DateInput):
    input_type = "date"


class AuthorizationForm(forms.Form):
    department = forms.ModelChoiceField(label="授权部门", queryset=Department.objects.none())
    items = forms.ModelMultipleChoiceField(
        label="授权事项",
        queryset=ServiceItem.objects.none(),
        help_text="只能选择授权部门自己的事项；同一部门再次授权将替代原授权",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    approved_on = forms.DateField(label="批准日期", widget=DateInput)
    approved_by = forms.ModelChoiceField(label="批准人", queryset=Person.objects.none())
    approval_ref = forms.CharField(label="批准文件（文号）", max_length=100, required=False)
    valid_from = forms.DateField(label="生效日期（默认批准日期）", required=False, widget=DateInput)

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(center=window.center, active=True)
        self.fields["department"].queryset = departments
        self.fields["items"].queryset = (
            ServiceItem.objects.filter(department__in=departments, active=True)
            .select_related("department")
            .order_by("department__code", "code")
        )
        self.fields["items"].label_from_instance = lambda i: f"{i.department.name} · {i}"
        self.fields["approved_by"].queryset = Person.objects.filter(
            department__center=window.center, active=True
        ).order_by("department__code", "name")


class RevokeForm(forms.Form):
    authorization = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="撤销原因", max_length=300)


class StaffForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    valid_from = forms.DateField(label="起始日期", widget=DateInput)
    valid_to = forms.DateField(label="终止日期（可选）", required=False, widget=DateInput)

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(department__center=window.center, active=True, user__isnull=False)
            .select_related("department")
            .order_by("department__code", "name")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.department.name} · {p.name}"


class AgencyForm(forms.Form):
    task = forms.CharField(
        label="代办事项",
        max_length=300,
        help_text="如：代为向部门后台递交材料、跟踪办理进度、代领并送达证照",
    )
