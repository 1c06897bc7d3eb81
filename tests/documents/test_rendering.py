"""Shared document helpers: Word with named East Asian fonts, PDF with the CJK face."""

import io

import docx
from pypdf import PdfReader

from zwfw.documents import docx as docx_doc
from zwfw.documents.pdf import html_to_pdf


def test_docx_helpers_build_a_readable_document():
    doc = docx_doc.new_document()
    docx_doc.add_title(doc, "关于某事项的通知")
    docx_doc.add_paragraph(doc, "正文第一段。")
    docx_doc.add_table(doc, ["姓名", "职务"], [["张三", "科长"]])
    parsed = docx.Document(io.BytesIO(docx_doc.to_bytes(doc)))
    assert [p.text for p in parsed.paragraphs] == ["关于某事项的通知", "正文第一段。"]
    assert parsed.tables[0].cell(1, 0).text == "张三"
    section = parsed.sections[0]
    assert round(section.page_width.mm) == 210


def test_pdf_from_html_has_chinese_text():
    pdf = html_to_pdf(
        "<html><body style=\"font-family: 'Noto Serif CJK SC'\">"
        "<p>政务服务首席服务平台</p></body></html>"
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "政务服务首席服务平台" in "".join(text.split())
