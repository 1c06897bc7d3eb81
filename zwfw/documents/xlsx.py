"""Shared Excel helpers (openpyxl): write-only export and streaming (read-only) import.

Both modes keep memory flat for big sheets (ARCHITECTURE.md, Exports): the writer streams
rows into the file, the reader yields one row at a time.

Every .xlsx the platform writes goes through `write_xlsx`, which makes each value safe for
the sheet (issue 11 points 11 and 16):

* text that starts with =, +, -, @, a tab or a carriage return is written as a text cell
  with Excel's quote prefix, never as a formula (no formula injection from a stored name);
  the text itself is unchanged, so an exported sheet still imports back as it was;
* characters XML cannot hold (control characters) and invisible format characters are
  dropped, so one bad stored value cannot break an export for everyone;
* aware datetimes are written in local time, other unknown types as text.
"""

import datetime
import decimal
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

from zwfw.core.textclean import clean_text

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class XlsxError(Exception):
    """The file is not a readable .xlsx workbook (message in Chinese, for users)."""


# Text starting with one of these is a formula to Excel, LibreOffice or WPS (OWASP CSV
# injection list); such cells are written as quoted text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_TYPES = (int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


def safe_value(value):
    """`value` as a sheet can hold it: text cleaned, aware datetimes local, others as text."""
    if value is None or isinstance(value, bool | str):
        return clean_text(value) if isinstance(value, str) else value
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, _PLAIN_TYPES):
        return value
    return clean_text(str(value))


def safe_cell(ws, value, *, cell: bool = False):
    """`value` ready for `ws.append`: a plain safe value, or a write-only cell when the
    caller wants one to style (`cell=True`) or when the text is one Excel would evaluate,
    which the cell then holds as text."""
    value = safe_value(value)
    is_formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if not cell and not is_formula:
        return value
    out = WriteOnlyCell(ws, value=value)
    if is_formula:
        # openpyxl turns text starting with "=" into a formula: force text, and set the
        # quote prefix so Excel keeps it text even when someone edits the cell.
        out.data_type = "s"
        out.quotePrefix = True
    return out


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
        cell = safe_cell(ws, caption, cell=True)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = safe_cell(ws, h, cell=True)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([safe_cell(ws, value) for value in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_rows(file) -> Iterator[tuple[int, tuple]]:
    """Yield (row number as Excel shows it, values) of the first sheet, streaming; text
    comes without control or invisible format characters.

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
            rows = _fast_rows(ws)
        else:
            rows = enumerate(ws.iter_rows(values_only=True), start=1)
        # Imported text is stored text: cleaned as the request bodies are (core.inputguard).
        for number, values in rows:
            yield number, tuple(clean_text(v) if isinstance(v, str) else v for v in values)
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
