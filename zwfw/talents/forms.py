from django import forms

from zwfw.core.forms_util import choose
from zwfw.talents.models import (
    Commissioner,
    CommissionerAction,
    DailyAssessment,
    HotlineReferral,
    Level,
    Rating,
    TalentCard,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    commission = forms.TypedChoiceField(label="服务人才", coerce=int)
    items = forms.MultipleChoiceField(
        label="申办事项（依申请的绿色通道事项）", widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args, commissions, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commission"].choices = [
            (c.pk, f"{c.talent.masked_name}（{c.talent.employer}）") for c in commissions
        ]
        self.fields["items"].choices = [
            (i.code, f"{i.department.name}：{i.name}（承诺{i.promised_limit_days}个工作日）")
            for i in items
        ]


class CompleteForm(forms.Form):
    result = forms.CharField(label="办理结果", max_length=1000)


class DelayForm(forms.Form):
    explanation = forms.CharField(label="延期说明", max_length=1000)
    new_due_date = forms.DateField(label="新的办结日期", widget=DATE)


class CardCheckForm(forms.Form):
    item = forms.ChoiceField(label="绿色通道事项")

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, f"{i.department.name}：{i.name}") for i in items]


class StatusForm(forms.Form):
    employed = forms.BooleanField(label="仍在职", required=False, initial=True)
    lives_in_city = forms.BooleanField(label="仍在本市生活", required=False, initial=True)
    note = forms.CharField(label="情况说明", required=False, max_length=300)


class FilingForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="季度（0为年度）", min_value=0, max_value=4)


class GradeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    manual_score = forms.DecimalField(
        label="人工评价得分（0–30）", min_value=0, max_value=30, decimal_places=1
    )
    manual_note = forms.CharField(label="人工评价说明", required=False, max_length=2000)


class InterviewForm(forms.Form):
    interviewee = forms.CharField(label="约谈对象（窗口负责人）", max_length=50)
    held_on = forms.DateField(label="约谈日期", widget=DATE)
    notes = forms.CharField(
        label="约谈情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    meeting_on = forms.DateField(label="联席会议日期", required=False, widget=DATE)
    meeting_explanation = forms.CharField(label="联席会议说明", required=False, max_length=2000)


class ReferralForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=HotlineReferral.Source.choices)
    ticket = forms.CharField(label="工单号", max_length=40)
    summary = forms.CharField(label="诉求摘要", max_length=300)


class AssessmentForm(forms.Form):
    commissioner = forms.TypedChoiceField(label="专员", coerce=int)
    result = forms.ChoiceField(label="考核情况", choices=DailyAssessment.Result.choices)
    note = forms.CharField(label="说明", max_length=300)

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].choices = [(c.pk, str(c)) for c in commissioners]


class ActionForm(forms.Form):
    commissioner = forms.TypedChoiceField(label="专员", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="类别", choices=CommissionerAction.Kind.choices)
    reason = forms.CharField(label="事由", max_length=2000)
    interviewee = forms.CharField(label="约谈对象（全市通报时）", required=False, max_length=50)
    interview_on = forms.DateField(label="约谈日期", required=False, widget=DATE)
    interview_notes = forms.CharField(label="约谈情况", required=False, max_length=2000)

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].choices = [(c.pk, str(c)) for c in commissioners]


class RatingForm(forms.Form):
    value = forms.TypedChoiceField(
        label="评价", coerce=int, choices=Rating.Value.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label="意见建议", required=False, max_length=300)
    sms_code = forms.CharField(label="短信验证码", required=False, max_length=6)


class PublishForm(forms.Form):
    item = forms.ChoiceField(label="绿色通道事项")
    min_level = forms.ChoiceField(
        label="最低惠才卡等级", choices=[(c, f"{c}类及以上") for c in "ABCDE"], initial="E"
    )
    rules_text = forms.CharField(
        label="实施细则", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    undertaking = forms.CharField(label="承办机构", required=False, max_length=100)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, f"{i.department.name}：{i.name}") for i in items]


class AppointForm(forms.Form):
    person = forms.IntegerField(label="人员编号", min_value=1)
    kind = forms.ChoiceField(label="类别", choices=Commissioner.Kind.choices)
    talent = forms.IntegerField(label="服务人才编号（单位专员）", required=False, min_value=1)
    department = forms.CharField(label="主管部门代码（部门专员）", required=False, max_length=30)
    organisation = forms.CharField(label="承办机构（承办专员）", required=False, max_length=100)
    appointed_on = forms.DateField(label="任职（变动）日期", widget=DATE)


class TrainingForm(forms.Form):
    title = forms.CharField(label="培训内容", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.DecimalField(label="学时", min_value=0, max_value=99, decimal_places=1, initial=1)
    attendees = forms.TypedMultipleChoiceField(
        label="参训专员", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(c.pk, str(c)) for c in commissioners]


class CardFields(forms.Form):
    card_kind = forms.ChoiceField(label="惠才卡种类", choices=choose(TalentCard.Kind.choices))
    card_number = forms.CharField(label="卡号", max_length=40)
    card_level = forms.ChoiceField(label="惠才卡等级", choices=choose(Level.choices))
    card_valid_to = forms.DateField(label="有效期至", widget=DATE)

    def card(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["card_kind"],
            "number": d["card_number"],
            "level": d["card_level"],
            "valid_to": d["card_valid_to"],
        }


class TalentForm(CardFields):
    """TC-16: a talent registered at the window, with the card shown (the page's form for
    POST /api/v1/talents)."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    employer = forms.CharField(label="用人单位", max_length=100)
    level = forms.ChoiceField(label="人才层次", choices=choose(Level.choices))
    field_order = ["name", "id_number", "phone", "employer", "level"]


class EndCommissionerForm(forms.Form):
    ended_on = forms.DateField(label="免职日期", widget=DATE)
