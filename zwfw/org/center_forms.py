"""Forms of the centers-and-windows page (issue 12 point 2): the same fields as
POST /api/v1/centers and /windows; the services decide what is allowed."""

from django import forms

from zwfw.org.models import Department, Region, ServiceCenter, Window


class CenterForm(forms.Form):
    code = forms.CharField(label="中心代码", max_length=20)
    name = forms.CharField(label="名称", max_length=100)
    parent = forms.ModelChoiceField(
        label="上级中心",
        queryset=ServiceCenter.objects.order_by("path"),
        required=False,
        help_text="县级和乡镇（街道）中心须指定上级中心（R-25）；层级随上级中心确定",
    )
    region = forms.ModelChoiceField(
        label="所属区域",
        queryset=Region.objects.order_by("path"),
        required=False,
        help_text="不选则与上级中心相同",
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="咨询电话", max_length=30, required=False)


class WindowForm(forms.Form):
    center = forms.ModelChoiceField(label="中心", queryset=ServiceCenter.objects.order_by("path"))
    code = forms.CharField(label="窗口号", max_length=20)
    name = forms.CharField(label="窗口名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Window.Kind.choices)
    departments = forms.ModelMultipleChoiceField(
        label="服务部门",
        queryset=Department.objects.filter(center__isnull=False).order_by("code"),
        required=False,
        help_text="部门窗口选一个部门；部门须进驻本中心或其上级中心",
    )
    parent = forms.ModelChoiceField(
        label="上级窗口",
        queryset=Window.objects.select_related("center").order_by("center__path", "number"),
        required=False,
    )
