"""A tenant's request for help paying: a call from the income team, money advice, benefits."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from notifications.services import notify_customer
from rent.models import RentAccount, SupportRequest, SupportRequestKind
from rent.services.ledger import RentRuleBroken
from tenancy.models import Customer


@transaction.atomic
def support_request_make(
    *,
    account: RentAccount,
    customer: Customer,
    kind: str,
    phone: str = "",
    best_time: str = "",
    note: str = "",
    idempotency_key: uuid.UUID,
) -> SupportRequest:
    existing = SupportRequest.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if kind not in SupportRequestKind.values:
        raise RentRuleBroken("Choose the help you would like")
    if kind == SupportRequestKind.CALL_FROM_INCOME_TEAM and not phone.strip():
        raise RentRuleBroken("Enter a phone number we can call you on")
    request = SupportRequest.objects.create(
        account=account,
        customer=customer,
        kind=kind,
        phone=phone.strip(),
        best_time=best_time.strip(),
        note=note.strip(),
        created_at=timezone.now(),
        idempotency_key=idempotency_key,
    )
    notify_customer(
        customer=customer,
        subject="We have your request for help",
        body=(
            f"You asked for: {SupportRequestKind(kind).label.lower()}. Someone from our income "
            "team will be in touch within 5 working days. You do not need to do anything else."
        ),
        key=f"rent:support:{request.pk}",
        about=account,
    )
    return request
