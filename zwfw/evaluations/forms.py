"""Forms of the rating pages and the staff pages (fields and formats only; rules are in
services)."""

from django import forms

from zwfw.evaluations.models import BAD_TAGS, GOOD_TAGS, LEVELS_BEST_FIRST, Finding, Tag


class RatingForm(forms.Form):
    """The public rating form. No level is ever pre-selected (ratings are voluntary and not
    steered, NATIONAL.md); the levels read best first (非常满意 … 非常不满意, 5 to 1 stars);
    `website` is a honeypot a person never sees."""

    level = forms.TypedChoiceField(
        label="评价等级",
        choices=LEVELS_BEST_FIRST,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价等级"},
    )
    tags = forms.MultipleChoiceField(
        label="评价标签（可多选）",
        choices=[(t.value, t.label) for t in Tag if t in BAD_TAGS or t in GOOD_TAGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label="意见建议（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "请描述您遇到的情况或建议"}),
    )
    rater_phone = forms.CharField(
        label="联系电话（选填，仅用于回访，严格保密；差评请填写并验证）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # A bad review from a QR code is verified by an SMS code (issue 11 point 6).
    sms_code = forms.CharField(
        label="短信验证码",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    website = forms.CharField(required=False, label="网址")
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, ask_phone: bool = True, ask_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_phone:
            del self.fields["rater_phone"]
        if not ask_code:
            del self.fields["sms_code"]

    @property
    def good_tags(self):
        return [(t.value, t.label) for t in GOOD_TAGS]

    @property
    def bad_tags(self):
        return [(t.value, t.label) for t in BAD_TAGS]


class CallbackForm(forms.Form):
    finding = forms.ChoiceField(label="核实结论", choices=[("", "请选择"), *Finding.choices])
    note = forms.CharField(label="回访记录", widget=forms.Textarea(attrs={"rows": 3}))


class RectifyForm(forms.Form):
    note = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))


class ReportBackForm(forms.Form):
    note = forms.CharField(
        label="反馈内容（将以短信告知评价人）", widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    result = forms.CharField(label="整改结果", widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日", min_value=1, max_value=14)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    reason = forms.CharField(
        label="申诉理由（误评、恶意差评的事实和证据）", widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideAppealForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="复核结论",
        choices=[("", "请选择"), ("1", "申诉成立（核减该评价）"), ("0", "申诉不成立")],
        coerce=lambda v: v == "1",
    )
    opinion = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}))


class DeviceForm(forms.Form):
    window = forms.ModelChoiceField(label="窗口", queryset=None, empty_label="请选择窗口")
    name = forms.CharField(label="设备名称", max_length=100, initial="窗口评价器")

    def __init__(self, *args, windows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"


class VisitForm(forms.Form):
    window = forms.ModelChoiceField(
        label="窗口", queryset=None, required=False, empty_label="（不指定窗口）"
    )
    case = forms.CharField(label="办件编号（选填）", required=False, max_length=40)

    def __init__(self, *args, windows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        self.fields["window"].label_from_instance = lambda w: f"{w.center.name} {w}"
