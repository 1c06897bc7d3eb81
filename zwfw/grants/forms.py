"""Page forms: they parse input only; every rule is checked by the service they feed."""

from django import forms
from django.utils import timezone

from zwfw.core.forms_util import choose
from zwfw.grants.eligibility import GrantRole, Power
from zwfw.grants.models import CommitteeMember, LeadingGroupDecision
from zwfw.grants.quorum import VoteChoice


class DateInput(forms.DateInput):
    """An HTML date input: browsers accept only ISO dates, whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002  (Django's own name)
        super().__init__(attrs, format=format)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        post = f"（{obj.section.name if obj.section_id else ''}{obj.position}）"
        return f"{obj.name}{post if post != '（）' else ''}"


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.department.short_name or obj.department.name}）"


class ItemsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


class ProposalForm(forms.Form):
    role = forms.ChoiceField(label="授权类型", choices=choose(GrantRole.choices))
    grantee = PersonChoiceField(label="被提名人", queryset=None)
    final_items = ItemsField(label="终审事项（由被授权人审查终审）", required=False, queryset=None)
    preliminary_items = ItemsField(
        label="初审事项（初审后由部门其他人员终审）", required=False, queryset=None
    )
    powers = forms.MultipleChoiceField(
        label="权限",
        choices=Power.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Power.values),
    )
    valid_from = forms.DateField(label="授权起始日期", widget=DateInput)
    valid_to = forms.DateField(
        label="授权截止日期", widget=DateInput, help_text="首席服务员任期原则上至少2年"
    )
    business_domain = forms.CharField(
        label="业务领域", max_length=100, required=False, help_text="同一部门增设首席服务员时必填"
    )
    justification = forms.CharField(
        label="推荐理由", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grantee"].queryset = people
        self.fields["final_items"].queryset = items
        self.fields["preliminary_items"].queryset = items


class _LeadingGroupForm(forms.Form):
    decided_on = forms.DateField(label="研究决定日期", widget=DateInput, initial=timezone.localdate)
    members_present = PeopleField(label="出席的领导小组成员", queryset=None, required=False)
    note = forms.CharField(
        label="研究意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = members


class DecisionForm(_LeadingGroupForm):
    result = forms.ChoiceField(
        label="决定",
        choices=LeadingGroupDecision.Result.choices,
        widget=forms.RadioSelect,  # no default: the group's decision is chosen, never assumed
    )
    field_order = ["result", "decided_on", "members_present", "note"]


class RevokeForm(_LeadingGroupForm):
    reason = forms.CharField(label="撤销原因", widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "decided_on", "members_present", "note"]


class RenewForm(_LeadingGroupForm):
    valid_to = forms.DateField(label="新的授权截止日期", widget=DateInput)
    field_order = ["valid_to", "decided_on", "members_present", "note"]


class SectionHeadForm(forms.Form):
    person = PersonChoiceField(label="政务服务科科长（或主持工作的副科长）", queryset=None)
    acting = forms.BooleanField(label="主持工作的副科长", required=False)
    filed_on = forms.DateField(label="备案日期", widget=DateInput, initial=timezone.localdate)
    document_number = forms.CharField(label="备案文号", max_length=100, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CommitteeForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, initial="审批决策委员会")
    office_name = forms.CharField(label="办事机构", max_length=100, initial="委员会办公室")
    office_location = forms.CharField(label="办公室设在", max_length=100, required=False)
    quorum_ratio = forms.CharField(
        label="法定出席比例",
        max_length=10,
        required=False,
        help_text="如 2/3；留空使用系统设置（默认2/3）",
    )
    majority_ratio = forms.CharField(
        label="通过比例",
        max_length=10,
        required=False,
        help_text="同意票须超过出席人数的该比例；留空默认1/2（过半数）",
    )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=None)
    position = forms.ChoiceField(label="职务", choices=choose(CommitteeMember.Position.choices))
    joined_on = forms.DateField(label="任职日期", widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="会议日期", widget=DateInput, initial=timezone.localdate)
    location = forms.CharField(label="地点", max_length=100, required=False)


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="出席成员", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(a.member_id), f"{a.member.get_position_display()} {a.member.person.name}")
            for a in rows
        ]
        self.fields["present"].initial = [str(a.member_id) for a in rows if a.present]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="议题", max_length=300)
    reference = forms.CharField(label="关联编号（如办件编号）", max_length=100, required=False)


class VoteForm(forms.Form):
    """One choice per member present: the named vote (记名投票)."""

    decision_text = forms.CharField(
        label="决定意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(present)
        for member in self.members:
            self.fields[f"vote_{member.pk}"] = forms.ChoiceField(
                label=f"{member.get_position_display()} {member.person.name}",
                choices=VoteChoice.choices,
                widget=forms.RadioSelect,  # each named vote is cast, never preset
            )

    def votes(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"vote_{m.pk}"] for m in self.members}
