"""Small-cell suppression of an ESF report shown outside a site's own team (SECURITY.md).

The report's figures are tied by these equations, and each is suppressed as a whole:

* every indicator: women + men + diverse = total;
* the labour status at entry (EECO01 + EECO03 + EECO04 = EECO11, ESF 2014: CO01 + CO03 + CO05 =
  complete entries) for each gender: a table with row and column totals;
* ESF+ only, education at entry (EECO08 + EECO09 + EECO10 = EECO11): a second table with the same
  column totals as the first, so the two are suppressed together;
* complete entries are EECO11's total in ESF+, so they are shown or hidden with it; the other record
  counts stand alone and are hidden below k.
"""

from dataclasses import replace
from typing import cast

from inka.core.suppression import (
    SuppressedTable,
    suppress_line,
    suppress_table,
    suppress_tables_sharing_totals,
)
from inka.esf.engine import GENDERS, Report

Figures = dict[str, int | None]

LABOUR_STATUS = {"esf-plus": ("EECO01", "EECO03", "EECO04"), "esf-2014": ("CO01", "CO03", "CO05")}
EDUCATION = {"esf-plus": ("EECO08", "EECO09", "EECO10")}
ALL_PARTICIPANTS = {"esf-plus": "EECO11"}


def _grid(report: Report, codes: tuple[str, ...]) -> list[list[int]]:
    return [[report.indicators[code][gender] for gender in GENDERS] for code in codes]


def _adds_up(grid: list[list[int]], totals: list[int]) -> bool:
    return [sum(column) for column in zip(*grid, strict=True)] == totals


def _put(indicators: dict[str, Figures], codes: tuple[str, ...], table: SuppressedTable) -> None:
    for code, row, total in zip(codes, table.interior, table.row_totals, strict=True):
        indicators[code] = {"total": total, **dict(zip(GENDERS, row, strict=True))}


def _put_margin(indicators: dict[str, Figures], code: str, table: SuppressedTable) -> None:
    indicators[code] = {"total": table.grand_total, **dict(zip(GENDERS, table.column_totals, strict=True))}


def suppress_report(report: Report, *, k: int) -> Report:
    """A copy of `report` in which every hidden figure is None (shown as "<3")."""
    indicators: dict[str, Figures] = {}
    records: Figures = {name: (count if count >= k else None) for name, count in report.records.items()}
    labour = LABOUR_STATUS.get(report.indicator_set, ())
    education = EDUCATION.get(report.indicator_set, ())
    margin = ALL_PARTICIPANTS.get(report.indicator_set)
    if labour and all(code in report.indicators for code in (*labour, *education)):
        labour_grid = _grid(report, labour)
        if margin is not None and margin in report.indicators:
            totals = [report.indicators[margin][gender] for gender in GENDERS]
            if _adds_up(labour_grid, totals):
                education_grid = _grid(report, education)
                if _adds_up(education_grid, totals):
                    first, second = suppress_tables_sharing_totals(labour_grid, education_grid, k=k)
                    _put(indicators, education, second)
                else:
                    first = suppress_table(labour_grid, k=k)
                _put(indicators, labour, first)
                _put_margin(indicators, margin, first)
                if report.records.get("entries_complete") == report.indicators[margin]["total"]:
                    records["entries_complete"] = first.grand_total
        elif sum(map(sum, labour_grid)) == report.records.get("entries_complete"):
            table = suppress_table(labour_grid, k=k, column_totals=False)
            _put(indicators, labour, table)
            records["entries_complete"] = table.grand_total
    for code, counts in report.indicators.items():
        if code not in indicators:
            cells, total = suppress_line([counts[gender] for gender in GENDERS], k=k)
            indicators[code] = {"total": total, **dict(zip(GENDERS, cells, strict=True))}
    ordered = {code: indicators[code] for code in report.indicators}
    # Report declares whole numbers; None is the documented marker of a hidden figure.
    return replace(
        report,
        records=cast(dict[str, int], records),
        indicators=cast(dict[str, dict[str, int]], ordered),
    )
