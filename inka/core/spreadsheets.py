"""Spreadsheet cells that are safe to open, and workbooks written from plain rows.

Every text a user typed may reach an export; a spreadsheet program would run a cell starting with
`=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula. `escape_formula` puts an
apostrophe in front of such text, the convention spreadsheet programs show as literal text;
`unescape_formula` undoes it when INKA reads its own export back.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPE = "'"


def escape_formula(text: str) -> str:
    """`text` with an apostrophe in front when a spreadsheet would read it as a formula.

    Text that already starts with an apostrophe gets one more, so `unescape_formula` is its inverse.
    """
    if text.startswith((*FORMULA_STARTS, _ESCAPE)):
        return _ESCAPE + text
    return text


def unescape_formula(text: str) -> str:
    """The inverse of `escape_formula`."""
    return text.removeprefix(_ESCAPE)


def cell_value(value: Any) -> Any:
    """A value as a spreadsheet cell holds it: text escaped, numbers, booleans and dates unchanged."""
    if isinstance(value, str):
        return escape_formula(value)
    return value


@dataclass(frozen=True)
class Styled:
    """A cell value with a number format (e.g. "0.0%"), in bold or right-aligned if asked."""

    value: Any
    number_format: str = ""
    bold: bool = False
    right: bool = False


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, the column names and the rows (values in column order).

    `preamble` lines go above the header (the first in bold, then an empty row); `widths` are
    column widths in characters; `footer` lines go below the rows after an empty row.
    """

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    preamble: Sequence[str] = ()
    widths: Sequence[float] = ()
    footer: Sequence[str] = ()


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX file of the sheets: header in bold, dates as dates, numbers as numbers, text escaped."""
    # Write-only mode streams the rows, so a workbook of ten thousand participations stays small in memory.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        # Widths and frozen rows must be set before the first row is streamed.
        for number, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(number)].width = width
        if sheet.preamble:
            worksheet.freeze_panes = f"A{len(sheet.preamble) + 3}"
            for number, line in enumerate(sheet.preamble):
                worksheet.append([_cell(worksheet, Styled(line, bold=number == 0))])
            worksheet.append([])
        header = []
        for name in sheet.header:
            cell = WriteOnlyCell(worksheet, value=cell_value(name))
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_cell(worksheet, value) for value in row])
        if sheet.footer:
            worksheet.append([])
            for line in sheet.footer:
                worksheet.append([_cell(worksheet, line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(worksheet: Any, value: Any) -> Any:
    if isinstance(value, Styled):
        cell = _cell(worksheet, value.value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(worksheet, value=cell)
        if value.number_format:
            cell.number_format = value.number_format
        if value.bold:
            cell.font = Font(bold=True)
        if value.right:
            cell.alignment = Alignment(horizontal="right")
        return cell
    if isinstance(value, str):
        # An explicit text cell: openpyxl would otherwise store a string starting with "=" as a formula.
        cell = WriteOnlyCell(worksheet, value=escape_formula(value))
        cell.data_type = "s"
        return cell
    if isinstance(value, date) and not isinstance(value, datetime):
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value
