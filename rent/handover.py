"""What other service apps may ask of rent: open the account of a tenancy they have just made
(a home let through lettings), charged from the tenancy's first day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rent.models import ChargeFrequency
from rent.services import RentRuleBroken, account_open

if TYPE_CHECKING:
    from rent.models import RentAccount
    from tenancy.models import Tenancy

__all__ = ["RentRuleBroken", "rent_account_open_for_new_tenancy"]


def rent_account_open_for_new_tenancy(
    *, tenancy: Tenancy, rent_weekly_pence: int, service_charge_weekly_pence: int = 0
) -> RentAccount:
    """The new tenancy's rent account, charged weekly from its first day at the rent and
    service charge it was let at, so the new tenant sees their rent and can set up a Direct
    Debit from the day they sign. Raises ``RentRuleBroken`` with the reason."""
    return account_open(
        tenancy=tenancy,
        frequency=ChargeFrequency.WEEKLY,
        rent_pence=rent_weekly_pence,
        service_charge_pence=service_charge_weekly_pence,
    )
