"""Page forms: they parse input into the data dict the services take; no rules here."""

from django import forms

from zwfw.catalog.models import (
    ApplicantKind,
    ApplyMode,
    ExclusionReason,
    ExerciseLevel,
    GreenChannelMode,
    HandlingKind,
    ItemType,
    NodeKind,
)
from zwfw.catalog.snapshot import GUIDE_FIELDS, ITEM_FIELDS

INCLUSION_CHOICES = [("", "未决定"), ("yes", "纳入"), ("no", "不纳入")]
INCLUSION_VALUES = {"": None, "yes": True, "no": False}


def _blank(choices) -> list:
    return [("", "——")] + list(choices)


class DateInput(forms.DateInput):
    input_type = "date"


def _text(label, required=False, rows=None, max_length=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=required, widget=widget, max_length=max_length)


class ItemForm(forms.Form):
    # The six province-wide elements.
    code = forms.CharField(label="事项编码", max_length=64)
    department = forms.ModelChoiceField(label="实施部门", queryset=None, empty_label=None)
    name = forms.CharField(label="事项名称", max_length=200)
    handling_name = _text("办理项名称", max_length=200)
    item_type = forms.ChoiceField(label="事项类型", choices=_blank(ItemType.choices))
    competent_authority = _text("主管部门", max_length=100)
    legal_basis = _text("设定和实施依据", rows=3)
    exercise_level = forms.ChoiceField(
        label="行使层级", choices=ExerciseLevel.choices, initial=ExerciseLevel.CITY
    )
    # The national hierarchy.
    node_kind = forms.ChoiceField(
        label="事项层级", choices=NodeKind.choices, initial=NodeKind.HANDLING
    )
    parent_code = _text("上级事项编码", max_length=64)
    handling_kind = forms.ChoiceField(
        label="业务办理项类别", choices=_blank(HandlingKind.choices), required=False
    )
    on_application = forms.BooleanField(label="依申请事项", required=False, initial=True)
    # Limits and the chief service officer list.
    legal_limit_days = forms.IntegerField(label="法定时限（工作日）", min_value=0, initial=20)
    promised_limit_days = forms.IntegerField(label="承诺时限（工作日）", min_value=0, initial=5)
    immediate = forms.BooleanField(label="即办件", required=False)
    high_frequency = forms.BooleanField(label="高频事项", required=False)
    chief_list_included = forms.ChoiceField(
        label="纳入首席服务员清单", choices=INCLUSION_CHOICES, required=False
    )
    exclusion_reason = forms.ChoiceField(
        label="未纳入原因", choices=_blank(ExclusionReason.choices), required=False
    )
    exclusion_note = _text("未纳入说明", rows=2)
    green_channel = forms.BooleanField(label="人才绿色通道事项", required=False)
    green_channel_mode = forms.ChoiceField(
        label="绿色通道方式", choices=_blank(GreenChannelMode.choices), required=False
    )
    active = forms.BooleanField(label="在用", required=False, initial=True)
    # The guide.
    applicant_kind = forms.ChoiceField(
        label="服务对象", choices=ApplicantKind.choices, initial=ApplicantKind.BOTH
    )
    conditions = _text("受理条件", rows=3)
    fee = forms.CharField(
        label="收费标准", max_length=500, initial="不收费", help_text="不收费的请填写“不收费”"
    )
    apply_mode = forms.ChoiceField(
        label="办理方式", choices=ApplyMode.choices, initial=ApplyMode.BOTH
    )
    place_and_hours = _text("办理地点和时间", rows=2)
    online_url = _text("网上办理地址", max_length=300)
    result = _text("办理结果", max_length=200)
    delivery = _text("送达方式", max_length=200)
    consult_channel = _text("咨询方式", max_length=200)
    complaint_channel = _text("投诉方式", max_length=200)
    faq = _text("常见问题", rows=3)
    visits_required = forms.IntegerField(label="到现场次数", min_value=0, initial=1)
    baseline_steps = forms.IntegerField(
        label="法定环节数", min_value=0, initial=0, help_text="精简前的环节数；0 表示未记录"
    )
    baseline_materials = forms.IntegerField(label="法定材料数", min_value=0, initial=0)
    baseline_visits = forms.IntegerField(label="法定到现场次数", min_value=0, initial=0)
    reason = forms.CharField(label="修改原因", widget=forms.Textarea(attrs={"rows": 2}))

    BASIC = (
        "code",
        "department",
        "name",
        "handling_name",
        "item_type",
        "competent_authority",
        "legal_basis",
        "exercise_level",
        "node_kind",
        "parent_code",
        "handling_kind",
        "on_application",
    )
    LIMITS = (
        "legal_limit_days",
        "promised_limit_days",
        "immediate",
        "high_frequency",
        "chief_list_included",
        "exclusion_reason",
        "exclusion_note",
        "green_channel",
        "green_channel_mode",
        "active",
    )

    def __init__(self, *args, departments=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            # Code and department identify the item: grants and cases point at them.
            del self.fields["code"]
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments
            self.fields["reason"].required = False
            self.fields["reason"].label = "说明"
            self.fields["reason"].initial = "新增事项"

    def section(self, names):
        return [self[n] for n in names if n in self.fields]

    def basic_fields(self):
        return self.section(self.BASIC)

    def limit_fields(self):
        return self.section(self.LIMITS)

    def guide_fields(self):
        return self.section(GUIDE_FIELDS)

    def data_dict(self) -> dict:
        cd = self.cleaned_data
        data = {k: cd[k] for k in ITEM_FIELDS + GUIDE_FIELDS if k in cd}
        data["chief_list_included"] = INCLUSION_VALUES[cd.get("chief_list_included") or ""]
        data["parent_code"] = cd.get("parent_code", "")
        if not self.editing:
            data["code"] = cd["code"]
        return data


class RowForm(forms.Form):
    """A row of a guide list. A blank extra row counts as untouched even though its
    checkboxes start ticked, so it is skipped instead of failing validation."""

    def has_changed(self) -> bool:
        if self.initial:
            return super().has_changed()
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in ("name", "post", "description", "note", "source", "basis")
            if name in self.fields
        ) or bool(self.files.get(self.add_prefix("sample_text")))


class MaterialForm(RowForm):
    name = forms.CharField(label="材料名称", max_length=200)
    required = forms.BooleanField(label="必要", required=False, initial=True)
    original = forms.BooleanField(label="原件", required=False, initial=True)
    copies = forms.IntegerField(label="份数", min_value=0, max_value=99, initial=1)
    electronic_ok = forms.BooleanField(label="接受电子材料", required=False, initial=True)
    source = forms.CharField(label="来源渠道", max_length=100, required=False)
    exempt_by_sharing = forms.BooleanField(label="共享免提交", required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)
    basis = forms.CharField(label="依据", max_length=300, required=False)
    sample_text = forms.FileField(label="示范文本", required=False)
    existing_sample = forms.CharField(required=False, widget=forms.HiddenInput)
    clear_sample = forms.BooleanField(label="删除示范文本", required=False)


class StepForm(RowForm):
    name = forms.CharField(label="环节名称", max_length=100)
    post = forms.CharField(label="责任岗位", max_length=100)
    days = forms.IntegerField(label="时限（工作日）", min_value=0, initial=0)
    description = forms.CharField(label="办理标准", max_length=300, required=False)


class SpecialStepForm(RowForm):
    name = forms.CharField(label="特别程序名称", max_length=100)
    days = forms.IntegerField(label="时限（工作日）", min_value=0, initial=0)
    basis = forms.CharField(label="依据", max_length=300, required=False)
    counted_in_limit = forms.BooleanField(label="计入办理时限", required=False)


class ScenarioForm(RowForm):
    name = forms.CharField(label="情形名称", max_length=200)
    description = forms.CharField(
        label="情形说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


FORMSETS = {
    "materials": MaterialForm,
    "steps": StepForm,
    "special_steps": SpecialStepForm,
    "scenarios": ScenarioForm,
}


def make_formsets(data=None, files=None, initial: dict | None = None) -> dict:
    out = {}
    for key, form in FORMSETS.items():
        rows = (initial or {}).get(key) or []
        if key == "materials":
            rows = [{**r, "existing_sample": r.get("sample_text", "")} for r in rows]
            rows = [{k: v for k, v in r.items() if k != "sample_text"} for r in rows]
        extra = (3 if key == "materials" else 2) if not rows else 1
        cls = forms.formset_factory(form, extra=extra, can_delete=True)
        out[key] = cls(data, files, prefix=key, initial=rows or None)
    return out


def formset_rows(formsets: dict) -> dict:
    """The list rows of a valid set of formsets; blank extra rows are skipped."""
    out = {}
    for key, formset in formsets.items():
        rows = []
        for i, form in enumerate(formset.forms):
            # Blank extra rows are skipped; existing rows count even when untouched.
            extra = i >= formset.initial_form_count()
            if (extra and not form.has_changed()) or form.cleaned_data.get("DELETE"):
                continue
            row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            if key == "materials":
                upload = row.pop("sample_text", None)
                existing = row.pop("existing_sample", "")
                clear = row.pop("clear_sample", False)
                row["sample_text"] = upload or ("" if clear else existing)
            rows.append(row)
        out[key] = rows
    return out


class InclusionForm(forms.Form):
    included = forms.ChoiceField(
        label="是否纳入", choices=[("yes", "纳入"), ("no", "不纳入")], widget=forms.RadioSelect
    )
    exclusion_reason = forms.ChoiceField(
        label="未纳入原因", choices=_blank(ExclusionReason.choices), required=False
    )
    exclusion_note = forms.CharField(
        label="未纳入说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label="报送说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "通过并发布"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(label="报送截止日期", widget=DateInput, required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label="报送批次名称", max_length=100)
    due_date = forms.DateField(label="报送截止日期", widget=DateInput)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")
    reason = forms.CharField(label="导入说明", max_length=200, required=False)


class PhraseForm(forms.Form):
    phrase = forms.CharField(label="模糊表述", max_length=50)
