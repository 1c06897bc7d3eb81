"""Forms of the chief-experts pages. Rules are in services; these only parse."""

from django import forms
from django.contrib.auth import get_user_model

from zwfw.experts.models import (
    CampaignStage,
    ChangeReport,
    ChiefExpert,
    NominatingOrganisation,
    NominationAttachment,
    Sector,
    StudioEvaluation,
    StudioLog,
    TalentType,
)
from zwfw.org.models import Person

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or "%Y-%m-%d")


def _date(label, required=True, **kw):
    return forms.DateField(label=label, required=required, widget=DateInput, **kw)


class SectorForm(forms.Form):
    code = forms.CharField(label="领域代码", max_length=30)
    name = forms.CharField(label="行业领域名称", max_length=100)


class CommitteeForm(forms.Form):
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.order_by("code"))
    members = forms.ModelMultipleChoiceField(
        label="工作委员会委员（须授予行业主管部门工作委员会委员角色）",
        queryset=Person.objects.filter(user__role_assignments__role="industry_committee")
        .distinct()
        .order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(label="推荐单位名称", max_length=100)
    kind = forms.ChoiceField(label="单位类型", choices=NominatingOrganisation.Kind.choices)
    accounts = forms.ModelMultipleChoiceField(
        label="账号（须授予首席专家推荐单位角色）",
        queryset=User.objects.filter(role_assignments__role="nominating_org")
        .distinct()
        .order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CampaignForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    nomination_deadline = _date("申报截止日期")
    sectors = forms.ModelMultipleChoiceField(
        label="行业领域（每年10个以上）",
        queryset=Sector.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in CampaignStage.Stage.choices:
            required = value == "deployment"
            self.fields[f"{value}_start"] = _date(f"{label}开始", required=required)
            self.fields[f"{value}_end"] = _date(f"{label}结束", required=required)

    def schedule(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"stage": v, "start": d[f"{v}_start"], "end": d[f"{v}_end"]}
            for v in CampaignStage.Stage.values
            if d.get(f"{v}_start") and d.get(f"{v}_end")
        ]


class NominationForm(forms.Form):
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.none())
    talent_type = forms.ChoiceField(label="人才类型", choices=TalentType.choices)
    name = forms.CharField(label="被推荐人姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Person.Gender.choices)
    birth_date = _date("出生日期")
    phone = forms.CharField(label="联系电话", max_length=20)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    position = forms.CharField(label="职务", max_length=100, required=False)
    unit_start_date = _date("进入本单位日期")
    field_start_date = _date("从事相关专业领域工作起始日期", required=False)
    service_work_start_date = _date("从事政务服务工作起始日期", required=False)
    education = forms.CharField(label="学历学位", max_length=100, required=False)
    professional_title = forms.CharField(label="专业技术职称", max_length=100, required=False)
    workplace = forms.CharField(label="工作地点（工作室挂牌地点）", max_length=200, required=False)
    qualifications = forms.CharField(
        label="职业资格", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    achievements = forms.CharField(
        label="主要技术成果", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    awards = forms.CharField(
        label="获奖情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deeds = forms.CharField(
        label="事迹材料（不少于500字）",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="按汉字计数，空格、标点、字母和数字不计入",
    )
    political = forms.BooleanField(
        label="政治素质：热爱祖国，坚持四项基本原则，遵纪守法", required=False
    )
    ethics = forms.BooleanField(
        label="职业道德：爱岗敬业，具有良好的职业道德和社会公德", required=False
    )
    health = forms.BooleanField(label="身体健康，有足够的时间和精力履行职责", required=False)
    integrity = forms.BooleanField(label="廉洁自律，保持亲清有度的政商关系", required=False)
    age_justification = forms.CharField(
        label="超过55周岁的推荐理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="截至申报截止日超过55周岁的，须填写理由并经市选拔管理工作办公室审批",
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = campaign.sectors.order_by("code")


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=NominationAttachment.Kind.choices)
    file = forms.FileField(label="文件（PDF、JPEG或PNG，不超过10MB）")


class NoticeForm(forms.Form):
    start = _date("公示开始日期")
    review_note = forms.CharField(label="资格审查和政治审核意见", required=False, max_length=500)


class DecideForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label="核查结论",
        choices=[("0", "异议不成立"), ("1", "异议成立")],
        coerce=lambda v: v == "1",
    )
    finding = forms.CharField(label="核查情况", max_length=1000)


class FindingForm(forms.Form):
    finding = forms.CharField(
        label="弄虚作假查实情况", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InspectionForm(forms.Form):
    date = _date("考察日期")
    members = forms.ModelMultipleChoiceField(
        label="考察组成员", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label="考察情况", widget=forms.Textarea(attrs={"rows": 3}))
    passed = forms.TypedChoiceField(
        label="考察结论", choices=[("1", "通过"), ("0", "不通过")], coerce=lambda v: v == "1"
    )

    def __init__(self, *args, sector, **kwargs):
        super().__init__(*args, **kwargs)
        committee = getattr(sector, "committee", None)
        self.fields["members"].queryset = (
            committee.members.order_by("name") if committee else Person.objects.none()
        )


class ApproveForm(forms.Form):
    approved_on = _date("认定日期")
    studio_name = forms.CharField(label="工作室名称（可不填）", max_length=120, required=False)
    studio_address = forms.CharField(
        label="工作室地点（默认工作地点）", max_length=200, required=False
    )


class PoolForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="专家库成员（投票人）",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    nominations = forms.MultipleChoiceField(
        label="入库候选人（已公示报送）", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            Person.objects.filter(active=True)
            .select_related("department")
            .order_by("department__code", "name")
        )
        self.fields["members"].label_from_instance = lambda p: f"{p.name}（{p.department.name}）"
        self.fields["nominations"].choices = [(str(n.pk), str(n)) for n in candidates]


class LogForm(forms.Form):
    date = _date("日期")
    kind = forms.ChoiceField(label="类别", choices=StudioLog.Kind.choices)
    is_consultation = forms.TypedChoiceField(
        label="性质", choices=[("1", "咨询"), ("0", "解决问题")], coerce=lambda v: v == "1"
    )
    served_type = forms.ChoiceField(label="服务对象类型", choices=StudioLog.Served.choices)
    served_name = forms.CharField(label="服务对象（企业或个人）", max_length=100)
    summary = forms.CharField(label="事项及办法", widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(
        label="成效", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MentoringForm(forms.Form):
    trainee = forms.CharField(label="学员", max_length=50)
    trainee_unit = forms.CharField(label="学员单位", max_length=100, required=False)
    start = _date("开始日期")
    end = _date("结束日期", required=False)
    outcome = forms.CharField(label="培养成效", required=False, max_length=1000)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label="情形", choices=ChangeReport.Kind.choices)
    date = _date("发生日期")
    description = forms.CharField(label="情况说明", max_length=1000)


class EvaluationForm(forms.Form):
    date = _date("评估日期")
    text = forms.CharField(
        label="跟踪评估情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgreementForm(forms.Form):
    signed_on = _date("签订日期")
    file = forms.FileField(label="协议扫描件（PDF）")


class StudioEvaluationForm(forms.Form):
    year = forms.IntegerField(label="评估年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="评估等次", choices=StudioEvaluation.Grade.choices)
    findings = forms.CharField(
        label="评估意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(label="取消情形（E-12）", choices=ChiefExpert.Ground.choices)
    reason = forms.CharField(label="事由", required=False, max_length=1000)
    approved_by = forms.ModelChoiceField(
        label="市选拔管理工作办公室批准人", queryset=Person.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = (
            Person.objects.filter(user__role_assignments__role="expert_office")
            .distinct()
            .order_by("name")
        )


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label="异议内容", min_length=5, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label="联系方式（可不填）", required=False, max_length=100)
