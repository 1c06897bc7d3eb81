"""Documents of the chief experts as .docx and .pdf from one content function each:
the application form (申报表, E-8), the ballot tally sheet (记名投票计票表, E-9.4) and the
studio evaluation report (工作室评估报告, E-11.4)."""

from collections import Counter

from zwfw.documents import docx as docx_doc
from zwfw.documents.pdf import render_pdf
from zwfw.experts.models import Ballot, Nomination, StudioEvaluation, StudioLog

DOCX = docx_doc.DOCX_CONTENT_TYPE
PDF = docx_doc.PDF_CONTENT_TYPE


def _d(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _yes(v: bool) -> str:
    return "已确认" if v else "未确认"


def form_content(n: Nomination) -> dict:
    p = n.nominee
    rows = [
        ("姓名", p.name),
        ("性别", p.get_gender_display()),
        ("出生日期", _d(p.birth_date)),
        ("截至申报截止日年龄", f"{n.age_at_deadline}周岁"),
        ("联系电话", p.phone),
        ("身份证号", p.id_number or "—"),
        ("工作单位", p.department.name),
        ("职务", p.position or "—"),
        ("进入本单位日期", _d(p.unit_start_date)),
        ("学历学位", n.education or "—"),
        ("专业技术职称", n.professional_title or "—"),
        ("行业领域", n.sector.name),
        ("人才类型", n.get_talent_type_display()),
        ("从事相关专业领域工作起始日期", _d(n.field_start_date)),
        ("从事政务服务工作起始日期", _d(n.service_work_start_date)),
        ("资格条件（E-6.2）", n.eligibility_basis or "—"),
        ("工作地点", n.workplace or "—"),
        ("职业资格", n.qualifications or "—"),
        ("主要技术成果", n.achievements or "—"),
        ("获奖情况", n.awards or "—"),
        ("推荐单位", f"{n.organisation.name}（{n.organisation.get_kind_display()}）"),
        ("推荐年度", f"{n.campaign.year}年"),
        ("政治素质", _yes(n.attest_political)),
        ("职业道德和社会公德", _yes(n.attest_ethics)),
        ("身体健康", _yes(n.attest_health)),
        ("廉洁自律", _yes(n.attest_integrity)),
        ("资格审查和政治审核意见", n.review_note or "—"),
        ("证明材料", "；".join(a.filename for a in n.attachments.all()) or "—"),
        ("状态", n.get_status_display()),
    ]
    if n.age_at_deadline > 55:
        rows.append(("超龄推荐理由（E-6.6）", n.age_justification))
        rows.append(("市选拔管理工作办公室审批", "已审批" if n.age_approved_by_id else "待审批"))
    return {
        "title": "淄博市政务服务首席专家申报表",
        "rows": rows,
        "deeds": n.deeds,
        "deeds_chars": n.deeds_chars,
        "nomination": n,
    }


def form_docx(n: Nomination) -> bytes:
    c = form_content(n)
    doc = docx_doc.new_document()
    docx_doc.add_title(doc, c["title"])
    docx_doc.add_table(doc, ["项目", "内容"], [list(r) for r in c["rows"]])
    docx_doc.add_paragraph(doc, f"事迹材料（{c['deeds_chars']}字）", indent=False, bold=True)
    for para in c["deeds"].splitlines() or [""]:
        if para.strip():
            docx_doc.add_paragraph(doc, para.strip())
    docx_doc.add_paragraph(doc, "推荐单位（盖章）            年    月    日", align="right")
    return docx_doc.to_bytes(doc)


def form_pdf(n: Nomination) -> bytes:
    return render_pdf("experts/doc_form.html", {"c": form_content(n)})


def tally_content(ballot: Ballot) -> dict:
    pool = ballot.pool
    votes = []
    for v in ballot.votes.select_related("voter").prefetch_related("choices__nominee"):
        names = "、".join(n.nominee.name for n in v.choices.all()) or "（弃权）"
        votes.append([v.voter.name, names])
    votes.sort()
    results = [
        [
            str(r.rank),
            r.nomination.nominee.name,
            str(r.votes),
            "50周岁以下" if r.nomination.under_50 else "",
            "建议人选" if r.proposed else "",
            r.tie_note,
        ]
        for r in ballot.results.select_related("nomination__nominee").order_by("rank")
    ]
    return {
        "title": f"{pool.campaign.year}年度{pool.sector.name}领域政务服务首席专家推选记名投票计票表",
        "held_on": _d(ballot.held_on),
        "discussion": ballot.discussion or "—",
        "seats": ballot.seats,
        "votes": votes,
        "results": results,
        "rule": "计票规则：按得票多少排序；得票相同的，截至申报截止日未满50周岁者优先；"
        "仍相同的，推荐申报在先者优先。",
    }


def tally_docx(ballot: Ballot) -> bytes:
    c = tally_content(ballot)
    doc = docx_doc.new_document()
    docx_doc.add_title(doc, c["title"])
    docx_doc.add_paragraph(
        doc, f"推选日期：{c['held_on']}；建议人选名额：{c['seats']}名", indent=False
    )
    docx_doc.add_paragraph(doc, f"讨论情况：{c['discussion']}", indent=False)
    docx_doc.add_paragraph(doc, "记名投票", indent=False, bold=True)
    docx_doc.add_table(doc, ["投票人", "选择"], c["votes"])
    docx_doc.add_paragraph(doc, "计票结果", indent=False, bold=True)
    docx_doc.add_table(doc, ["名次", "候选人", "得票", "年龄", "结果", "同票说明"], c["results"])
    docx_doc.add_paragraph(doc, c["rule"])
    docx_doc.add_paragraph(doc, "监票人：          计票人：          ", align="right")
    return docx_doc.to_bytes(doc)


def tally_pdf(ballot: Ballot) -> bytes:
    return render_pdf("experts/doc_tally.html", {"c": tally_content(ballot)})


def report_content(ev: StudioEvaluation) -> dict:
    studio = ev.studio
    logs = studio.logs.filter(date__year=ev.year)
    kinds = Counter(logs.values_list("kind", flat=True))
    by_kind = [[label, str(kinds.get(value, 0))] for value, label in StudioLog.Kind.choices]
    mentorings = [
        [m.trainee, m.trainee_unit or "—", _d(m.start), _d(m.end), m.outcome or "—"]
        for m in studio.mentorings.all()
        if m.start.year <= ev.year and (m.end is None or m.end.year >= ev.year)
    ]
    return {
        "title": f"{studio.name}{ev.year}年度工作评估报告",
        "studio": studio.name,
        "expert": studio.expert.person.name,
        "sector": studio.expert.sector.name,
        "address": studio.address,
        "year": ev.year,
        "grade": ev.get_grade_display(),
        "findings": ev.findings,
        "total": sum(kinds.values()),
        "consultations": logs.filter(is_consultation=True).count(),
        "by_kind": by_kind,
        "mentorings": mentorings,
    }


def report_docx(ev: StudioEvaluation) -> bytes:
    c = report_content(ev)
    doc = docx_doc.new_document()
    docx_doc.add_title(doc, c["title"])
    docx_doc.add_paragraph(
        doc,
        f"工作室：{c['studio']}；首席专家：{c['expert']}（{c['sector']}）；工作地点：{c['address']}",
        indent=False,
    )
    docx_doc.add_paragraph(
        doc, f"本年度共登记工作记录{c['total']}件，其中咨询{c['consultations']}件。", indent=False
    )
    docx_doc.add_table(doc, ["类别", "件数"], c["by_kind"])
    docx_doc.add_paragraph(doc, "传帮带", indent=False, bold=True)
    docx_doc.add_table(
        doc, ["学员", "单位", "开始", "结束", "成效"], c["mentorings"] or [["—"] * 5]
    )
    docx_doc.add_paragraph(doc, f"评估等次：{c['grade']}", indent=False, bold=True)
    docx_doc.add_paragraph(doc, f"评估意见：{c['findings']}")
    docx_doc.add_paragraph(doc, "市选拔管理工作办公室    行业主管部门工作委员会", align="right")
    return docx_doc.to_bytes(doc)


def report_pdf(ev: StudioEvaluation) -> bytes:
    return render_pdf("experts/doc_report.html", {"c": report_content(ev)})
