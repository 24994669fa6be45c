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
from openpyxl.styles import Font

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
class Sheet:
    """One worksheet: its title, the column names and the rows (values in column order)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX file of the sheets: header in bold, dates as dates, numbers as numbers, text escaped."""
    # Write-only mode streams the rows, so a workbook of ten thousand participations stays small in memory.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        header = []
        for name in sheet.header:
            cell = WriteOnlyCell(worksheet, value=cell_value(name))
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_cell(worksheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(worksheet: Any, value: Any) -> Any:
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
