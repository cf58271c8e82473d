"""The commitment table as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from kernel.spreadsheets import spreadsheet_safe_row
from performance.publication import (
    FEWER_THAN_FIVE,
    PublicFigures,
    PublishedPerformance,
    suppressed,
)
from performance.selectors import Row
from performance.windows import Window


def _plain(number: Decimal) -> str:
    """80.00 as 80 and 92.50 as 92.5, as a spreadsheet would show them."""
    return format(number.normalize(), "f")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def performance_csv_rows(rows: Sequence[Row], windows: Sequence[Window]) -> Iterator[list]:
    """A header, then one line per commitment: its figures for every window, then its unmet
    deadlines now. Numbers stay numbers; every text cell is safe in a spreadsheet."""
    header = ["Commitment code", "Commitment", "Target % met on time"]
    for window in windows:
        header += [
            f"{window.label}: {name}"
            for name in (
                "cases started",
                "due and finished",
                "met on time",
                "% met on time",
                "on target",
            )
        ]
    header += ["Open now", "Due today", "Overdue now", "Breached and still open"]
    yield spreadsheet_safe_row(header)
    for row in rows:
        line: list = [row.code, row.title, _plain(row.target_percent)]
        for window in windows:
            figures = row.figures(window.key)
            percent = figures.percent_met_on_time
            line += [
                figures.started,
                figures.finished,
                figures.met_on_time,
                "" if percent is None else percent,
                _yes_no(row.on_target(window.key)),
            ]
        line += [row.open, row.due_today, row.overdue, row.breached_open]
        yield spreadsheet_safe_row(line)


def _suppressed_number(count: int) -> int | str:
    shown = suppressed(count)
    return FEWER_THAN_FIVE if shown is None else shown


def published_csv_rows(performance: PublishedPerformance) -> Iterator[list]:
    """The public page as a spreadsheet: one line per commitment, then one per TSM line.
    Counts under 5 are the words "fewer than 5"; a withheld percentage is empty."""
    yield [
        "Area",
        "Commitment",
        "Target % on time",
        "Last month: clocks started",
        "Last month: due",
        "Last month: % on time",
        "Year to date: clocks started",
        "Year to date: due",
        "Year to date: % on time",
    ]
    for area in performance.areas:
        for line in area.lines:
            row: list = [area.title, line.title, _plain(line.target_percent)]
            for figures in (line.last_month, line.year_to_date):
                row += [
                    _suppressed_number(figures.figures.started),
                    _suppressed_number(figures.figures.finished),
                    "" if figures.percent is None else figures.percent,
                ]
            yield row
    yield []
    yield ["Tenant Satisfaction Measure", "Name", "This year so far", "Last year"]
    for tsm in performance.tsms:
        yield [tsm.definition.part, tsm.definition.name, tsm.this_year_text, tsm.last_year_text]


def _figures_json(figures: PublicFigures) -> dict:
    return {
        "clocks_started": suppressed(figures.figures.started),
        "due": suppressed(figures.figures.finished),
        "percent_on_time": None if figures.percent is None else str(figures.percent),
        "note": figures.percent_text,
    }


def published_json(performance: PublishedPerformance) -> dict:
    """The public page as data. A count under 5 is null with ``"suppressed": true`` nearby in
    words (``note``); a figure not yet recorded is null with its status."""
    return {
        "reporting_year": performance.year.label,
        "last_month_from": performance.last_month_first.isoformat()
        if performance.last_month_first
        else None,
        "year_to_date_through": performance.year_to_date_last.isoformat()
        if performance.year_to_date_last
        else None,
        "counts_under_5": "suppressed (null)",
        "areas": [
            {
                "area": area.title,
                "commitments": [
                    {
                        "code": line.code,
                        "title": line.title,
                        "target_percent": _plain(line.target_percent),
                        "last_month": _figures_json(line.last_month),
                        "year_to_date": _figures_json(line.year_to_date),
                    }
                    for line in area.lines
                ],
            }
            for area in performance.areas
        ],
        "tenant_satisfaction_measures": [
            {
                "measure": tsm.definition.part,
                "name": tsm.definition.name,
                "unit": str(tsm.definition.unit),
                "this_year": _tsm_json(tsm.this_year, tsm.this_year_text),
                "last_year": _tsm_json(tsm.last_year, tsm.last_year_text),
            }
            for tsm in performance.tsms
        ],
    }


def _tsm_json(row, text: str) -> dict:
    shown = (
        row is not None
        and row.recorded
        and row.figure is not None
        and suppressed(row.numerator) is not None
        and suppressed(row.denominator) is not None
    )
    return {"figure": str(row.figure) if shown else None, "status": text}
