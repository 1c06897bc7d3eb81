from django import forms

from zwfw.core.permissions import Role
from zwfw.org.models import Department, Person, Section


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices)
    birth_date = forms.DateField(label="出生日期", widget=DateInput)
    phone = forms.CharField(label="联系电话", max_length=20)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    department = forms.ModelChoiceField(label="工作单位", queryset=Department.objects.none())
    section = forms.ModelChoiceField(label="股室", queryset=Section.objects.none(), required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    established = forms.BooleanField(label="在编在岗", required=False, initial=True)
    unit_start_date = forms.DateField(label="进入本单位日期", widget=DateInput)
    service_start_date = forms.DateField(
        label="从事政务服务（审批）工作日期", widget=DateInput, required=False
    )
    username = forms.CharField(label="登录账号", max_length=150, required=False)
    password = forms.CharField(
        label="初始密码",
        required=False,
        widget=forms.PasswordInput,
        help_text="至少8位，含大写字母、小写字母、数字、符号中的三类",
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["section"].queryset = Section.objects.filter(department__in=departments)


class DepartmentForm(forms.Form):
    code = forms.CharField(label="部门代码", max_length=30)
    name = forms.CharField(label="部门名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=30, required=False)


class PersonEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices)
    birth_date = forms.DateField(label="出生日期", widget=DateInput)
    phone = forms.CharField(label="联系电话", max_length=20)
    id_number = forms.CharField(
        label="身份证号", max_length=18, required=False, help_text="留空则不修改"
    )
    section = forms.ModelChoiceField(label="股室", queryset=Section.objects.none(), required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    established = forms.BooleanField(label="在编在岗", required=False)
    unit_start_date = forms.DateField(label="进入本单位日期", widget=DateInput)
    service_start_date = forms.DateField(
        label="从事政务服务（审批）工作日期", widget=DateInput, required=False
    )
    active = forms.BooleanField(label="在职", required=False)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(department=person.department)


class PostForm(forms.Form):
    """Give a person a handling post (办理岗位, R-15) in their department."""

    post = forms.CharField(label="岗位", max_length=100, help_text="如 承办、审核、审批")
    valid_from = forms.DateField(label="起始日期", required=False, help_text="留空为今天")
