from django import forms

from zwfw.core.errors import RuleViolation
from zwfw.workdays import entry_text

EXAMPLE = "例如：\n2026-02-15~2026-02-23 春节\n2026-10-01~2026-10-07 国庆节"


def _parsed(text: str, field: str):
    try:
        return entry_text.parse_entries(text, field)
    except RuleViolation as exc:
        raise forms.ValidationError(exc.message)


class YearForm(forms.Form):
    """One year's notice: a textarea per kind of day, one line per day or date range."""

    holidays = forms.CharField(
        label="法定节假日（放假）",
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": EXAMPLE}),
        help_text="每行一天或一段：YYYY-MM-DD 名称，或 YYYY-MM-DD~YYYY-MM-DD 名称；含假期中的周末",
    )
    adjusted_workdays = forms.CharField(
        label="调休上班日（周末上班）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "例如：\n2026-02-14 春节"}),
        help_text="每行一天：YYYY-MM-DD 所属节日；只能是周六或周日",
    )
    source = forms.CharField(
        label="依据（通知标题及文号）",
        required=False,
        max_length=300,
        help_text="留空则记为“国务院办公厅关于某年部分节假日安排的通知”",
    )
    reason = forms.CharField(
        label="更正理由",
        required=False,
        max_length=500,
        help_text="往年安排应保持原样；更正已结束年度的录入错误时必须填写",
    )

    def __init__(self, *args, past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not past:
            del self.fields["reason"]  # only a finished year needs one (rules.check_past_year)

    def clean_holidays(self):
        return _parsed(self.cleaned_data["holidays"], "holidays")

    def clean_adjusted_workdays(self):
        return _parsed(self.cleaned_data["adjusted_workdays"], "adjusted_workdays")
