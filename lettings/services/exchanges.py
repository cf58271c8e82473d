"""Mutual exchanges: application, checks and the decision within 42 days."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import ReceivedBy
from casework.services import case_open
from kernel.formatting import london_date
from lettings.models import (
    MutualExchange,
)
from lettings.services._common import (
    EXCHANGE_DECISION,
    EXCHANGE_DECISIONS,
    EXCHANGE_TRANSITIONS,
    E,
    LettingRefused,
    _lock,
    _move,
    _site,
    _tell,
    lettings_team,
)
from sla.services import deadline_meet, deadline_start
from tenancy.models import Customer


def exchange_url(exchange: MutualExchange) -> str:
    return _site(reverse("casework:case_detail", kwargs={"reference": exchange.reference}))


@transaction.atomic
def exchange_apply(
    *,
    customer: Customer,
    partner_name: str,
    partner_address: str,
    partner_landlord: str,
    partner_landlord_contact: str = "",
    partner_tenancy_reference: str = "",
    reason: str = "",
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> MutualExchange:
    """A tenant applies to exchange homes. The 42-day decision clock starts now."""
    if idempotency_key is not None:
        existing = MutualExchange.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.tenancy_id != customer.household_id:
                raise LettingRefused("This form has already been used. Start again.")
            return existing
    if not customer.is_tenant or customer.has_left_home:
        raise LettingRefused("Only a current tenant can apply to exchange their home.")
    if MutualExchange.objects.filter(
        tenancy_id=customer.household_id, closed_at__isnull=True
    ).exists():
        raise LettingRefused("Your household already has a mutual exchange application open.")
    exchange = case_open(
        model=MutualExchange,
        customer=customer,
        received_by=received_by,
        status=E.RECEIVED,
        actor=actor,
        team=lettings_team(),
        partner_name=partner_name.strip(),
        partner_address=partner_address.strip(),
        partner_landlord=partner_landlord.strip(),
        partner_landlord_contact=partner_landlord_contact.strip(),
        partner_tenancy_reference=partner_tenancy_reference.strip(),
        reason=reason.strip(),
        idempotency_key=idempotency_key,
    )
    clock = deadline_start(case=exchange, code=EXCHANGE_DECISION, started_at=exchange.opened_at)
    _tell(
        exchange,
        customer,
        key="received",
        subject=f"We have your mutual exchange application {exchange.reference}",
        body=(
            f"We have your application to exchange homes with {exchange.partner_name}. We will "
            f"check both homes and tenancies and give you our decision by "
            f"{london_date(clock.due_at)}.\n\n{exchange_url(exchange)}"
        ),
    )
    return exchange


@transaction.atomic
def exchange_record_checks(
    *,
    exchange: MutualExchange,
    actor: User,
    rent_account_clear: bool,
    no_tenancy_breach: bool,
    property_suitable: bool,
    safety_checks_arranged: bool,
    safety_checks_recharge_pence: int = 0,
    notes: str = "",
) -> MutualExchange:
    """The checks before a decision: rent account, tenancy conduct, suitability, and the gas
    and electrical checks arranged (and recharged to the tenant, as the commitments say)."""
    exchange = _lock(MutualExchange, exchange.pk)
    if exchange.status not in (E.RECEIVED, E.CHECKS_DONE):
        raise LettingRefused("The checks are recorded before the decision.")
    if safety_checks_recharge_pence < 0:
        raise LettingRefused("The recharge cannot be negative.")
    MutualExchange.objects.filter(pk=exchange.pk).update(
        rent_account_clear=rent_account_clear,
        no_tenancy_breach=no_tenancy_breach,
        property_suitable=property_suitable,
        safety_checks_arranged=safety_checks_arranged,
        safety_checks_recharge_pence=safety_checks_recharge_pence,
        checks_notes=notes.strip(),
        checks_done_at=timezone.now(),
    )
    _move(exchange, E.CHECKS_DONE, EXCHANGE_TRANSITIONS, actor=actor, note="Checks recorded")
    exchange.refresh_from_db()
    return exchange


@transaction.atomic
def exchange_decide(
    *,
    exchange: MutualExchange,
    actor: User,
    decision: str,
    explanation: str,
    conditions: str = "",
    refusal_ground: str = "",
) -> MutualExchange:
    """Consent, consent with conditions, or refusal on a Schedule 3 ground; the tenant is told
    and the 42-day clock is met."""
    exchange = _lock(MutualExchange, exchange.pk)
    if exchange.status != E.CHECKS_DONE:
        raise LettingRefused("Record the checks before deciding.")
    if decision not in EXCHANGE_DECISIONS:
        raise LettingRefused("Choose consent, consent with conditions or refusal.")
    conditions, explanation = conditions.strip(), explanation.strip()
    if decision == E.CONDITIONAL and not conditions:
        raise LettingRefused("Write the conditions of the consent.")
    if decision == E.REFUSED and not refusal_ground:
        raise LettingRefused("Choose the statutory ground for refusing.")
    if decision != E.REFUSED:
        refusal_ground = ""
    if decision != E.CONDITIONAL:
        conditions = ""
    now = timezone.now()
    MutualExchange.objects.filter(pk=exchange.pk).update(
        decided_at=now,
        conditions=conditions,
        refusal_ground=refusal_ground,
        decision_explanation=explanation,
    )
    _move(
        exchange,
        decision,
        EXCHANGE_TRANSITIONS,
        actor=actor,
        note=explanation or str(E(decision).label),
        closes=True,
    )
    deadline_meet(case=exchange, code=EXCHANGE_DECISION, met_at=now)
    exchange.refresh_from_db()
    lines = [f"Our decision on your mutual exchange application: {E(decision).label}."]
    if conditions:
        lines.append(f"The conditions: {conditions}")
    if refusal_ground:
        lines.append(
            f"The reason, under the Housing Act 1985: {exchange.get_refusal_ground_display()}."
        )
    if explanation:
        lines.append(explanation)
    lines.append(exchange_url(exchange))
    _tell(
        exchange,
        exchange.customer,
        key="decision",
        subject=f"Decision on your mutual exchange {exchange.reference}",
        body="\n\n".join(lines),
    )
    return exchange
