"""The charges run: each period's rent, service charge and other charges, posted once.

Run by Celery beat every hour (``portal/celery.py``); each run posts every period that has
started by today and was not yet charged, so a run after days of downtime catches up, and a
second run the same day finds nothing. Exactly once is kept twice over: ``charged_to`` moves in
the same transaction as the rows, under the account's row lock, and a unique constraint on
(account, kind, period start) refuses a second row for a period whatever happens.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from rent.models import (
    ChargeFrequency,
    EntryKind,
    LedgerEntry,
    RentAccount,
    RentChangeLine,
    RentFreeWeek,
)
from rent.periods import Period, part_of, periods_between
from rent.services.ledger import (
    INSERT_BATCH_SIZE,
    NewEntry,
    arrears_review,
    ledger_rows,
    write_balances,
)

BATCH_SIZE = 1000


def _due_account_ids(today: dt.date) -> Iterator[list[int]]:
    due = (
        RentAccount.objects.filter(Q(charged_to__isnull=True) | Q(charged_to__lt=today))
        .filter(tenancy__start_date__lte=today)
        .exclude(tenancy__end_date__isnull=False, charged_to__gte=F("tenancy__end_date"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = 0
    while True:
        ids = list(due.filter(pk__gt=last)[:BATCH_SIZE])
        if not ids:
            return
        yield ids
        last = ids[-1]


def _period_entries(account: RentAccount, period: Period, free_weeks: set[dt.date]) -> list:
    if account.frequency == ChargeFrequency.WEEKLY and period.full_start in free_weeks:
        return []
    label = f"{period.start:%-d %b %Y} to {period.end:%-d %b %Y}" + (
        " (part period)" if period.is_part else ""
    )
    entries = []
    for kind, amount in (
        (EntryKind.RENT, account.rent_pence),
        (EntryKind.SERVICE_CHARGE, account.service_charge_pence),
        (EntryKind.OTHER_CHARGE, account.other_charges_pence),
    ):
        if amount:
            entries.append(
                NewEntry(
                    kind=kind,
                    amount_pence=part_of(amount, period),
                    on=period.start,
                    period_start=period.start,
                    period_end=period.end,
                    description=label,
                )
            )
    return entries


def _apply_changes(
    account: RentAccount, changes: list[RentChangeLine], period: Period, now: dt.datetime
) -> list[RentChangeLine]:
    """A rent change takes effect at the start of a period: apply each whose day has come."""
    applied = []
    for line in changes:
        if line.applied_at is None and line.change.effective_from <= period.start:
            account.rent_pence = line.new_rent_pence
            account.service_charge_pence = line.new_service_charge_pence
            line.applied_at = now
            applied.append(line)
    return applied


def charges_post_due(*, today: dt.date | None = None) -> int:
    """Post every period that has started by ``today`` (default: today in London) and has not
    been charged. Returns the number of ledger rows written. One transaction per batch of
    accounts, so a long catch-up commits as it goes and a crash loses at most one batch."""
    today = today or timezone.localdate()
    free_weeks = set(RentFreeWeek.objects.values_list("week_starting", flat=True))
    written = 0
    for ids in _due_account_ids(today):
        written += _charge_batch(ids, today, free_weeks)
    return written


@transaction.atomic
def _charge_batch(ids: list[int], today: dt.date, free_weeks: set[dt.date]) -> int:
    now = timezone.now()
    accounts = list(
        RentAccount.objects.select_for_update(of=("self",))
        .select_related("tenancy")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    changes: dict[int, list[RentChangeLine]] = {}
    for line in (
        RentChangeLine.objects.filter(account_id__in=ids, applied_at__isnull=True)
        .select_related("change")
        .order_by("change__effective_from")
    ):
        changes.setdefault(line.account_id, []).append(line)
    changed_accounts = []
    applied_lines: list[RentChangeLine] = []
    rows: list[LedgerEntry] = []
    for account in accounts:
        tenancy = account.tenancy
        first = (
            tenancy.start_date
            if account.charged_to is None
            else account.charged_to + dt.timedelta(days=1)
        )
        entries: list[NewEntry] = []
        charged_to = account.charged_to
        for period in periods_between(
            frequency=account.frequency, first_day=first, last_day=tenancy.end_date, up_to=today
        ):
            applied_lines += _apply_changes(account, changes.get(account.pk, []), period, now)
            entries += _period_entries(account, period, free_weeks)
            charged_to = period.end
        if charged_to == account.charged_to:
            continue
        rows += ledger_rows(account, entries)
        account.charged_to = charged_to
        changed_accounts.append(account)
    # One insert for the batch's rows and an update of its accounts for each day they are now
    # charged to: a few statements for a thousand accounts, never one a row.
    LedgerEntry.objects.bulk_create(rows, batch_size=INSERT_BATCH_SIZE)
    # Accounts charged to the same day (in a weekly run, nearly all) share one update.
    by_day: dict[dt.date | None, list[RentAccount]] = defaultdict(list)
    for account in changed_accounts:
        by_day[account.charged_to].append(account)
    for charged_to, group in by_day.items():
        write_balances(group, charged_to=charged_to)
    if applied_lines:
        # Few accounts change rent in a run: their new amounts are written on their own, so
        # the update of every account in the batch carries two columns, not four.
        RentAccount.objects.bulk_update(
            [a for a in accounts if a.pk in {line.account_id for line in applied_lines}],
            ["rent_pence", "service_charge_pence"],
        )
        RentChangeLine.objects.bulk_update(applied_lines, ["applied_at"])
    arrears_review([account.pk for account in changed_accounts], at=now)
    return len(rows)
