"""The authorization letter (授权委托书, C-A2) as .docx and .pdf."""

import datetime
import io

import docx
import pytest
from pypdf import PdfReader

from tests.grants.factories import candidate, item, make_grant
from zwfw.grants import letters, services

D = datetime.date


@pytest.fixture
def grant(center_admin, department, lg):
    finals = [
        item(department, name="保安服务公司设立许可"),
        item(
            department,
            name="第二类、第三类易制毒化学品购买备案证明",
            handling_name="易制毒化学品购买备案",
        ),
    ]
    prelims = [item(department, name="典当业特种行业许可证核发")]
    person = candidate(department, name="陆文博", position="审批科副科长")
    return make_grant(
        center_admin,
        department,
        grantee=person,
        final=finals,
        preliminary=prelims,
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 12, 20),
    )


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_docx_lists_grantee_items_powers_term_and_signatures(grant):
    """C-A2: the letter names the department and grantee, both item lists, the standing
    powers, the term, the supervision clause, places for seal and signature, and the date."""
    filename, content = letters.letter_docx(grant)
    assert filename.endswith(".docx")
    text = _docx_text(content)
    assert "审批服务授权委托书" in text
    assert "授权委托部门（单位）：示范市公安局" in text
    assert "被授权人：陆文博" in text
    for name in [
        "保安服务公司设立许可",
        "第二类、第三类易制毒化学品购买备案证明",
        "典当业特种行业许可证核发",
    ]:
        assert name in text
    assert "一、由首席服务员审查终审的项目：" in text
    assert "二、由首席服务员初审后" in text
    assert "业务受理办理、咨询" in text  # window business
    assert "联合审批事项的会签意见" in text  # joint approvals and opinions
    assert "联络、协调" in text  # liaison
    assert "行政审批专用章的管理和使用" in text  # seal custody
    assert "授权期限：自2025年1月1日起至2026年12月31日止" in text
    assert "监督检查" in text and "承担相应的法律责任" in text
    assert "（盖章）" in text and "被授权人（签名）" in text
    assert "2024年12月20日" in text


def test_docx_title_is_centred_in_a_chinese_face(grant):
    """C-A2: clean Chinese typesetting: title centred, East Asian fonts named."""
    _, content = letters.letter_docx(grant)
    document = docx.Document(io.BytesIO(content))
    title = document.paragraphs[0]
    assert title.alignment == 1  # centre
    run = title.runs[0]
    east_asia = run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
    )
    assert east_asia == "宋体"


def test_letter_without_seal_power_leaves_that_clause_out(center_admin, other_department):
    """C-A2: the standing clauses follow the powers granted."""
    grant = make_grant(
        center_admin,
        other_department,
        powers=["decide"],
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
    )
    text = _docx_text(letters.letter_docx(grant)[1])
    assert "行政审批专用章的管理和使用" not in text
    assert "被授权人依本授权委托书行使审批决定权" in text


def test_chief_representative_letter_names_the_role(center_admin, dept_admin, department):
    """C-A2/R-12: a chief representative's letter names the role and the four powers."""
    person = candidate(department, name="杜海峰")
    services.file_section_head(
        by=dept_admin, department=department, person=person, filed_on=D(2024, 12, 1)
    )
    grant = make_grant(
        center_admin,
        department,
        grantee=person,
        role="chief_representative",
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
    )
    text = _docx_text(letters.letter_docx(grant)[1])
    assert "窗口首席代表" in text
    assert "审批决定权、审核上报权、印章使用权、组织协调权" in text


def test_revoked_letter_says_so(grant, lg):
    services.revoke_grant(by=lg, grant=grant, reason="调离", on=D(2025, 6, 1))
    grant.refresh_from_db()
    assert "本授权已于2025年6月1日经领导小组研究撤销" in _docx_text(letters.letter_docx(grant)[1])


def test_pdf_renders_chinese_with_an_embedded_cjk_font(grant):
    """C-A2: the PDF has extractable Chinese text and embeds Noto Serif CJK."""
    filename, content = letters.letter_pdf(grant)
    assert filename.endswith(".pdf")
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    compact = "".join(text.split())
    assert "审批服务授权委托书" in compact
    assert "陆文博" in compact
    assert "保安服务公司设立许可" in compact
    assert "典当业特种行业许可证核发" in compact
    assert "2026年12月31日" in compact
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            for d in descendants or []:
                descriptor = d.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert any("NotoSerifCJKSC" in name.replace("-", "") for name in fonts), fonts
