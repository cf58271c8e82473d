"""Direct Debit instructions: checked, lodged with the provider, kept without the full number."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from notifications.services import notify_customer
from rent.direct_debit import (
    DirectDebitCancellation,
    DirectDebitLodgeError,
    DirectDebitRequest,
    direct_debit_backend,
)
from rent.models import DirectDebitInstruction, InstructionStatus, RentAccount
from rent.modulus import account_passes_modulus_check
from rent.selectors import may_manage_direct_debit
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
    if not may_manage_direct_debit(customer, account):
        raise BankDetailsRefused("__all__", "Only a tenant can set up a Direct Debit for this rent")
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


@transaction.atomic
def direct_debit_cancel(*, account: RentAccount, customer: Customer) -> DirectDebitInstruction:
    """Cancel the account's active instruction at the tenant's request: the provider is told in
    the same transaction (so a refusal records nothing), and the tenant is told what happens
    next and how else to pay."""
    if not may_manage_direct_debit(customer, account):
        raise BankDetailsRefused(
            "__all__", "Only a tenant can cancel the Direct Debit for this rent"
        )
    RentAccount.objects.select_for_update().get(pk=account.pk)
    current = DirectDebitInstruction.objects.filter(
        account=account, status=InstructionStatus.ACTIVE
    ).first()
    if current is None:
        raise BankDetailsRefused("__all__", "You do not have a Direct Debit to cancel")
    try:
        direct_debit_backend().cancel(
            DirectDebitCancellation(
                tenancy_reference=account.tenancy.reference,
                provider_reference=current.provider_reference,
            )
        )
    except DirectDebitLodgeError:
        raise BankDetailsRefused(
            "__all__", "We could not cancel your Direct Debit just now. Please try again later"
        ) from None
    current.status = InstructionStatus.CANCELLED
    current.ended_at = timezone.now()
    current.cancelled_by = customer
    current.save(update_fields=["status", "ended_at", "cancelled_by"])
    notify_customer(
        customer=customer,
        subject="Your Direct Debit for rent is cancelled",
        body=(
            f"You cancelled your Direct Debit from the account ending "
            f"{current.account_number_ending}. We will not ask your bank for any more "
            "payments under it, but a payment due in the next 3 working days may already be "
            "on its way and will still be taken. Your rent is still due: you can pay by "
            "standing order, bank transfer, card, or at a PayPoint or Post Office, or set up "
            "a new Direct Debit in your rent account. If you are finding it hard to pay, "
            "ask us for help: we will not judge you."
        ),
        key=f"rent:direct-debit-cancelled:{current.pk}",
        about=account,
    )
    return current
