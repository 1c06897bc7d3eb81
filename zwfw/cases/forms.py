"""Forms of the case pages. They parse input only; every rule is checked by the services."""

from django import forms

from zwfw.cases.models import ApplicantKind, Channel, PauseReason, Result
from zwfw.core.forms_util import choose

FORM_CHOICES = [("", "未提交"), ("electronic", "电子"), ("paper", "纸质")]


class ApplicationForm(forms.Form):
    """Applicant, contact, agent and the checklist (one field per material: R-18, the same
    list online and at the window)."""

    kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_number = forms.CharField(label="身份证号码（自然人）", max_length=18, required=False)
    credit_code = forms.CharField(label="统一社会信用代码（法人）", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20)
    agent_name = forms.CharField(label="代办人姓名（可选）", max_length=50, required=False)
    agent_id_number = forms.CharField(label="代办人身份证号", max_length=18, required=False)
    agent_phone = forms.CharField(label="代办人电话", max_length=20, required=False)

    def __init__(self, *args, checklist=(), channels=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channels:
            self.fields["channel"] = forms.ChoiceField(
                label="申请渠道", choices=channels, initial=Channel.WINDOW
            )
        if projects is not None:
            self.fields["project"] = forms.ModelChoiceField(
                label="招商引资项目（可选）", queryset=projects, required=False
            )
        self.material_fields = []
        for i, material in enumerate(checklist):
            key = f"material_{i}"
            label = material.name + ("（必要）" if material.required else "（非必要）")
            self.fields[key] = forms.ChoiceField(
                label=label, choices=FORM_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.material_fields.append((key, material))

    def submitted(self) -> dict[str, str]:
        return {
            m.name: self.cleaned_data[k]
            for k, m in self.material_fields
            if self.cleaned_data.get(k)
        }


class NoticeForm(forms.Form):
    note = forms.CharField(
        label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for m in materials:
            key = f"m{m.pk}"
            if m.status == "received":
                self.fields[key] = forms.CharField(
                    label=f"{m.name}（已收取，如有问题请写明）", required=False, max_length=300
                )
            else:
                self.fields[key] = forms.CharField(
                    label=f"{m.name}（未提交{'，必要材料将自动列入' if m.required else ''}）",
                    required=False,
                    max_length=300,
                    initial="" if not m.required else "未提交",
                )
            self.rows.append((key, m))

    def missing(self) -> list[dict]:
        out = []
        for key, m in self.rows:
            problem = (self.cleaned_data.get(key) or "").strip()
            if problem:
                out.append({"name": m.name, "problem": problem})
        return out


class SupplementForm(forms.Form):
    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for i, name in enumerate(names):
            key = f"s{i}"
            self.fields[key] = forms.ChoiceField(
                label=name, choices=FORM_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.rows.append((key, name))

    def materials(self) -> dict[str, str]:
        return {n: self.cleaned_data[k] for k, n in self.rows if self.cleaned_data.get(k)}


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="不予受理理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    competent_authority = forms.CharField(
        label="有权机关（属其他机关职权时填写）", required=False, max_length=200
    )


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label="暂停事由", choices=choose(PauseReason.choices))
    note = forms.CharField(
        label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日", min_value=1, max_value=30)
    reason = forms.CharField(
        label="延期理由（将告知申请人）", widget=forms.Textarea(attrs={"rows": 2})
    )


class FirstReviewForm(forms.Form):
    opinion = forms.CharField(label="初审意见", widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    result = forms.ChoiceField(label="决定", choices=Result.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(
        label="决定意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    use_seal = forms.BooleanField(label="使用行政审批专用章", required=False)


class ReferForm(forms.Form):
    meeting = forms.ModelChoiceField(label="审批决策委员会会议", queryset=None)
    note = forms.CharField(
        label="提请研究的问题", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))


class ProjectForm(forms.Form):
    code = forms.CharField(label="项目编号", max_length=40)
    name = forms.CharField(label="项目名称", max_length=200)
    investor = forms.CharField(label="投资主体", max_length=200, required=False)


class ProgressQueryForm(forms.Form):
    number = forms.CharField(label="办件编号", max_length=40)
    phone_last4 = forms.CharField(label="手机号后四位", min_length=4, max_length=4)
    # Asked for once the case had too many wrong guesses (issue 11 point 3).
    sms_code = forms.CharField(label="短信验证码", max_length=6, required=False)

    def __init__(self, *args, need_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not need_code:
            self.fields["sms_code"].widget = forms.HiddenInput()


class SmsCodeForm(forms.Form):
    sms_code = forms.CharField(label="短信验证码", max_length=6)


class PublicWithdrawForm(forms.Form):
    """Public withdrawal: the reason and the code texted to the case's phone (point 4)."""

    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}))
    sms_code = forms.CharField(label="短信验证码", max_length=6)


class PublicApplicationForm(ApplicationForm):
    """The online form: the applicant's phone is confirmed by a code before the application
    is taken in and anything else is texted to it (issue 11 point 5)."""

    sms_code = forms.CharField(
        label="短信验证码（先点击“获取验证码”）", max_length=6, required=False
    )


class RenameApplicantForm(forms.Form):
    name = forms.CharField(label="登记名称更正为", max_length=200)
    reason = forms.CharField(label="更正理由（如营业执照已变更）", max_length=500)
