"""The ledger: rows are appended under the account's lock, with the running balance, and
arrears cases open and close with the balance in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from casework.models import ReceivedBy
from casework.services import case_open, case_transition
from rent.models import (
    ArrearsCase,
    ArrearsStatus,
    ChargeFrequency,
    EntryKind,
    LedgerEntry,
    RentAccount,
    in_arrears_q,
)
from sla.services import deadline_meet, deadline_start
from tenancy.models import Customer, HouseholdRole, Tenancy


class RentRuleBroken(Exception):
    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class NewEntry:
    kind: str
    amount_pence: int
    on: dt.date
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    method: str = ""
    transaction_id: str = ""
    description: str = ""


@transaction.atomic
def account_open(
    *,
    tenancy: Tenancy,
    frequency: str = ChargeFrequency.WEEKLY,
    rent_pence: int,
    service_charge_pence: int = 0,
    other_charges_pence: int = 0,
    charges_from: dt.date | None = None,
    opening_balance_pence: int = 0,
) -> RentAccount:
    """The tenancy's account, charged by the next charges run from ``charges_from`` (default:
    the tenancy's first day). An account moved from another system starts at the first period
    not charged there, with what was owed (or in credit) then as its opening balance."""
    if min(rent_pence, service_charge_pence, other_charges_pence) < 0:
        raise RentRuleBroken("Charges cannot be negative")
    if charges_from is not None and charges_from < tenancy.start_date:
        raise RentRuleBroken("Charges cannot start before the tenancy")
    account = RentAccount.objects.create(
        tenancy=tenancy,
        frequency=frequency,
        rent_pence=rent_pence,
        service_charge_pence=service_charge_pence,
        other_charges_pence=other_charges_pence,
        charged_to=(charges_from - dt.timedelta(days=1)) if charges_from else None,
    )
    if opening_balance_pence:
        append_entries(
            account,
            [
                NewEntry(
                    kind=EntryKind.ADJUSTMENT,
                    amount_pence=opening_balance_pence,
                    on=charges_from or tenancy.start_date,
                    description="Balance brought forward",
                )
            ],
        )
        account.save(update_fields=["balance_pence"])
    return account


def lock_account(account_id: int) -> RentAccount:
    return RentAccount.objects.select_for_update().get(pk=account_id)


def ledger_rows(
    account: RentAccount, entries: Sequence[NewEntry], *, actor: User | None = None
) -> list[LedgerEntry]:
    """The ledger rows for ``entries`` on a locked ``account``, each with the running balance,
    and the account's balance moved past them: the one place the running balance is kept.
    The caller writes the rows (``append_entries`` for one account; a batch writes many
    accounts' rows with one insert) and the balance, in the transaction holding the lock
    (``lock_account``), so no two writers compute the balance from the same starting point."""
    now = timezone.now()
    rows = []
    balance = account.balance_pence
    for entry in entries:
        balance += entry.amount_pence
        rows.append(
            LedgerEntry(
                # Ids, not instances: a thousand rows a batch skip the related descriptors.
                account_id=account.pk,
                kind=entry.kind,
                amount_pence=entry.amount_pence,
                balance_after_pence=balance,
                on=entry.on,
                period_start=entry.period_start,
                period_end=entry.period_end,
                method=entry.method,
                transaction_id=entry.transaction_id,
                description=entry.description,
                created_at=now,
                created_by_id=actor.pk if actor is not None else None,
            )
        )
    account.balance_pence = balance
    return rows


def append_entries(
    account: RentAccount, entries: Sequence[NewEntry], *, actor: User | None = None
) -> list[LedgerEntry]:
    """Append ``entries`` to a locked ``account`` and move its balance (see ``ledger_rows``)."""
    rows = ledger_rows(account, entries, actor=actor)
    LedgerEntry.objects.bulk_create(rows)
    return rows


# Rows written by one insert: large enough that a batch of accounts is a few statements,
# within PostgreSQL's limit of 65,535 parameters a statement (13 a row). Django splits it
# further where the database needs (SQLite).
INSERT_BATCH_SIZE = 2000


def latest_balance() -> Coalesce:
    """An account's balance as its rows say: the balance after its latest row (0 with none)."""
    return Coalesce(
        Subquery(
            LedgerEntry.objects.filter(account=OuterRef("pk"))
            .order_by("-pk")
            .values("balance_after_pence")[:1]
        ),
        Value(0),
    )


def write_balances(accounts: Sequence[RentAccount], **also: object) -> None:
    """Write the balances of a batch of locked accounts whose rows were just written: one
    UPDATE for the batch, each account's balance read from its latest row (one step back along
    an index per account), the same figure ``ledger_rows`` moved ``balance_pence`` to. ``also``
    sets other columns to one value for the whole batch."""
    if accounts:
        RentAccount.objects.filter(pk__in=[account.pk for account in accounts]).update(
            balance_pence=latest_balance(), **also
        )


# What a member of staff may post by hand, and which way each moves the balance.
STAFF_KINDS = {
    EntryKind.ADJUSTMENT: 0,  # either way: a credit is negative, a debit positive
    EntryKind.REFUND: 1,
    EntryKind.PAYMENT: -1,
    EntryKind.HOUSING_BENEFIT: -1,
    EntryKind.UNIVERSAL_CREDIT: -1,
}


@transaction.atomic
def ledger_post(
    *,
    account: RentAccount,
    kind: str,
    amount_pence: int,
    on: dt.date,
    description: str,
    actor: User | None,
    method: str = "",
) -> LedgerEntry:
    """One row posted by staff: an adjustment (positive adds to what is owed), a refund of a
    credit, or money received outside a payments file. A correction is always a new row."""
    direction = STAFF_KINDS.get(EntryKind(kind)) if kind in EntryKind.values else None
    problems = []
    if direction is None:
        problems.append("Choose an adjustment, a refund or money received")
    if amount_pence == 0:
        problems.append("Enter an amount other than zero")
    if not description.strip():
        problems.append("Say why this is being posted")
    if problems or direction is None:
        raise RentRuleBroken(*problems)
    amount = amount_pence if direction == 0 else direction * abs(amount_pence)
    locked = lock_account(account.pk)
    if kind == EntryKind.REFUND and locked.balance_pence + amount > 0:
        raise RentRuleBroken("A refund cannot be more than the credit on the account")
    (row,) = append_entries(
        locked,
        [
            NewEntry(
                kind=kind,
                amount_pence=amount,
                on=on,
                method=method,
                description=description.strip(),
            )
        ],
        actor=actor,
    )
    locked.save(update_fields=["balance_pence"])
    account.balance_pence = locked.balance_pence
    arrears_review([locked.pk])
    return row


def lead_tenant(tenancy_id: int) -> Customer | None:
    """The person an account's letters and arrears case are addressed to."""
    order = [
        HouseholdRole.LEAD_TENANT,
        HouseholdRole.LEASEHOLDER,
        HouseholdRole.SHARED_OWNER,
        HouseholdRole.JOINT_TENANT,
    ]
    people = list(
        Customer.objects.filter(tenancy_id=tenancy_id, household_role__in=order).order_by("pk")
    )
    people.sort(key=lambda person: order.index(HouseholdRole(person.household_role)))
    return people[0] if people else None


def arrears_review(account_ids: Iterable[int], *, at: dt.datetime | None = None) -> None:
    """Open an arrears case (and its contact clock) for each of ``account_ids`` that has fallen
    into arrears and has none open, and close the open case of each that is clear. Runs in the
    caller's transaction, after the balances it moved: two queries when nothing changes."""
    ids = list(account_ids)
    if not ids:
        return
    at = at or timezone.now()
    falling = list(
        RentAccount.objects.filter(in_arrears_q(), pk__in=ids)
        .exclude(Exists(ArrearsCase.objects.filter(account=OuterRef("pk"), closed_at__isnull=True)))
        .select_related("tenancy")
    )
    for account in falling:
        customer = lead_tenant(account.tenancy_id)
        if customer is None:
            continue
        case = case_open(
            model=ArrearsCase,
            customer=customer,
            received_by=ReceivedBy.STAFF,
            status=ArrearsStatus.TO_CONTACT,
            opened_at=at,
            account=account,
            note="Your rent account has fallen behind. We will be in touch to talk it through.",
        )
        deadline_start(case=case, code="rent.arrears.contact", started_at=at)
    cleared = ArrearsCase.objects.filter(
        account_id__in=ids, closed_at__isnull=True, account__balance_pence__lte=0
    )
    for case in cleared:
        # Paid before we called: nobody waits for the call, so the promise is kept.
        deadline_meet(case=case, code="rent.arrears.contact", met_at=at)
        case_transition(
            case=case,
            to_status=ArrearsStatus.CLEARED,
            allowed=ARREARS_TRANSITIONS,
            note="Your rent account is clear. Thank you.",
            closes=True,
        )


ARREARS_TRANSITIONS: dict[str, set[str]] = {
    ArrearsStatus.TO_CONTACT: {ArrearsStatus.CONTACTED, ArrearsStatus.CLEARED},
    ArrearsStatus.CONTACTED: {
        ArrearsStatus.CONTACTED,
        ArrearsStatus.ARRANGEMENT,
        ArrearsStatus.RECOVERY,
        ArrearsStatus.CLEARED,
    },
    ArrearsStatus.ARRANGEMENT: {
        ArrearsStatus.CONTACTED,
        ArrearsStatus.ARRANGEMENT,
        ArrearsStatus.RECOVERY,
        ArrearsStatus.CLEARED,
    },
    ArrearsStatus.RECOVERY: {
        ArrearsStatus.ARRANGEMENT,
        ArrearsStatus.RECOVERY,
        ArrearsStatus.CLEARED,
    },
}


@transaction.atomic
def household_access_set(*, account: RentAccount, by: Customer, allowed: bool) -> None:
    """The lead tenant lets other household members see the rent account, or stops it."""
    if by.tenancy_id != account.tenancy_id or by.household_role != HouseholdRole.LEAD_TENANT:
        raise RentRuleBroken("Only the lead tenant can choose who else sees the rent account")
    RentAccount.objects.filter(pk=account.pk).update(household_may_see=allowed)
    account.household_may_see = allowed
