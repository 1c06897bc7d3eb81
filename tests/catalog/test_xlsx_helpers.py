"""zwfw.documents.xlsx: write-only export and the streaming reader (shared helpers)."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText

from zwfw.documents.xlsx import XlsxError, cell_text, read_rows, write_xlsx


def test_write_then_read_back():
    content = write_xlsx(
        ["编码", "名称", "天数"],
        [["A-1", "甲", 5], ["A-2", None, 0]],
        title="清单",
        caption="标题",
        widths=[10, 20, 8],
    )
    wb = load_workbook(io.BytesIO(content))
    assert wb.active.title == "清单" and wb.active["A1"].value == "标题"
    rows = list(read_rows(io.BytesIO(content)))
    assert rows == [
        (1, ("标题",)),
        (2, ("编码", "名称", "天数")),
        (3, ("A-1", "甲", 5)),
        (4, ("A-2", None, 0)),
    ]


def test_reader_handles_sparse_rows_types_and_inline_strings():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "表头"
    ws["C1"] = 1.5
    ws["B3"] = True
    ws["D3"] = "=1+1"
    ws["A4"] = CellRichText(["富", "文本"])
    out = io.BytesIO()
    wb.save(out)
    rows = dict(read_rows(io.BytesIO(out.getvalue())))
    assert rows[1] == ("表头", None, 1.5)
    assert rows[2] == ()
    assert rows[3][1] is True
    assert rows[4][0] == "富文本"


def test_reader_refuses_other_files():
    with pytest.raises(XlsxError):
        list(read_rows(io.BytesIO(b"not a workbook")))


def test_cell_text():
    assert cell_text(None) == "" and cell_text(3.0) == "3" and cell_text(" 甲 ") == "甲"
