"""Safe spreadsheet cells for anything that leaves the portal as CSV."""

from __future__ import annotations

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection): text a
# customer typed, such as "=HYPERLINK(...)", must arrive as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
