"""An ESF report as a CSV table or an XLSX workbook; JSON is `Report.as_json()`.

A figure of None is a suppressed cell (small numbers in reports shown outside a site's team); the
files show it as "<3" (the threshold INKA_SUPPRESSION_K).
"""

import csv
import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from inka.core.spreadsheets import Sheet, cell_value, write_workbook
from inka.esf.catalogue import OPTION_LABELS, OPTION_VALUE_LABELS, indicator
from inka.esf.engine import GENDERS, Report

INDICATOR_SHEET = "Indikatoren"
DETAILS_SHEET = "Angaben"


def _figure(value: int | None) -> int | str:
    return f"<{settings.SUPPRESSION_K}" if value is None else value


def _header() -> list[str]:
    return [_("Code"), _("Indicator"), _("Total"), _("Women"), _("Men"), _("Non-binary")]


def _indicator_rows(report: Report) -> list[list[Any]]:
    rows = []
    for code, counts in report.indicators.items():
        figures: dict[str, int | None] = dict(counts)
        rows.append(
            [code, str(indicator(code).name), *(_figure(figures.get(key)) for key in ("total", *GENDERS))]
        )
    return rows


def _record_labels() -> dict[str, str]:
    return {
        "entries": _("Entries in the period"),
        "entries_complete": _("Entries with complete data"),
        "leavers": _("Leavers in the period"),
        "leavers_complete": _("Leavers with complete data"),
        "followup_responses": _("Leavers with a six-month follow-up answer"),
    }


def _detail_rows(report: Report) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("Indicator set"), report.indicator_set, ""],
        [_("Period from"), report.period_from, ""],
        [_("Period to"), report.period_to, ""],
        [_("Sites"), ", ".join(report.sites), ""],
    ]
    for name, setting in report.options.as_dict().items():
        text = str(setting).lower() if isinstance(setting, bool) else str(setting)
        explanation = OPTION_VALUE_LABELS.get(name, {}).get(text, "")
        rows.append([str(OPTION_LABELS.get(name, name)), text, str(explanation)])
    labels = _record_labels()
    for name, count in report.records.items():
        rows.append([labels.get(name, name), _figure(count), ""])
    return rows


def report_csv(report: Report) -> str:
    """The indicator table as CSV (comma, header row), figures as plain numbers, text formula-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header())
    for row in _indicator_rows(report):
        writer.writerow([cell_value(value) for value in row])
    return buffer.getvalue()


def report_xlsx(report: Report) -> bytes:
    """A workbook with the sheet "Indikatoren" (figures as numbers) and "Angaben" (set, period, options)."""
    return write_workbook(
        [
            Sheet(INDICATOR_SHEET, _header(), _indicator_rows(report)),
            Sheet(DETAILS_SHEET, [_("Item"), _("Value"), _("Explanation")], _detail_rows(report)),
        ]
    )
