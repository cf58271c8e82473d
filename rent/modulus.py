"""Bank account checks before a Direct Debit instruction goes to the payment provider.

The standard checks of Vocalink's "Validating account numbers" specification: standard
modulus 10, standard modulus 11 and double alternate (DBLAL), each over the 14 digits of sort
code and account number with the weights of the sort code's row in the weight table
(``data/modulus_weights.txt``, in the published table's layout). Every row for a sort code must
pass. A sort code with no row cannot be checked and is accepted, as the specification says.

Not covered (docs/decisions/0019-bank-account-modulus-checks.md): the specification's
exception rules (rows with an exception number), sort code substitution, and account numbers
other than 8 digits (non-standard lengths are converted by the bank's own rules). A row with
an exception number is not applied: the account is accepted as "cannot be checked here"
rather than refused by a rule applied without its exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parent / "data" / "modulus_weights.txt"
METHODS = ("MOD10", "MOD11", "DBLAL")


@dataclass(frozen=True)
class WeightRow:
    first: str
    last: str
    method: str
    weights: tuple[int, ...]
    exception: int | None


def parse_weight_table(text: str) -> list[WeightRow]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) not in (17, 18) or parts[2] not in METHODS:
            raise ValueError(f"Line {number} of the weight table is not a weight row: {raw!r}")
        rows.append(
            WeightRow(
                first=parts[0],
                last=parts[1],
                method=parts[2],
                weights=tuple(int(w) for w in parts[3:17]),
                exception=int(parts[17]) if len(parts) == 18 else None,
            )
        )
    return rows


@cache
def weight_table() -> tuple[WeightRow, ...]:
    return tuple(parse_weight_table(WEIGHTS_FILE.read_text()))


def normalise_sort_code(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def normalise_account_number(value: str) -> str:
    return re.sub(r"\s", "", value or "")


def _passes(row: WeightRow, digits: list[int]) -> bool:
    products = [digit * weight for digit, weight in zip(digits, row.weights, strict=True)]
    if row.method == "DBLAL":
        # Double alternate adds the digits of each product: 14 counts as 1 + 4.
        return sum(sum(int(d) for d in str(p)) for p in products) % 10 == 0
    modulus = 10 if row.method == "MOD10" else 11
    return sum(products) % modulus == 0


def account_passes_modulus_check(
    sort_code: str, account_number: str, rows: tuple[WeightRow, ...] | None = None
) -> bool:
    """Whether the pair passes every check its sort code's rows set. Both must already be
    digits (6 and 8): the form says so separately, in words a person can act on."""
    rows = weight_table() if rows is None else rows
    if not (re.fullmatch(r"[0-9]{6}", sort_code) and re.fullmatch(r"[0-9]{8}", account_number)):
        return False
    applicable = [row for row in rows if row.first <= sort_code <= row.last]
    if any(row.exception is not None for row in applicable):
        return True
    digits = [int(c) for c in sort_code + account_number]
    return all(_passes(row, digits) for row in applicable)
