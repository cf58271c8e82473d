"""Payments files from the bank or the payment provider, and the suspense list.

A file is CSV with a header row: ``date,reference,amount,transaction_id`` and optionally
``method``. Dates are ``YYYY-MM-DD`` or ``DD/MM/YYYY``; amounts are pounds (``12.50``).
Each row is posted to the tenancy its reference names. A row whose reference names no tenancy
is held in suspense for staff (and reported with its line); a row with a bad date or amount, no
transaction id, or a transaction id seen earlier in the same file is refused with its line.
A transaction id already posted or held (the same file imported again, or an overlapping
one) posts nothing and is counted as already posted.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from rent.models import (
    EntryKind,
    LedgerEntry,
    PaymentImport,
    PaymentMethod,
    RentAccount,
    SuspensePayment,
)
from rent.periods import pence_from_pounds
from rent.services.ledger import (
    INSERT_BATCH_SIZE,
    NewEntry,
    RentRuleBroken,
    append_entries,
    arrears_review,
    ledger_rows,
    lock_account,
    write_balances,
)

REQUIRED_COLUMNS = ("date", "reference", "amount", "transaction_id")
BATCH_SIZE = 2000
MAX_PROBLEMS_KEPT = 1000
KIND_FOR_METHOD = {
    PaymentMethod.HOUSING_BENEFIT: EntryKind.HOUSING_BENEFIT,
    PaymentMethod.UNIVERSAL_CREDIT: EntryKind.UNIVERSAL_CREDIT,
}
TRANSACTION_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")


@dataclass
class ParsedRow:
    line: int
    paid_on: dt.date
    reference: str
    amount_pence: int
    transaction_id: str
    method: str


@dataclass
class ImportResult:
    record: PaymentImport | None = None
    posted: int = 0
    already_posted: int = 0
    held_in_suspense: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len([p for p in self.problems if not p[1].startswith("Held in suspense")])


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValueError(text)


def _parse(text: str, result: ImportResult) -> list[ParsedRow]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RentRuleBroken(
            "The file's first row must name the columns date, reference, amount and "
            f"transaction_id (missing: {', '.join(missing)})"
        )
    reader.fieldnames = columns
    rows: list[ParsedRow] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        try:
            paid_on = _parse_date(values["date"])
        except ValueError:
            result.problems.append((line, "The date is not in the form 2026-12-31 or 31/12/2026"))
            continue
        try:
            amount = pence_from_pounds(values["amount"])
        except ValueError:
            result.problems.append((line, "The amount is not an amount of pounds, like 12.50"))
            continue
        if amount <= 0:
            result.problems.append((line, "The amount must be more than zero"))
            continue
        transaction_id = values["transaction_id"]
        if not TRANSACTION_ID_RE.fullmatch(transaction_id):
            result.problems.append((line, "The transaction id is missing or not valid"))
            continue
        if transaction_id in seen:
            result.problems.append((line, "The transaction id appears earlier in this file"))
            continue
        seen.add(transaction_id)
        method = values.get("method", "").lower() or PaymentMethod.BANK_TRANSFER
        if method not in PaymentMethod.values:
            result.problems.append(
                (line, f"The method is not one of {', '.join(PaymentMethod.values)}")
            )
            continue
        rows.append(
            ParsedRow(
                line=line,
                paid_on=paid_on,
                reference=values["reference"][:100],
                amount_pence=amount,
                transaction_id=transaction_id,
                method=method,
            )
        )
    return rows


def payments_import(*, filename: str, content: bytes, actor: User | None) -> ImportResult:
    """Import a payments file. Posts each good row once, in batches (each batch one
    transaction), and records what happened to every line."""
    result = ImportResult()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RentRuleBroken("The file must be a CSV file saved as UTF-8") from None
    rows = _parse(text, result)
    record = PaymentImport.objects.create(
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        imported_at=timezone.now(),
        imported_by=actor,
        rows=len(rows) + len(result.problems),
    )
    for start in range(0, len(rows), BATCH_SIZE):
        _import_batch(record, rows[start : start + BATCH_SIZE], result)
    result.problems.sort()
    record.posted = result.posted
    record.already_posted = result.already_posted
    record.held_in_suspense = result.held_in_suspense
    record.rejected = result.rejected
    record.problems = [[line, text] for line, text in result.problems[:MAX_PROBLEMS_KEPT]]
    record.save(
        update_fields=["posted", "already_posted", "held_in_suspense", "rejected", "problems"]
    )
    result.record = record
    return result


@transaction.atomic
def _import_batch(record: PaymentImport, rows: list[ParsedRow], result: ImportResult) -> None:
    # The accounts are locked first, then the ids already posted are read: a second import of
    # the same file running at once waits here for the first to commit, then finds its rows.
    accounts = {
        account.tenancy.reference.upper(): account
        for account in RentAccount.objects.select_for_update(of=("self",))
        .select_related("tenancy")
        .filter(tenancy__reference__in=_spellings({row.reference.upper() for row in rows}))
        .order_by("pk")
    }
    ids = [row.transaction_id for row in rows]
    known = set(
        # The excluded blank spells out the condition of the index on posted transaction ids
        # (blank ids are not in it): without it PostgreSQL cannot prove that a long list of
        # ids implies it, and reads the whole ledger instead of the index.
        LedgerEntry.objects.filter(transaction_id__in=ids)
        .exclude(transaction_id="")
        .values_list("transaction_id", flat=True)
    ) | set(
        SuspensePayment.objects.filter(transaction_id__in=ids).values_list(
            "transaction_id", flat=True
        )
    )
    fresh = [row for row in rows if row.transaction_id not in known]
    result.already_posted += len(rows) - len(fresh)
    by_account: dict[int, list[NewEntry]] = defaultdict(list)
    suspense = []
    for row in fresh:
        account = accounts.get(row.reference.upper())
        if account is None:
            suspense.append(
                SuspensePayment(
                    payment_import=record,
                    line=row.line,
                    paid_on=row.paid_on,
                    reference_given=row.reference,
                    amount_pence=row.amount_pence,
                    transaction_id=row.transaction_id,
                    method=row.method,
                )
            )
            result.problems.append(
                (row.line, f"Held in suspense: no tenancy has the reference {row.reference!r}")
            )
            continue
        by_account[account.pk].append(_entry(row))
    SuspensePayment.objects.bulk_create(suspense)
    result.held_in_suspense += len(suspense)
    moved = []
    new_rows: list[LedgerEntry] = []
    for account in accounts.values():
        entries = by_account.get(account.pk)
        if entries:
            new_rows += ledger_rows(account, entries)
            moved.append(account)
    LedgerEntry.objects.bulk_create(new_rows, batch_size=INSERT_BATCH_SIZE)
    result.posted += len(new_rows)
    write_balances(moved)
    arrears_review([account.pk for account in moved])


def _spellings(references: set[str]) -> list[str]:
    # Tenancy references are stored upper case ("RH-000123"); a bank file may carry any case.
    return sorted(references | {r.lower() for r in references})


def _entry(row: ParsedRow) -> NewEntry:
    return NewEntry(
        kind=KIND_FOR_METHOD.get(PaymentMethod(row.method), EntryKind.PAYMENT),
        amount_pence=-row.amount_pence,
        on=row.paid_on,
        method=row.method,
        transaction_id=row.transaction_id,
        description=f"{PaymentMethod(row.method).label} received",
    )


@transaction.atomic
def suspense_allocate(
    *, payment: SuspensePayment, account: RentAccount, actor: User | None
) -> LedgerEntry:
    """Post a held payment to the account staff found for it."""
    locked_payment = SuspensePayment.objects.select_for_update().get(pk=payment.pk)
    if locked_payment.resolved_entry_id is not None:
        raise RentRuleBroken("This payment has already been posted to an account")
    locked = lock_account(account.pk)
    entry = _entry(
        ParsedRow(
            line=locked_payment.line,
            paid_on=locked_payment.paid_on,
            reference=locked_payment.reference_given,
            amount_pence=locked_payment.amount_pence,
            transaction_id=locked_payment.transaction_id,
            method=locked_payment.method,
        )
    )
    (row,) = append_entries(locked, [entry], actor=actor)
    locked.save(update_fields=["balance_pence"])
    locked_payment.resolved_entry = row
    locked_payment.save(update_fields=["resolved_entry"])
    payment.resolved_entry = row
    arrears_review([locked.pk])
    return row
