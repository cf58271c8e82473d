"""Bank account checks before a Direct Debit instruction goes to the payment provider.

Vocalink's "Validating account numbers" specification, in full: standard modulus 10, standard
modulus 11 and double alternate (DBLAL), each over the 14 digits of sort code and account number
(``u v w x y z`` and ``a b c d e f g h``) with the weights of the sort code's row in the weight
table, and the exceptions 1 to 14 the table's last column names, with the sort code
substitution table that exception 5 uses. The published files are bundled unchanged in
``data/`` (``valacdos.txt`` and ``scsubtab.txt``): replacing them with a newer edition checks
the banks it adds with no code change (docs/decisions/0036-bank-account-checks-in-full.md).

A sort code with no row cannot be checked and is accepted, as the specification says; so is a
foreign currency account at an exception 6 sort code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
WEIGHTS_FILE = DATA / "valacdos.txt"
SUBSTITUTIONS_FILE = DATA / "scsubtab.txt"
METHODS = ("MOD10", "MOD11", "DBLAL")

# Positions in the 14 digits: the sort code is u-z (0-5), the account number a-h (6-13).
A, B, C, G, H = 6, 7, 8, 12, 13
# Exception 2: the weights that replace the row's when a is not 0 (Lloyds euro accounts).
EXCEPTION_2_WEIGHTS = (0, 0, 1, 2, 5, 3, 6, 4, 8, 7, 10, 9, 3, 1)
EXCEPTION_2_WEIGHTS_G_IS_9 = (0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 10, 9, 3, 1)
# Exception 8 checks with this sort code; exception 9 (a euro account quoted with its
# sterling branch's sort code) with the euro accounts' one.
EXCEPTION_8_SORT_CODE = "090126"
EXCEPTION_9_SORT_CODE = "309634"
# Pairs in which the account passes if either check does.
EITHER_PASSES = {(10, 11), (12, 13)}


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
        try:
            rows.append(
                WeightRow(
                    first=parts[0],
                    last=parts[1],
                    method=parts[2],
                    weights=tuple(int(w) for w in parts[3:17]),
                    exception=int(parts[17]) if len(parts) == 18 else None,
                )
            )
        except ValueError:
            raise ValueError(
                f"Line {number} of the weight table is not a weight row: {raw!r}"
            ) from None
    return rows


def parse_substitutions(text: str) -> dict[str, str]:
    table = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) != 2 or not all(re.fullmatch(r"[0-9]{6}", p) for p in parts):
            raise ValueError(f"Line {number} of the substitution table is not a pair: {raw!r}")
        table[parts[0]] = parts[1]
    return table


@cache
def weight_table() -> tuple[WeightRow, ...]:
    return tuple(parse_weight_table(WEIGHTS_FILE.read_text()))


@cache
def substitution_table() -> dict[str, str]:
    return parse_substitutions(SUBSTITUTIONS_FILE.read_text())


def normalise_sort_code(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def normalise_account_number(value: str) -> str:
    return re.sub(r"\s", "", value or "")


def _digits(sort_code: str, account_number: str) -> list[int]:
    return [int(c) for c in sort_code + account_number]


def _check(row: WeightRow, sort_code: str, account_number: str) -> bool:
    """One row's check, with the variations its exception makes."""
    exception = row.exception
    if exception == 8:
        sort_code = EXCEPTION_8_SORT_CODE
    elif exception == 9:
        sort_code = EXCEPTION_9_SORT_CODE
    digits = _digits(sort_code, account_number)
    weights = list(row.weights)
    if exception == 2 and digits[A] != 0:
        weights = list(EXCEPTION_2_WEIGHTS_G_IS_9 if digits[G] == 9 else EXCEPTION_2_WEIGHTS)
    if (exception == 7 and digits[G] == 9) or (
        exception == 10 and account_number[:2] in ("09", "99") and digits[G] == 9
    ):
        weights[: B + 1] = [0] * (B + 1)  # u to b count for nothing
    products = [digit * weight for digit, weight in zip(digits, weights, strict=True)]
    if row.method == "DBLAL":
        # Double alternate adds the digits of each product: 14 counts as 1 + 4.
        total = sum(sum(int(d) for d in str(abs(p))) for p in products)
        if exception == 1:
            total += 27
        if exception == 5:
            # The check digit is h: what the total lacks of the next ten.
            return (10 - total % 10) % 10 == digits[H]
        return total % 10 == 0
    total = sum(products)
    if row.method == "MOD10":
        return total % 10 == 0
    remainder = total % 11
    if exception == 4:
        return remainder == digits[G] * 10 + digits[H]
    if exception == 5:
        # The check digit is g: remainder 0 wants g = 0; remainder 1 has no valid g.
        return remainder != 1 and (11 - remainder) % 11 == digits[G]
    return remainder == 0


def _exception_14_second_check(row: WeightRow, sort_code: str, account_number: str) -> bool:
    # Coutts: an account ending 0, 1 or 9 is checked without that digit, shifted right.
    if account_number[-1] not in "019":
        return False
    return _check(row, sort_code, "0" + account_number[:-1])


def rows_for(sort_code: str, rows: tuple[WeightRow, ...] | None = None) -> list[WeightRow]:
    rows = weight_table() if rows is None else rows
    return [row for row in rows if row.first <= sort_code <= row.last]


def account_passes_modulus_check(
    sort_code: str,
    account_number: str,
    rows: tuple[WeightRow, ...] | None = None,
    substitutions: dict[str, str] | None = None,
) -> bool:
    """Whether the pair passes the checks its sort code's rows set, with their exceptions.
    Both must already be digits (6 and 8): the form says so separately, in words a person can
    act on. A pair that cannot be checked (no row, or a foreign currency account at an
    exception 6 sort code) passes."""
    if not (re.fullmatch(r"[0-9]{6}", sort_code) and re.fullmatch(r"[0-9]{8}", account_number)):
        return False
    applicable = rows_for(sort_code, rows)[:2]
    if not applicable:
        return True
    digits = _digits(sort_code, account_number)
    if (
        any(row.exception == 6 for row in applicable)
        and 4 <= digits[A] <= 8
        and digits[G] == digits[H]
    ):
        return True  # a foreign currency account: the checks do not apply
    first = applicable[0]
    if first.exception == 5:
        table = substitution_table() if substitutions is None else substitutions
        sort_code = table.get(sort_code, sort_code)
    first_passes = _check(first, sort_code, account_number)
    if len(applicable) == 1:
        if not first_passes and first.exception == 14:
            return _exception_14_second_check(first, sort_code, account_number)
        return first_passes
    second = applicable[1]
    if (first.exception, second.exception) in EITHER_PASSES | {(2, 9)}:
        # Either check passing is enough (for 2 and 9: a sterling account, else a euro one).
        return first_passes or _check(second, sort_code, account_number)
    if not first_passes:
        return False
    if second.exception == 3 and digits[C] in (6, 9):
        return True  # exception 3: c of 6 or 9 needs no double alternate check
    return _check(second, sort_code, account_number)
