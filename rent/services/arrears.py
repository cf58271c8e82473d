"""The income team's work on an account in arrears: contact, arrangements, referrals to money
advice and the stages of recovery action, each told to the tenant before it happens."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from casework.services import case_add_note, case_transition
from kernel.roles import Role, user_has_any_role
from notifications.services import notify_customer
from rent.models import (
    CHARGE_KINDS,
    MONEY_IN_KINDS,
    ArrangementFrequency,
    ArrangementStatus,
    ArrearsCase,
    ArrearsStatus,
    ContactMethod,
    LedgerEntry,
    PaymentArrangement,
    RecoveryAction,
    RecoveryStage,
)
from rent.periods import pounds
from rent.services.ledger import ARREARS_TRANSITIONS, RentRuleBroken
from sla.services import deadline_meet

# A payment may take a few days to reach us: an instalment is late after this.
ARRANGEMENT_GRACE = dt.timedelta(days=3)
# The least notice of a planned recovery step (a letter takes two days to arrive).
RECOVERY_NOTICE = dt.timedelta(days=7)


def _require_open(case: ArrearsCase) -> None:
    if not case.is_open:
        raise RentRuleBroken("This arrears case is closed")


@transaction.atomic
def arrears_contact_record(*, case: ArrearsCase, actor: User, method: str, note: str) -> None:
    """A contact attempt that reached the tenant: meets the "contact you promptly" clock."""
    _require_open(case)
    if method not in ContactMethod.values:
        raise RentRuleBroken("Choose how you contacted the tenant")
    deadline_meet(case=case, code="rent.arrears.contact")
    case_transition(
        case=case,
        to_status=ArrearsStatus.CONTACTED,
        allowed=ARREARS_TRANSITIONS,
        actor=actor,
        note=f"We contacted you ({ContactMethod(method).label.lower()}) about your rent account.",
    )
    if note.strip():
        case_add_note(case=case, actor=actor, note=note, visible_to_customer=False)


@transaction.atomic
def arrangement_make(
    *,
    case: ArrearsCase,
    actor: User,
    amount_pence: int,
    frequency: str,
    starts_on: dt.date,
) -> PaymentArrangement:
    _require_open(case)
    if amount_pence <= 0:
        raise RentRuleBroken("Enter an amount more than zero")
    if frequency not in ArrangementFrequency.values:
        raise RentRuleBroken("Choose how often the tenant will pay")
    now = timezone.now()
    PaymentArrangement.objects.filter(case=case, status=ArrangementStatus.ACTIVE).update(
        status=ArrangementStatus.ENDED, ended_at=now
    )
    arrangement = PaymentArrangement.objects.create(
        case=case, amount_pence=amount_pence, frequency=frequency, starts_on=starts_on, made_at=now
    )
    every = ArrangementFrequency(frequency).label.lower()
    text = (
        f"We agreed that you will pay {pounds(amount_pence)} {every} towards what you owe, on top "
        f"of your rent, from {starts_on:%A %-d %B %Y}."
    )
    case_transition(
        case=case,
        to_status=ArrearsStatus.ARRANGEMENT,
        allowed=ARREARS_TRANSITIONS,
        actor=actor,
        note=text,
    )
    notify_customer(
        customer=case.customer,
        subject="Your payment arrangement",
        body=text,
        key=f"rent:arrangement:{arrangement.pk}",
        about=case,
    )
    return arrangement


def _instalments_due(arrangement: PaymentArrangement, up_to: dt.date) -> int:
    if up_to < arrangement.starts_on:
        return 0
    if arrangement.frequency == ArrangementFrequency.WEEKLY:
        return (up_to - arrangement.starts_on).days // 7 + 1
    months = (up_to.year - arrangement.starts_on.year) * 12 + (
        up_to.month - arrangement.starts_on.month
    )
    return months + (1 if up_to.day >= arrangement.starts_on.day else 0)


def arrangements_check(*, today: dt.date | None = None) -> dict[str, int]:
    """Check every active arrangement against the ledger: money in since it started must
    cover the charges since then plus every instalment due (allowing a few days for a
    payment to arrive). Broken ones are recorded and the tenant told; one whose account is
    clear is kept. Run daily by Celery beat; idempotent."""
    today = today or timezone.localdate()
    counts = {"kept": 0, "broken": 0}
    active = PaymentArrangement.objects.filter(status=ArrangementStatus.ACTIVE).select_related(
        "case__account", "case__customer"
    )
    for arrangement in active:
        outcome = _check_one(arrangement, today)
        if outcome:
            counts[outcome] += 1
    return counts


@transaction.atomic
def _check_one(arrangement: PaymentArrangement, today: dt.date) -> str | None:
    case = arrangement.case
    if case.account.balance_pence <= 0:
        PaymentArrangement.objects.filter(pk=arrangement.pk).update(
            status=ArrangementStatus.KEPT, ended_at=timezone.now(), checked_to=today
        )
        return "kept"
    checked_day = today - ARRANGEMENT_GRACE
    entries = LedgerEntry.objects.filter(account=case.account, on__gte=arrangement.starts_on)
    charged = (
        entries.filter(kind__in=CHARGE_KINDS, on__lte=checked_day).aggregate(
            total=Sum("amount_pence")
        )["total"]
        or 0
    )
    paid = -(
        entries.filter(kind__in=MONEY_IN_KINDS).aggregate(total=Sum("amount_pence"))["total"] or 0
    )
    expected = charged + _instalments_due(arrangement, checked_day) * arrangement.amount_pence
    if paid >= expected:
        PaymentArrangement.objects.filter(pk=arrangement.pk).update(checked_to=today)
        return None
    PaymentArrangement.objects.filter(pk=arrangement.pk).update(
        status=ArrangementStatus.BROKEN, ended_at=timezone.now(), checked_to=today
    )
    text = (
        f"The payments we agreed have not all reached us: we expected {pounds(expected)} since "
        f"{arrangement.starts_on:%-d %B %Y} and have received {pounds(paid)}. Please contact "
        "us so we can help before this becomes more serious."
    )
    case_add_note(case=case, actor=None, note=text, visible_to_customer=True)
    notify_customer(
        customer=case.customer,
        subject="Your payment arrangement",
        body=text,
        key=f"rent:arrangement:{arrangement.pk}:broken",
        about=case,
    )
    return "broken"


@transaction.atomic
def arrears_money_advice_refer(
    *, case: ArrearsCase, actor: User, agency: str, note: str = ""
) -> None:
    _require_open(case)
    if not agency.strip():
        raise RentRuleBroken("Say who the tenant is being referred to")
    text = (
        f"With your agreement we have referred you to {agency.strip()} for free, confidential "
        "money and debt advice."
    )
    case_add_note(case=case, actor=actor, note=text, visible_to_customer=True)
    if note.strip():
        case_add_note(case=case, actor=actor, note=note, visible_to_customer=False)


@transaction.atomic
def recovery_action_plan(
    *,
    case: ArrearsCase,
    actor: User,
    stage: str,
    planned_for: dt.date,
    steps_taken_to_avoid_court: str = "",
) -> RecoveryAction:
    """Plan a stage of recovery action and tell the tenant now, before it happens. Court
    action is planned only by a manager (their approval) with the steps taken to avoid it."""
    _require_open(case)
    if stage not in RecoveryStage.values:
        raise RentRuleBroken("Choose a stage of recovery action")
    problems = []
    earliest = timezone.localdate() + RECOVERY_NOTICE
    if planned_for < earliest:
        problems.append(
            f"The tenant must be told at least 7 days before: choose {earliest:%-d %B %Y} or later"
        )
    approved_by = None
    if stage == RecoveryStage.COURT_APPLICATION:
        if not user_has_any_role(actor, [Role.MANAGER]):
            problems.append(
                "Court action needs a manager's approval: ask a manager to take this step"
            )
        else:
            approved_by = actor
        if not steps_taken_to_avoid_court.strip():
            problems.append("Record the steps taken to avoid court action")
    if problems:
        raise RentRuleBroken(*problems)
    now = timezone.now()
    action = RecoveryAction.objects.create(
        case=case,
        created_at=now,
        stage=stage,
        planned_for=planned_for,
        tenant_told_at=now,
        steps_taken_to_avoid_court=steps_taken_to_avoid_court.strip(),
        proposed_by=actor,
        approved_by=approved_by,
    )
    text = (
        f"Unless you contact us or clear what you owe, we plan to take this step on "
        f"{planned_for:%A %-d %B %Y}: {RecoveryStage(stage).label.lower()}. Please talk to us: "
        "we want to help you keep your home."
    )
    case_transition(
        case=case,
        to_status=ArrearsStatus.RECOVERY,
        allowed=ARREARS_TRANSITIONS,
        actor=actor,
        note=text,
    )
    notify_customer(
        customer=case.customer,
        subject="Action we are planning on your rent account",
        body=text,
        key=f"rent:recovery:{action.pk}",
        about=case,
    )
    return action
