"""Documents of the resident-staff app: the center's reply to a change letter (R-11), the
monthly bulletin (R-21, PDF and xlsx, the xlsx also the performance-pay export), the annual
results letter to a home department (R-23) and the half-year report draft (R-24)."""

from django.utils import timezone

from zwfw.documents import docx, xlsx
from zwfw.documents.pdf import render_pdf
from zwfw.staff.models import Grade

# --- R-11 -----------------------------------------------------------------------------------


def reply_context(letter) -> dict:
    reply = letter.reply
    old = letter.assignment.person
    return {
        "title": f"关于{letter.department.name}调整进驻人员的复函",
        "reply_no": reply.reply_no,
        "to": letter.department.name,
        "paragraphs": [
            f"你单位《{letter.letter_no}》收悉。你单位因{letter.reason}，拟将进驻{letter.center.name}"
            f"的工作人员{old.name}调整为{letter.new_person.name}（{letter.new_person_details}）。",
            (
                f"经审核，同意上述调整。{letter.new_person.name}须经本中心会同组织人事部门审核合格后方可进驻，"
                "进驻期限三年，原则上中途不得调整。"
                if reply.approved
                else "经审核，不同意上述调整，请按原安排继续进驻。"
            )
            + (f"{reply.note}" if reply.note else ""),
            "特此函复。",
        ],
        "signer": letter.center.name,
        "date": reply.replied_on,
    }


def _letter_docx(ctx: dict) -> bytes:
    doc = docx.new_document()
    if ctx.get("number"):
        docx.add_paragraph(doc, ctx["number"], indent=False, align="center")
    docx.add_title(doc, ctx["title"])
    if ctx.get("to"):
        docx.add_paragraph(doc, f"{ctx['to']}：", indent=False)
    for p in ctx["paragraphs"]:
        docx.add_paragraph(doc, p)
    if ctx.get("table"):
        docx.add_table(doc, ctx["table"]["header"], ctx["table"]["rows"])
    docx.add_paragraph(doc, "")
    docx.add_paragraph(doc, ctx["signer"], indent=False, align="right")
    docx.add_paragraph(doc, f"{ctx['date']:%Y年%m月%d日}", indent=False, align="right")
    return docx.to_bytes(doc)


def reply_docx(letter) -> tuple[str, bytes]:
    ctx = reply_context(letter)
    ctx["number"] = ctx["reply_no"]
    return f"复函-{letter.letter_no}.docx", _letter_docx(ctx)


def reply_pdf(letter) -> tuple[str, bytes]:
    ctx = reply_context(letter)
    ctx["number"] = ctx["reply_no"]
    return f"复函-{letter.letter_no}.pdf", render_pdf("staff/doc_letter.html", {"c": ctx})


# --- R-21 -----------------------------------------------------------------------------------

BULLETIN_HEADER = [
    "名次",
    "姓名",
    "进驻单位",
    "得分",
    "收件",
    "办结",
    "按时",
    "好评/评价",
    "扣分项",
    "加减分",
]


def bulletin_rows(rows) -> list[list]:
    out = []
    for i, r in enumerate(rows, start=1):
        facts = (r.parts or {}).get("facts", {})
        parts = (r.parts or {}).get("parts", [])
        deductions = "；".join(
            f"{p['name']}{p['points']}"
            for p in parts
            if p["code"] != "manual" and p["points"].startswith("-")
        )
        manual = "；".join(p["formula"] for p in parts if p["code"] == "manual")
        out.append(
            [
                i,
                r.person.name,
                r.department.name,
                float(r.score),
                facts.get("received", 0),
                facts.get("decided", 0),
                facts.get("on_time", 0),
                f"{facts.get('good', 0)}/{facts.get('evaluations', 0)}",
                deductions,
                manual,
            ]
        )
    return out


def bulletin_title(bulletin) -> str:
    return f"{bulletin.center.name}进驻人员{bulletin.month:%Y年%m月}考核情况通报"


def bulletin_pdf(bulletin, rows) -> tuple[str, bytes]:
    ctx = {
        "title": bulletin_title(bulletin),
        "bulletin": bulletin,
        "header": BULLETIN_HEADER,
        "rows": bulletin_rows(rows),
    }
    return f"每月通报-{bulletin.center.code}-{bulletin.month:%Y-%m}.pdf", render_pdf(
        "staff/doc_bulletin.html", {"c": ctx}
    )


def bulletin_xlsx(bulletin, rows) -> tuple[str, bytes]:
    """The bulletin as a sheet; it is also the performance-pay (超额绩效) export."""
    content = xlsx.write_xlsx(
        BULLETIN_HEADER,
        bulletin_rows(rows),
        title=f"{bulletin.month:%Y-%m}",
        caption=bulletin_title(bulletin),
        widths=[6, 10, 24, 8, 6, 6, 6, 10, 30, 30],
    )
    return f"每月通报-{bulletin.center.code}-{bulletin.month:%Y-%m}.xlsx", content


# --- R-23 -----------------------------------------------------------------------------------


def grades_letter_context(center, department, year: int, grades) -> dict:
    rows = [[g.person.name, f"{g.score}", g.months, g.get_grade_display()] for g in grades]
    counts = {label: sum(1 for g in grades if g.grade == value) for value, label in Grade.choices}
    summary = "，".join(f"{k}{v}人" for k, v in counts.items() if v)
    return {
        "title": f"关于{year}年度进驻人员考核结果的函",
        "to": department.name,
        "paragraphs": [
            f"根据《进驻人员管理办法》第二十二条、第二十三条，本中心作为进驻人员的考核单位，"
            f"已完成{year}年度考核。你单位进驻本中心的工作人员共{len(grades)}人，{summary}。具体结果如下：",
        ],
        "table": {"header": ["姓名", "年度平均分", "考核月数", "考核等次"], "rows": rows},
        "closing": "考核结果作为进驻人员晋职晋级、评先评优的重要依据。特此函告。",
        "signer": center.name,
        "date": timezone.localdate(),
    }


def grades_letter_docx(center, department, year, grades) -> tuple[str, bytes]:
    ctx = grades_letter_context(center, department, year, grades)
    doc_bytes = _letter_docx({**ctx, "paragraphs": ctx["paragraphs"] + [ctx["closing"]]})
    return f"{year}年度考核结果函-{department.name}.docx", doc_bytes


def grades_letter_pdf(center, department, year, grades) -> tuple[str, bytes]:
    ctx = grades_letter_context(center, department, year, grades)
    return f"{year}年度考核结果函-{department.name}.pdf", render_pdf(
        "staff/doc_letter.html", {"c": ctx}
    )


# --- R-24 -----------------------------------------------------------------------------------


def report_docx(ctx: dict) -> tuple[str, bytes]:
    doc = docx.new_document()
    docx.add_title(doc, ctx["title"])
    docx.add_paragraph(doc, "（草稿，供督查室修改后印发）", indent=False, align="center")
    for heading, paragraphs, table in ctx["sections"]:
        docx.add_paragraph(doc, heading, indent=False, bold=True)
        for p in paragraphs:
            docx.add_paragraph(doc, p)
        if table:
            docx.add_table(doc, table["header"], table["rows"])
    docx.add_paragraph(doc, "")
    docx.add_paragraph(doc, ctx["signer"], indent=False, align="right")
    return f"{ctx['title']}.docx", docx.to_bytes(doc)


def report_pdf(ctx: dict) -> tuple[str, bytes]:
    return f"{ctx['title']}.pdf", render_pdf("staff/doc_report.html", {"c": ctx})
