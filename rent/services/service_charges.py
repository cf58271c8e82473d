"""Variable service charge costs for leaseholders and shared owners, and the 18-month rule."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from rent.models import EntryKind, ServiceChargeCost
from rent.services.ledger import (
    NewEntry,
    RentRuleBroken,
    append_entries,
    arrears_review,
    lock_account,
)


@transaction.atomic
def service_charge_cost_bill(*, cost: ServiceChargeCost, actor: User | None) -> None:
    """Demand the cost through the account: refused for a cost more than 18 months old with no
    s20B notice served in time, which staff see flagged before they try."""
    locked_cost = ServiceChargeCost.objects.select_for_update().get(pk=cost.pk)
    if locked_cost.billed_entry_id is not None:
        raise RentRuleBroken("This cost has already been billed")
    today = timezone.localdate()
    if locked_cost.is_out_of_time(today):
        raise RentRuleBroken(
            "This cost was incurred more than 18 months ago and no s20B notice was served in "
            "time: it cannot be recovered"
        )
    account = lock_account(locked_cost.account_id)
    (row,) = append_entries(
        account,
        [
            NewEntry(
                kind=EntryKind.SERVICE_CHARGE,
                amount_pence=locked_cost.amount_pence,
                on=today,
                description=f"Service charge: {locked_cost.description}",
            )
        ],
        actor=actor,
    )
    account.save(update_fields=["balance_pence"])
    locked_cost.billed_entry = row
    locked_cost.save(update_fields=["billed_entry"])
    cost.billed_entry = row
    arrears_review([account.pk])
