"""The income team's steps on an arrears case (contact, arrangement, money advice, recovery
action) and on a rent account (post an adjustment, refund or payment), registered with
``casework.steps`` from ``RentConfig.ready``; each is a form whose values go to one service."""

from __future__ import annotations

from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from rent import services
from rent.forms import (
    ArrangementForm,
    ContactForm,
    LedgerPostForm,
    RecoveryForm,
    ReferralForm,
    SuspenseAllocateForm,
)
from rent.models import ArrearsCase, RentAccount, SuspensePayment
from rent.periods import pounds
from rent.selectors import accounts_for_references
from rent.services import RentRuleBroken


def _summary(case: ArrearsCase, state: object) -> str:
    return (
        f"{case.reference}: {case.customer.full_name}, {case.account.tenancy.reference}, "
        f"owes {pounds(case.account.balance_pence)}. {case.status_label}."
    )


def _account_summary(account: RentAccount, state: object) -> str:
    return f"{account.tenancy.reference}: balance {pounds(account.balance_pence)}."


def _is_open(ctx: StepContext) -> bool:
    return ctx.case.is_open


def _contact(ctx: StepContext, form) -> None:
    services.arrears_contact_record(
        case=ctx.case,
        actor=ctx.actor,
        method=form.cleaned_data["method"],
        note=form.cleaned_data["note"],
    )


def _arrangement(ctx: StepContext, form) -> None:
    services.arrangement_make(
        case=ctx.case,
        actor=ctx.actor,
        amount_pence=form.cleaned_data["amount"],
        frequency=form.cleaned_data["frequency"],
        starts_on=form.cleaned_data["starts_on"],
    )


def _refer(ctx: StepContext, form) -> None:
    services.arrears_money_advice_refer(
        case=ctx.case,
        actor=ctx.actor,
        agency=form.cleaned_data["agency"],
        note=form.cleaned_data["note"],
    )


def _recovery(ctx: StepContext, form) -> None:
    services.recovery_action_plan(
        case=ctx.case,
        actor=ctx.actor,
        stage=form.cleaned_data["stage"],
        planned_for=form.cleaned_data["planned_for"],
        steps_taken_to_avoid_court=form.cleaned_data["steps_taken_to_avoid_court"],
    )


def _post(ctx: StepContext, form) -> str:
    row = services.ledger_post(
        account=ctx.case,
        kind=form.cleaned_data["kind"],
        amount_pence=form.cleaned_data["amount"],
        on=form.cleaned_data["on"],
        description=form.cleaned_data["description"],
        method=form.cleaned_data["method"],
        actor=ctx.actor,
    )
    return (
        f"Posted {pounds(row.amount_pence)}; the balance is now {pounds(row.balance_after_pence)}."
    )


def _suspense_summary(payment: SuspensePayment, state: object) -> str:
    return (
        f"{pounds(payment.amount_pence)} paid {payment.paid_on:%-d %b %Y} with the reference "
        f"{payment.reference_given!r} (transaction {payment.transaction_id})."
    )


def _unresolved(ctx: StepContext) -> bool:
    return ctx.case.resolved_entry_id is None


def _allocate(ctx: StepContext, form) -> str:
    reference = form.cleaned_data["tenancy_reference"]
    found = accounts_for_references([reference, reference.upper()])
    if not found:
        raise RentRuleBroken(f"No rent account has the tenancy reference {reference!r}")
    row = services.suspense_allocate(payment=ctx.case, account=found[0], actor=ctx.actor)
    return f"Posted to {found[0].tenancy.reference}; its balance is now {pounds(row.balance_after_pence)}."


def register() -> None:
    register_steps(
        ArrearsCase,
        [
            Step(
                name="contact",
                title="Record contact with the tenant",
                form_class=ContactForm,
                run=_contact,
                success_message="Contact recorded.",
                available=_is_open,
            ),
            Step(
                name="arrangement",
                title="Agree a payment arrangement",
                form_class=ArrangementForm,
                run=_arrangement,
                success_message="Arrangement recorded and the tenant told.",
                available=_is_open,
            ),
            Step(
                name="refer",
                title="Refer to money advice",
                form_class=ReferralForm,
                run=_refer,
                success_message="Referral recorded.",
                available=_is_open,
            ),
            Step(
                name="recovery",
                title="Plan recovery action (the tenant is told now)",
                form_class=RecoveryForm,
                run=_recovery,
                success_message="Recovery action planned and the tenant told.",
                available=_is_open,
            ),
        ],
        refusals=(RentRuleBroken, InvalidTransition),
        summary=_summary,
        select_related=("account__tenancy", "customer"),
    )
    register_steps(
        RentAccount,
        [
            Step(
                name="post",
                title="Post an adjustment, refund or payment",
                form_class=LedgerPostForm,
                run=_post,
                success_message="Posted.",
            )
        ],
        refusals=(RentRuleBroken,),
        summary=_account_summary,
        select_related=("tenancy",),
    )
    register_steps(
        SuspensePayment,
        [
            Step(
                name="allocate",
                title="Post to a tenancy",
                form_class=SuspenseAllocateForm,
                run=_allocate,
                success_message="Posted.",
                available=_unresolved,
            )
        ],
        refusals=(RentRuleBroken,),
        summary=_suspense_summary,
    )
