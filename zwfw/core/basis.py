"""The legal basis of a rule, in words (issue 16 point 7): pages say 依据《行政许可法》第三十二条,
not "L-ACCEPT". One table for every page, form and API error; the API keeps the rule ID in
`code` for machines and adds the words as `basis`.

Rule IDs follow the seed documents' numbering (../shared/spec/RULES.md): E-6.2 is article 6
of seed 000, R-19 article 19 of seed 002, TW/TC the two Linyi documents, N seed 004; C-2.x
is part 二 of seed 001 and C-A2 its attachment 2; L-* are national rules.
"""

import re

from zwfw.core.errors import RuleViolation

DOCUMENTS = {
    "E": "《淄博市政务服务首席专家选拔管理办法（试行）》",
    "C": "《赤壁市“首席服务员”实施方案》",
    "R": "《黔江区政务服务中心进驻人员管理办法》",
    "TW": "《临沂市高层次人才服务窗口运行办法》",
    "TC": "《临沂市高层次人才服务专员管理办法》",
    "N": "《自然资源和规划局首席服务员管理办法》",
}
LICENSING = "《中华人民共和国行政许可法》"
NATIONAL = {
    "L-ACCEPT": f"{LICENSING}第三十二条",
    "L-LIMIT": f"{LICENSING}第四十二条",
    "L-PAUSE": f"{LICENSING}第四十五条",
    "L-EVAL": "《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》",
    "L-CAL": "国务院办公厅关于年度部分节假日安排的通知",
}
DIGITS = "零一二三四五六七八九"
RULE_ID = re.compile(r"^(TW|TC|[ECRN])-(A?)(\d+)")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 32 → 三十二 (article numbers, below 100)."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return DIGITS[n]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def basis(code: str | None) -> str:
    """The words of a rule's basis ("" for codes that are not rule IDs: invalid, forbidden …)."""
    if not code:
        return ""
    if code in NATIONAL:
        return NATIONAL[code]
    found = RULE_ID.match(code)
    if not found:
        return ""
    prefix, attachment, number = found.group(1), found.group(2), int(found.group(3))
    document = DOCUMENTS[prefix]
    if attachment:
        return f"{document}附件{number}"
    if prefix == "C":
        return f"{document}第{chinese_number(number)}部分"
    return f"{document}第{chinese_number(number)}条"


def explain(exc: RuleViolation) -> str:
    """A refusal as a person reads it: the message, then its basis in words if it has one."""
    words = basis(exc.code)
    return f"{exc.message}（依据{words}）" if words else exc.message
