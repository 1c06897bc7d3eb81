"""Word documents with python-docx, set in the faces Chinese offices expect.

Word does not fall back between East Asian fonts, so every run names its `eastAsia` font
explicitly: 宋体 for titles, 仿宋 for body text (sizes 二号 22pt and 三号 16pt, GB/T 9704).
Text passes through `core.textclean.clean_text` first: XML cannot hold control characters,
and a stored value must never stop a letter from being written.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zwfw.core.textclean import clean_text

TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Name the font for Latin and East Asian text alike."""
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def new_document() -> Document:
    """An A4 document with official-document margins and the body font as default."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, BODY_SIZE)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    return doc


def add_title(doc: Document, text: str, size: float = TITLE_SIZE) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(16)
    paragraph.paragraph_format.line_spacing = Pt(size * 1.6)
    set_font(paragraph.add_run(clean_text(text)), TITLE_FONT, size, bold=True)


def add_paragraph(
    doc: Document,
    text: str = "",
    *,
    indent: bool = True,
    align: str = "justify",
    bold: bool = False,
    size: float = BODY_SIZE,
    font: str = BODY_FONT,
) -> None:
    """A body paragraph; `indent` gives the customary two-character first-line indent."""
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        set_font(paragraph.add_run(clean_text(text)), font, size, bold=bold)


def add_table(doc: Document, header: list[str], rows: list[list[str]], size: float = 12) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(clean_text(text)), BODY_FONT, size, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            set_font(cell.paragraphs[0].add_run(clean_text(str(text))), BODY_FONT, size)


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
