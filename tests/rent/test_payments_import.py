"""Payments files: posted once by transaction id, bad rows refused with their line numbers,
unknown references held in suspense."""

from __future__ import annotations

import datetime as dt

import pytest

from rent.models import EntryKind, LedgerEntry, PaymentImport, SuspensePayment
from rent.services import RentRuleBroken, payments_import, suspense_allocate

pytestmark = pytest.mark.django_db


def _file(*lines: str) -> bytes:
    return ("date,reference,amount,transaction_id,method\n" + "\n".join(lines) + "\n").encode()


def test_payments_are_posted_to_the_tenancy_their_reference_names(account_a, account_b):
    ref_a, ref_b = account_a.tenancy.reference, account_b.tenancy.reference
    result = payments_import(
        filename="bank.csv",
        content=_file(
            f"2026-04-10,{ref_a},50.00,T1,bank_transfer",
            f"10/04/2026,{ref_b.lower()},12.34,T2,",
            f"2026-04-11,{ref_a},100.00,T3,housing_benefit",
        ),
        actor=None,
    )
    assert (result.posted, result.rejected, result.held_in_suspense) == (3, 0, 0)
    account_a.refresh_from_db()
    account_b.refresh_from_db()
    assert account_a.balance_pence == -15000
    assert account_b.balance_pence == -1234
    kinds = LedgerEntry.objects.filter(account=account_a).values_list("kind", flat=True)
    assert sorted(kinds) == [EntryKind.HOUSING_BENEFIT, EntryKind.PAYMENT]


def test_a_file_imported_again_posts_nothing_twice(account_a):
    content = _file(f"2026-04-10,{account_a.tenancy.reference},50.00,T1,card")
    payments_import(filename="bank.csv", content=content, actor=None)
    again = payments_import(filename="bank.csv", content=content, actor=None)
    assert (again.posted, again.already_posted) == (0, 1)
    account_a.refresh_from_db()
    assert account_a.balance_pence == -5000
    assert LedgerEntry.objects.count() == 1
    assert PaymentImport.objects.count() == 2


def test_bad_rows_are_refused_with_their_line_numbers_and_the_rest_posted(account_a):
    ref = account_a.tenancy.reference
    result = payments_import(
        filename="bank.csv",
        content=_file(
            f"2026-04-10,{ref},50.00,T1,card",  # line 2: good
            f"2026-13-45,{ref},50.00,T2,card",  # line 3: bad date
            f"2026-04-10,{ref},fifty,T3,card",  # line 4: bad amount
            f"2026-04-10,{ref},50.00,T1,card",  # line 5: duplicate id in the file
            f"2026-04-10,{ref},-5.00,T4,card",  # line 6: not more than zero
            f"2026-04-10,{ref},5.00,,card",  # line 7: no id
            f"2026-04-10,{ref},5.00,T5,cheque",  # line 8: unknown method
            "2026-04-10,RH-NOBODY,7.00,T6,card",  # line 9: unknown reference: suspense
        ),
        actor=None,
    )
    lines = [line for line, _ in result.problems]
    assert lines == [3, 4, 5, 6, 7, 8, 9]
    assert result.posted == 1
    assert result.rejected == 6
    assert result.held_in_suspense == 1
    assert "date" in dict(result.problems)[3]
    assert "suspense" in dict(result.problems)[9].lower()
    account_a.refresh_from_db()
    assert account_a.balance_pence == -5000
    record = PaymentImport.objects.get()
    assert record.problems[0] == [3, "The date is not in the form 2026-12-31 or 31/12/2026"]


def test_a_file_without_the_columns_is_refused_whole(account_a):
    with pytest.raises(RentRuleBroken):
        payments_import(filename="x.csv", content=b"when,who,how much\n1,2,3\n", actor=None)
    assert not LedgerEntry.objects.exists()
    assert not PaymentImport.objects.exists()


def test_a_held_payment_is_posted_once_to_the_account_staff_find(account_a, income_officer):
    payments_import(
        filename="bank.csv", content=_file("2026-04-10,RH-TYPO,25.00,T9,card"), actor=None
    )
    held = SuspensePayment.objects.get()
    suspense_allocate(payment=held, account=account_a, actor=income_officer)
    account_a.refresh_from_db()
    assert account_a.balance_pence == -2500
    with pytest.raises(RentRuleBroken):
        suspense_allocate(payment=held, account=account_a, actor=income_officer)
    # The same bank row in a later file is already accounted for.
    again = payments_import(
        filename="bank.csv", content=_file("2026-04-10,RH-TYPO,25.00,T9,card"), actor=None
    )
    assert again.already_posted == 1
    assert LedgerEntry.objects.count() == 1
    assert LedgerEntry.objects.get().on == dt.date(2026, 4, 10)
