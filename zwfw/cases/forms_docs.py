"""Forms of the first-inquiry log and the delivery record. They parse input only; the rules
are checked by services.inquiries and services.delivery."""

from django import forms

from zwfw.cases.models_docs import Delivery
from zwfw.core.forms_util import choose


class InquiryForm(forms.Form):
    window = forms.ModelChoiceField(label="窗口", queryset=None, required=False)
    asker_name = forms.CharField(label="咨询人姓名（可选）", max_length=50, required=False)
    asker_phone = forms.CharField(label="咨询人电话（可选）", max_length=20, required=False)
    item = forms.ModelChoiceField(label="咨询事项", queryset=None, required=False)
    question = forms.CharField(
        label="咨询内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    answer = forms.CharField(
        label="答复内容", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notice_given = forms.BooleanField(
        label="已一次性告知该事项全部申请材料（C-2.2）", required=False
    )
    referred_to_window = forms.ModelChoiceField(label="引导至窗口", queryset=None, required=False)
    referred_to_department = forms.ModelChoiceField(
        label="引导至部门", queryset=None, required=False
    )
    referral_note = forms.CharField(label="引导说明", max_length=300, required=False)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zwfw.catalog.models import ServiceItem
        from zwfw.org.models import Department, Window

        windows = Window.objects.filter(center=center, active=True).order_by("number")
        items = ServiceItem.objects.filter(active=True, department__center=center).order_by("code")
        departments = Department.objects.filter(center=center, active=True).order_by("code")
        if center is None:
            windows, items, departments = windows.none(), items.none(), departments.none()
        self.fields["window"].queryset = windows
        self.fields["referred_to_window"].queryset = windows
        self.fields["item"].queryset = items
        self.fields["referred_to_department"].queryset = departments


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=choose(Delivery.Method.choices))
    tracking_number = forms.CharField(
        label="邮寄单号（邮寄送达必填）", max_length=40, required=False
    )
    note = forms.CharField(label="说明", max_length=300, required=False)
