"""Issue 16 point 7: rule IDs become their legal basis in words, from one table."""

import pytest

from zwfw.core.basis import basis, chinese_number, explain
from zwfw.core.errors import RuleViolation


@pytest.mark.parametrize(
    "code,words",
    [
        ("L-ACCEPT", "《中华人民共和国行政许可法》第三十二条"),
        ("L-LIMIT", "《中华人民共和国行政许可法》第四十二条"),
        ("R-19", "《黔江区政务服务中心进驻人员管理办法》第十九条"),
        ("R-6", "《黔江区政务服务中心进驻人员管理办法》第六条"),
        ("E-6.2", "《淄博市政务服务首席专家选拔管理办法（试行）》第六条"),
        ("TC-17", "《临沂市高层次人才服务专员管理办法》第十七条"),
        ("TW-3", "《临沂市高层次人才服务窗口运行办法》第三条"),
        ("N-18", "《自然资源和规划局首席服务员管理办法》第十八条"),
        ("C-4.3", "《赤壁市“首席服务员”实施方案》第四部分"),
        ("C-A2", "《赤壁市“首席服务员”实施方案》附件2"),
        ("invalid", ""),
        ("forbidden", ""),
        ("", ""),
    ],
)
def test_basis_words(code, words):
    assert basis(code) == words


def test_chinese_article_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 25, 32, 45)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十五",
        "三十二",
        "四十五",
    ]


def test_explain_shows_words_not_the_bare_id():
    text = explain(RuleViolation("R-16", "不能引导至本窗口"))
    assert text == "不能引导至本窗口（依据《黔江区政务服务中心进驻人员管理办法》第十六条）"
    assert "R-16" not in text
    assert explain(RuleViolation("invalid", "日期格式不正确")) == "日期格式不正确"


def test_api_error_keeps_the_code_and_adds_the_basis():
    assert RuleViolation("invalid", "x", field="f").as_dict() == {
        "code": "invalid",
        "message": "x",
        "field": "f",
    }
    assert RuleViolation("L-ACCEPT", "x").as_dict() == {
        "code": "L-ACCEPT",
        "message": "x",
        "basis": "《中华人民共和国行政许可法》第三十二条",
    }
