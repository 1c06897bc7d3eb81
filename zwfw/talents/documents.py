"""TW-14: the snapshot document of an archive filing (docx)."""

import datetime

from zwfw.documents import docx


def filing_docx(*, window, label: str, snapshot: list[dict], on: datetime.date) -> bytes:
    doc = docx.new_document()
    docx.add_title(doc, f"高层次人才服务工作档案备案表（{label}）")
    docx.add_paragraph(
        doc,
        f"报备窗口：{window.name}；上级窗口：{window.parent.name if window.parent_id else '—'}；"
        f"备案日期：{on:%Y年%m月%d日}；档案数：{len(snapshot)}。",
    )
    docx.add_table(
        doc,
        ["人才", "层次", "用人单位", "申请数", "申办事项", "办结", "评价", "状态核实", "当前状态"],
        [
            [
                r["talent"],
                r["level"],
                r["employer"],
                r["requests"],
                r["items"],
                r["completed"],
                r["ratings"],
                r["status_checks"],
                r["status"],
            ]
            for r in snapshot
        ],
        size=10,
    )
    docx.add_paragraph(doc, "（人才姓名已脱敏；完整档案保存在建档窗口。）", indent=False)
    return docx.to_bytes(doc)
