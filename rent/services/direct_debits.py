"""Direct Debit instructions: checked, lodged with the provider, kept without the full number."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from notifications.services import notify_customer
from rent.direct_debit import DirectDebitLodgeError, DirectDebitRequest, direct_debit_backend
from rent.models import DirectDebitInstruction, InstructionStatus, RentAccount
from rent.modulus import account_passes_modulus_check
from tenancy.models import Customer


class BankDetailsRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@transaction.atomic
def direct_debit_set_up(
    *,
    account: RentAccount,
    customer: Customer,
    account_holder: str,
    sort_code: str,
    account_number: str,
    collection_day: int,
) -> DirectDebitInstruction:
    """Record the tenant's instruction (replacing any active one), lodge it with the payment
    provider in the same transaction (so a refusal records nothing) and tell the tenant."""
    if not re.fullmatch(r"[0-9]{6}", sort_code):
        raise BankDetailsRefused("sort_code", "Enter a valid sort code like 309430")
    if not re.fullmatch(r"[0-9]{8}", account_number):
        raise BankDetailsRefused("account_number", "Enter a valid account number like 00733445")
    if not account_passes_modulus_check(sort_code, account_number):
        raise BankDetailsRefused(
            "account_number",
            "The sort code and account number do not match a UK bank account: check them",
        )
    if not 1 <= collection_day <= 28:
        raise BankDetailsRefused("collection_day", "Choose a day from 1 to 28")
    now = timezone.now()
    RentAccount.objects.select_for_update().get(pk=account.pk)
    current = DirectDebitInstruction.objects.filter(
        account=account, status=InstructionStatus.ACTIVE
    ).first()
    try:
        provider_reference = direct_debit_backend().lodge(
            DirectDebitRequest(
                tenancy_reference=account.tenancy.reference,
                account_holder=account_holder,
                sort_code=sort_code,
                account_number=account_number,
                collection_day=collection_day,
                replaces=current.provider_reference if current else "",
            )
        )
    except DirectDebitLodgeError:
        raise BankDetailsRefused(
            "__all__", "We could not set up your Direct Debit just now. Please try again later"
        ) from None
    if current is not None:
        current.status = InstructionStatus.REPLACED
        current.ended_at = now
        current.save(update_fields=["status", "ended_at"])
    instruction = DirectDebitInstruction.objects.create(
        account=account,
        set_up_by=customer,
        account_holder=account_holder,
        sort_code=sort_code,
        account_number_ending=account_number[-2:],
        collection_day=collection_day,
        provider_reference=provider_reference,
        created_at=now,
    )
    notify_customer(
        customer=customer,
        subject="Your Direct Debit for rent",
        body=(
            f"Your Direct Debit from the account ending {account_number[-2:]} is set up. "
            f"We will collect your rent on day {collection_day} of each month or the next "
            "working day. You are protected by the Direct Debit Guarantee."
        ),
        key=f"rent:direct-debit:{instruction.pk}",
        about=account,
    )
    return instruction
