"""Rent and service charge changes: checked against the rent standard and the notice period,
then each tenant is sent written notice in the same transaction as the change is scheduled."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import notify_customer
from rent.models import RentAccount, RentChange, RentChangeLine
from rent.periods import full_period_containing, one_calendar_month_after, pounds
from rent.services.ledger import RentRuleBroken, lead_tenant
from tenancy.models import Tenure

# Rent Standard 2026: social and affordable rents may rise by at most CPI + 1% a year.
RENT_STANDARD_PERCENT_ABOVE_CPI = Decimal("1")
NOTICE_WEEKS = 4


def earliest_effective_date(notice_day: dt.date) -> dt.date:
    """Notice given on ``notice_day`` allows a change from this day: one calendar month and
    four weeks after it, whichever is later (our promise says "four weeks / one month"; four
    weeks can be shorter than the month s13 Housing Act 1988 requires, so both hold)."""
    return max(one_calendar_month_after(notice_day), notice_day + dt.timedelta(weeks=NOTICE_WEEKS))


def cap_pence(old_pence: int, cpi_percent: Decimal) -> int:
    limit = Decimal(old_pence) * (100 + cpi_percent + RENT_STANDARD_PERCENT_ABOVE_CPI) / 100
    return int(limit.to_integral_value(rounding=ROUND_FLOOR))


def _changed(old_pence: int, percent: Decimal) -> int:
    # Rounded down to the penny: a rise never exceeds the percentage set.
    value = Decimal(old_pence) * (100 + percent) / 100
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@transaction.atomic
def rent_change_schedule(
    *,
    accounts: list[RentAccount],
    effective_from: dt.date,
    rent_percent: Decimal,
    service_charge_percent: Decimal,
    cpi_percent: Decimal | None,
    reason: str,
    actor: User,
) -> RentChange:
    """Schedule a change for ``accounts`` from ``effective_from`` and send each tenant notice.

    Refused, with nothing written or sent, when: the notice is shorter than one calendar month
    and four weeks; the day is not the start of each account's charge period; or a general
    needs rent would rise by more than CPI + 1% (the CPI figure is then required)."""
    today = timezone.localdate()
    problems = []
    earliest = earliest_effective_date(today)
    if effective_from < earliest:
        problems.append(
            f"Tenants must have at least one month's and four weeks' notice: the earliest day "
            f"for a change sent today is {earliest:%-d %B %Y}"
        )
    if not accounts:
        problems.append("Choose at least one tenancy")
    social = [a for a in accounts if a.tenancy.property.tenure == Tenure.GENERAL_NEEDS]
    if social and rent_percent > 0 and cpi_percent is None:
        problems.append(
            "Enter the CPI figure, so the rise can be checked against the rent standard"
        )
    for account in accounts:
        if full_period_containing(effective_from, account.frequency)[0] != effective_from:
            problems.append(
                f"{account.tenancy.reference}: a change must start on the first day of a charge "
                f"period ({'a Monday' if account.frequency == 'weekly' else 'the 1st of a month'})"
            )
        if account in social and cpi_percent is not None:
            new_rent = _changed(account.rent_pence, rent_percent)
            if new_rent > cap_pence(account.rent_pence, cpi_percent):
                problems.append(
                    f"{account.tenancy.reference}: a rise of {rent_percent}% is more than the "
                    f"rent standard allows (CPI {cpi_percent}% + 1%)"
                )
    if problems:
        raise RentRuleBroken(*problems)
    now = timezone.now()
    change = RentChange.objects.create(
        effective_from=effective_from,
        reason=reason,
        cpi_percent=cpi_percent,
        prepared_by=actor,
        scheduled_at=now,
    )
    for account in accounts:
        line = RentChangeLine.objects.create(
            change=change,
            account=account,
            old_rent_pence=account.rent_pence,
            new_rent_pence=_changed(account.rent_pence, rent_percent),
            old_service_charge_pence=account.service_charge_pence,
            new_service_charge_pence=_changed(account.service_charge_pence, service_charge_percent),
            notice_sent_at=now,
        )
        _send_notice(line)
    return change


def _send_notice(line: RentChangeLine) -> None:
    customer = lead_tenant(line.account.tenancy_id)
    if customer is None:
        return
    period = "week" if line.account.frequency == "weekly" else "month"
    notify_customer(
        customer=customer,
        subject="Your rent is changing",
        body=(
            f"From {line.change.effective_from:%A %-d %B %Y} your rent will be "
            f"{pounds(line.new_rent_pence)} a {period} (now {pounds(line.old_rent_pence)}) and "
            f"your service charge {pounds(line.new_service_charge_pence)} a {period} (now "
            f"{pounds(line.old_service_charge_pence)}). Your letter is in your rent account "
            "on our website. If you pay by Direct Debit we will change the amount for you."
        ),
        key=f"rent:change:{line.pk}",
        about=line.account,
    )
