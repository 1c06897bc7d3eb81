"""TW-14: the snapshot document of an archive filing (docx and PDF, with the same rows)."""

import datetime

from zwfw.documents import docx
from zwfw.documents.pdf import render_pdf

HEADERS = ["人才", "层次", "用人单位", "申请数", "申办事项", "办结", "评价", "状态核实", "当前状态"]
KEYS = [
    "talent",
    "level",
    "employer",
    "requests",
    "items",
    "completed",
    "ratings",
    "status_checks",
    "status",
]


def _intro(window, label: str, snapshot: list[dict], on: datetime.date) -> str:
    parent = window.parent.name if window.parent_id else "—"
    return (
        f"报备窗口：{window.name}；上级窗口：{parent}；"
        f"备案日期：{on:%Y年%m月%d日}；档案数：{len(snapshot)}。"
    )


def filing_docx(*, window, label: str, snapshot: list[dict], on: datetime.date) -> bytes:
    doc = docx.new_document()
    docx.add_title(doc, f"高层次人才服务工作档案备案表（{label}）")
    docx.add_paragraph(doc, _intro(window, label, snapshot, on))
    docx.add_table(doc, HEADERS, [[r[k] for k in KEYS] for r in snapshot], size=10)
    docx.add_paragraph(doc, "（人才姓名已脱敏；完整档案保存在建档窗口。）", indent=False)
    return docx.to_bytes(doc)


def filing_pdf(*, window, label: str, snapshot: list[dict], on: datetime.date) -> bytes:
    return render_pdf(
        "talents/doc_filing.html",
        {
            "title": f"高层次人才服务工作档案备案表（{label}）",
            "intro": _intro(window, label, snapshot, on),
            "headers": HEADERS,
            "rows": [[r[k] for k in KEYS] for r in snapshot],
        },
    )
