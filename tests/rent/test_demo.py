from __future__ import annotations

import pytest
from django.core.management import call_command

from rent.models import ArrearsCase, DirectDebitInstruction, LedgerEntry, RentAccount


@pytest.mark.django_db
def test_the_demo_gives_every_household_an_account_and_runs_again_without_doubling():
    call_command("seed_demo", verbosity=0)
    rows = LedgerEntry.objects.count()
    assert RentAccount.objects.count() > 3
    assert ArrearsCase.objects.filter(closed_at__isnull=True).exists()
    assert DirectDebitInstruction.objects.count() == 1
    call_command("seed_demo", verbosity=0)
    assert LedgerEntry.objects.count() == rows
