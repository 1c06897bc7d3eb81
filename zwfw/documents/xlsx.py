"""Shared Excel helpers (openpyxl): write-only export and streaming (read-only) import.

Both modes keep memory flat for big sheets (ARCHITECTURE.md, Exports): the writer streams
rows into the file, the reader yields one row at a time.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook (message in Chinese, for users)."""


def write_xlsx(
    headers: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    title: str = "Sheet1",
    widths: list[int] | None = None,
    caption: str | None = None,
) -> bytes:
    """A workbook with one sheet: an optional caption row, a bold header row, then `rows`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if caption:
        cell = WriteOnlyCell(ws, value=caption)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_rows(file) -> Iterator[tuple[int, tuple]]:
    """Yield (row number as Excel shows it, values) of the first sheet, streaming.

    Raises XlsxError for anything that is not an .xlsx workbook.
    """
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise XlsxError("文件超过50MB，请分批导入")
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise XlsxError("无法读取该文件，请上传 .xlsx 格式的 Excel 文件") from exc
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise XlsxError("文件中没有工作表")
        if hasattr(ws, "_get_source") and hasattr(ws, "_shared_strings"):
            yield from _fast_rows(ws)
        else:
            yield from enumerate(ws.iter_rows(values_only=True), start=1)
    except etree.XMLSyntaxError as exc:
        raise XlsxError("文件内容已损坏，无法读取") from exc
    finally:
        wb.close()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}is"


def _column(ref: str) -> int:
    """0-based column of a cell reference such as "AB12"."""
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1


def _cell_value(cell, strings):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return "".join(inline.itertext()) if inline is not None else None
    node = cell.find(_VALUE)
    raw = node.text if node is not None else None
    if raw is None:
        return None
    if kind == "s":
        return str(strings[int(raw)])
    if kind == "b":
        return raw == "1"
    if kind in ("str", "e"):
        return raw
    number = float(raw)
    return int(number) if number.is_integer() and "." not in raw and "E" not in raw else number


def _fast_rows(ws) -> Iterator[tuple[int, tuple]]:
    """Stream the rows of a read-only sheet straight from its XML (lxml iterparse).

    openpyxl's own cell parser builds a dict per cell and checks number formats for dates;
    on a 10,000-row sheet that is most of an import's time. Values come back as text,
    numbers and booleans; dates stay serial numbers (no date columns in our layouts).
    """
    strings = ws._shared_strings
    expected = 1
    with ws._get_source() as source:
        for _event, row in etree.iterparse(source, tag=_ROW):
            number = int(row.get("r") or expected)
            while expected < number:  # rows the file leaves out are empty rows
                yield expected, ()
                expected += 1
            values: list = []
            for cell in row.iterchildren(_CELL):
                ref = cell.get("r")
                col = _column(ref) if ref else len(values)
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values.append(_cell_value(cell, strings))
            yield number, tuple(values)
            expected = number + 1
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]


def cell_text(value) -> str:
    """A cell as trimmed text ("" for empty); whole floats lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
