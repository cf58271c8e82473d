"""The commitment table as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from kernel.spreadsheets import spreadsheet_safe_row
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
