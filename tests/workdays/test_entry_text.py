"""The edit page's text form of a year (pure): one line per day or range (L-CAL)."""

import pytest

from tests.workdays.conftest import d
from zwfw.core.errors import RuleViolation
from zwfw.workdays.entry_text import format_entries, parse_entries


def test_parse_days_ranges_and_comments():
    """L-CAL: ranges expand to every day, weekends included, as notices list them."""
    text = "# 2026\n2026-02-15~2026-02-17 春节\n\n2026-9-25 至 2026-9-26 中秋节\n2026-01-04 元旦"
    assert parse_entries(text, "holidays") == [
        (d("2026-02-15"), "春节"),
        (d("2026-02-16"), "春节"),
        (d("2026-02-17"), "春节"),
        (d("2026-09-25"), "中秋节"),
        (d("2026-09-26"), "中秋节"),
        (d("2026-01-04"), "元旦"),
    ]


@pytest.mark.parametrize(
    "text,words",
    [
        ("2026-02-30 春节", "第1行：2026-02-30 不是有效日期"),
        ("\n春节 2026-02-15", "第2行格式不对"),
        ("2026-02-15", "第1行格式不对"),
        ("2026-02-17~2026-02-15 春节", "结束日期早于开始日期"),
        ("2026-01-01~2026-03-01 春节", "超过31天"),
    ],
)
def test_bad_lines_name_their_line(text, words):
    with pytest.raises(RuleViolation) as err:
        parse_entries(text, "adjusted_workdays")
    assert words in err.value.message and err.value.field == "adjusted_workdays"


def test_format_round_trips():
    entries = dict(parse_entries("2026-10-01~2026-10-07 国庆节\n2026-09-20 国庆节", "holidays"))
    text = format_entries(entries)
    assert text == "2026-09-20 国庆节\n2026-10-01~2026-10-07 国庆节"
    assert dict(parse_entries(text, "holidays")) == entries
