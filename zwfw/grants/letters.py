"""The authorization letter (审批服务授权委托书, 附件2 of seed 001; C-A2, N-10) as .docx and .pdf.

Both formats come from one `letter_content()`, so the Word file an office edits and the PDF it
files say the same thing.
"""

import datetime
from dataclasses import dataclass, field

from zwfw.documents import docx as docx_doc
from zwfw.documents.pdf import render_pdf
from zwfw.grants.eligibility import GrantRole, Power, powers_label
from zwfw.grants.models import Grant

NUMERALS = "一二三四五六七八九十"
LAW_BASIS = (
    "根据《中华人民共和国公务员法》《中华人民共和国行政许可法》等法律法规，为促进行政审批"
    "规范、高效运作，更好地为企业和群众服务，经研究，"
)
SUPERVISION = (
    "授权委托人负责对被授权人实施的审批服务工作和本单位行政审批专用章使用等情况进行监督检查，"
    "并对被授权人实施的行政行为承担相应的法律责任。"
)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def item_label(item) -> str:
    handling = getattr(item, "handling_name", "") or ""
    if handling and handling != item.name:
        return f"{item.name}（{handling}）"
    return item.name


@dataclass
class Clause:
    heading: str
    items: list[str] = field(default_factory=list)
    is_list: bool = False


@dataclass
class LetterContent:
    title: str
    department: str
    grantee: str
    grantee_post: str
    intro: str
    clauses: list[Clause]
    powers: str
    term: str
    domain: str
    supervision: str
    date: str
    revoked: str


def letter_content(grant: Grant) -> LetterContent:
    role = GrantRole(grant.role).label
    powers = set(grant.powers)
    center = grant.department.center.name if grant.department.center_id else "政务服务中心"
    person = grant.grantee
    clauses = [
        Clause(
            f"由{role}审查终审的项目：",
            [item_label(i) for i in grant.final_items.all()],
            is_list=True,
        ),
        Clause(
            f"由{role}初审后经部门（单位）其他人员查看现场或审查后办理终审的事项：",
            [item_label(i) for i in grant.preliminary_items.all()],
            is_list=True,
        ),
        Clause(f"负责{center}本单位工作窗口的业务受理办理、咨询及各项日常工作。"),
    ]
    if Power.COORDINATE in powers:
        clauses.append(
            Clause(
                "组织、协调、规范、监督本单位行政审批的实施和联合审批等工作，"
                "代表本单位签署审批意见及联合审批事项的会签意见。"
            )
        )
    clauses.append(
        Clause(f"负责本部门（单位）工作窗口与{center}的联络、协调以及有关信息的传递工作。")
    )
    if Power.USE_SEAL in powers:
        clauses.append(Clause("负责本单位行政审批专用章的管理和使用。"))
    clauses.append(Clause(f"负责组织完成本部门（单位）和{center}交办的其他工作。"))
    for index, clause in enumerate(clauses):
        clause.heading = f"{NUMERALS[index]}、{clause.heading}"
    # The post as offices write it: the position, or the section when no position is recorded.
    post = person.position or (person.section.name if person.section_id else "")
    revoked = ""
    if grant.revoked_on:
        revoked = f"注：本授权已于{chinese_date(grant.revoked_on)}经领导小组研究撤销。"
    return LetterContent(
        title="审批服务授权委托书",
        department=grant.department.name,
        grantee=person.name,
        grantee_post=post,
        intro=f"{LAW_BASIS}现授权{person.name}同志为本部门派驻{center}窗口{role}，授权范围如下：",
        clauses=clauses,
        powers=f"被授权人依本授权委托书行使{powers_label(grant.powers)}。",
        term=f"授权期限：自{chinese_date(grant.valid_from)}起至{chinese_date(grant.valid_to)}止。",
        domain=f"负责业务领域：{grant.business_domain}。" if grant.business_domain else "",
        supervision=SUPERVISION,
        date=chinese_date(grant.decision.decided_on),
        revoked=revoked,
    )


def _filename(grant: Grant, ext: str) -> str:
    return f"授权委托书-{grant.department.name}-{grant.grantee.name}.{ext}"


def letter_docx(grant: Grant) -> tuple[str, bytes]:
    c = letter_content(grant)
    doc = docx_doc.new_document()
    docx_doc.add_title(doc, c.title)
    post = f"（{c.grantee_post}）" if c.grantee_post else ""
    docx_doc.add_paragraph(doc, f"授权委托部门（单位）：{c.department}", indent=False)
    docx_doc.add_paragraph(doc, f"被授权人：{c.grantee}{post}", indent=False)
    docx_doc.add_paragraph(doc, c.intro)
    for clause in c.clauses:
        docx_doc.add_paragraph(doc, clause.heading)
        if clause.is_list:
            for n, text in enumerate(clause.items or ["（无）"], start=1):
                docx_doc.add_paragraph(doc, f"{n}. {text}" if clause.items else text)
    docx_doc.add_paragraph(doc, c.powers)
    docx_doc.add_paragraph(doc, c.term)
    if c.domain:
        docx_doc.add_paragraph(doc, c.domain)
    docx_doc.add_paragraph(doc, c.supervision)
    if c.revoked:
        docx_doc.add_paragraph(doc, c.revoked, bold=True)
    docx_doc.add_paragraph(doc)
    docx_doc.add_paragraph(doc, "授权委托部门（单位）（盖章）", indent=False, align="right")
    docx_doc.add_paragraph(doc)
    docx_doc.add_paragraph(doc, "被授权人（签名）", indent=False, align="right")
    docx_doc.add_paragraph(doc)
    docx_doc.add_paragraph(doc, c.date, indent=False, align="right")
    return _filename(grant, "docx"), docx_doc.to_bytes(doc)


def letter_pdf(grant: Grant) -> tuple[str, bytes]:
    content = letter_content(grant)
    return _filename(grant, "pdf"), render_pdf("grants/letter.html", {"c": content})
