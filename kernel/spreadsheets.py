"""Cells that a spreadsheet shows as typed, for everything that leaves the portal as a file.

A cell starting with ``=``, ``+``, ``-`` or ``@`` is run as a formula by Excel, LibreOffice and
Google Sheets (CSV or formula injection); a tab, carriage return or line feed can hide such a
prefix. Text a customer typed (``=HYPERLINK(...)`` as a name, ``=2+5@example.org`` as an email)
must reach a manager's spreadsheet as text. Every CSV writer and every admin export uses these.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from import_export import resources

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value: object) -> object:
    """``value`` as a cell: numbers stay numbers (a negative number is not a formula), None is
    empty, and text starting as a formula gets a leading apostrophe, which spreadsheets take as
    "this is text" and do not show."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def spreadsheet_safe_row(row: Iterable[object]) -> list[object]:
    return [spreadsheet_safe(cell) for cell in row]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``spreadsheet_safe``."""

    def __init__(self, stream: Any) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(spreadsheet_safe_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SpreadsheetSafeResource(resources.ModelResource):
    """A django-import-export resource whose exports (CSV, spreadsheet, any format) carry
    every cell through ``spreadsheet_safe``."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))
