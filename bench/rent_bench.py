"""Rent: a tenant's rent page, the arrears queue, a weekly charges run and a payments import.

Needs the homes of ``seed_bulk`` (``manage.py seed_bulk --homes N``). The first run gives every
bulk tenancy without one a weekly rent account and ``--weeks`` of paid history (a charge and a
payment a week, written with COPY on PostgreSQL), puts ``--arrears`` of the accounts into
arrears (their cases and contact clocks opened by the real service), and leaves each account
charged to last Sunday. Then it times:

- a tenant's rent page (``/rent/``) through Django's test client signed in as a tenant whose
  account has the full history (median of ``--repeat`` after 2 warm-up calls, with its query
  count);
- the arrears queue (``/rent/staff/arrears/``) as an income officer;
- the charges run for this week (every account), then the same run again (which finds nothing);
- importing a payments file of one payment per account (``--payments`` rows), then the same
  file again (which posts nothing).

Each run and import is given with its wall time and the CPU time it used, in the script and in
its PostgreSQL backend: on a machine shared with other work, the wall time includes waiting
for a core, the CPU time does not.

The charges and payments it times are rolled back afterwards, so the script can be run again
on the same database and times the same work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import count_queries, database_label, ms, setup_django, timed  # noqa: E402


class Rollback(Exception):
    pass


def database_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, read from /proc (the
    database runs on this machine): with the script's own CPU time, what a run costs apart
    from waiting for a core on a loaded machine. None where it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


class Stopwatch:
    """Wall time, and the CPU time of this process and of its database backend."""

    def __enter__(self):
        self.wall, self.cpu, self.db = (
            time.perf_counter(),
            time.process_time(),
            database_cpu_seconds(),
        )
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        db = database_cpu_seconds()
        self.db = None if db is None or self.db is None else db - self.db

    def __str__(self) -> str:
        db = "" if self.db is None else f" + database {self.db:.1f} s"
        return f"{self.wall:.1f} s (CPU: script {self.cpu:.1f} s{db})"


def seed(weeks: int, arrears_share: float) -> None:
    from django.db import transaction
    from django.utils import timezone

    from portal.management.commands.seed_bulk import (
        BulkWriter,
        advance_sequence,
        foreign_key_triggers_skipped,
        next_ids,
        vacuum_analyse,
    )
    from rent.models import EntryKind, LedgerEntry, PaymentMethod, RentAccount, week_start
    from rent.services import arrears_review
    from tenancy.models import Tenancy

    started = time.monotonic()
    today = timezone.localdate()
    this_monday = week_start(today)
    first_monday = this_monday - dt.timedelta(weeks=weeks)
    with transaction.atomic(), foreign_key_triggers_skipped():
        tenancies = list(
            Tenancy.objects.filter(rent_account__isnull=True, reference__startswith="BLK-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not tenancies:
            return
        first_account, first_entry = next_ids(RentAccount), next_ids(LedgerEntry)
        accounts, entries = BulkWriter(RentAccount), BulkWriter(LedgerEntry)
        now = timezone.now()
        entry_id = first_entry
        for offset, tenancy_id in enumerate(tenancies):
            account_id = first_account + offset
            rent = 9000 + (offset % 40) * 100
            balance = 0
            for week in range(weeks):
                monday = first_monday + dt.timedelta(weeks=week)
                balance += rent
                entries.add(
                    {
                        "id": entry_id,
                        "account_id": account_id,
                        "kind": EntryKind.RENT,
                        "amount_pence": rent,
                        "balance_after_pence": balance,
                        "on": monday,
                        "period_start": monday,
                        "period_end": monday + dt.timedelta(days=6),
                        "method": "",
                        "transaction_id": "",
                        "description": "",
                        "created_at": now,
                        "created_by_id": None,
                    }
                )
                balance -= rent
                entries.add(
                    {
                        "id": entry_id + 1,
                        "account_id": account_id,
                        "kind": EntryKind.PAYMENT,
                        "amount_pence": -rent,
                        "balance_after_pence": balance,
                        "on": monday + dt.timedelta(days=3),
                        "period_start": None,
                        "period_end": None,
                        "method": PaymentMethod.DIRECT_DEBIT,
                        "transaction_id": f"H{account_id}-{week}",
                        "description": "",
                        "created_at": now,
                        "created_by_id": None,
                    }
                )
                entry_id += 2
            owing = 0
            if arrears_share and offset % round(1 / arrears_share) == 0:
                # Three weeks unpaid, as one late-posted adjustment on the last history day.
                owing = rent * 3
                entries.add(
                    {
                        "id": entry_id,
                        "account_id": account_id,
                        "kind": EntryKind.ADJUSTMENT,
                        "amount_pence": owing,
                        "balance_after_pence": owing,
                        "on": this_monday - dt.timedelta(days=1),
                        "period_start": None,
                        "period_end": None,
                        "method": "",
                        "transaction_id": "",
                        "description": "Payments returned unpaid",
                        "created_at": now,
                        "created_by_id": None,
                    }
                )
                entry_id += 1
            accounts.add(
                {
                    "id": account_id,
                    "tenancy_id": tenancy_id,
                    "frequency": "weekly",
                    "rent_pence": rent,
                    "service_charge_pence": 0,
                    "other_charges_pence": 0,
                    "charged_to": this_monday - dt.timedelta(days=1),
                    "balance_pence": owing,
                    "household_may_see": False,
                }
            )
        accounts.close()
        entries.close()
        advance_sequence(RentAccount, first_account + len(tenancies) - 1)
        advance_sequence(LedgerEntry, entry_id - 1)
        print(
            f"rent: seeded {len(tenancies)} accounts and {entries.written} ledger rows "
            f"in {time.monotonic() - started:.1f} s"
        )
    started = time.monotonic()
    behind = list(RentAccount.objects.filter(balance_pence__gt=0).values_list("pk", flat=True))
    for start in range(0, len(behind), 500):
        with transaction.atomic():
            arrears_review(behind[start : start + 500])
    print(f"rent: opened {len(behind)} arrears cases in {time.monotonic() - started:.1f} s")
    from casework.models import CaseEvent
    from rent.models import ArrearsCase
    from sla.models import Deadline

    vacuum_analyse([RentAccount, LedgerEntry, ArrearsCase, Deadline, CaseEvent])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=156, help="Weeks of history to seed.")
    parser.add_argument("--arrears", type=float, default=0.03, help="Share put into arrears.")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--pages-only", action="store_true", help="Time the pages only, not the runs."
    )
    args = parser.parse_args()
    setup_django()

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.db.models import Max
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from kernel.roles import Role
    from rent.models import LedgerEntry, RentAccount, week_start
    from rent.services import charges_post_due, payments_import
    from tenancy.models import Customer

    print(f"rent: on {database_label()}")
    seed(args.weeks, args.arrears)
    accounts = RentAccount.objects.count()
    rows = LedgerEntry.objects.count()
    print(f"rent: {accounts} accounts, {rows} ledger rows")

    setup_test_environment()
    tenant = (
        Customer.objects.filter(
            tenancy__rent_account__isnull=False, tenancy__reference__startswith="BLK-"
        )
        .order_by("pk")
        .first()
    )
    assert tenant is not None
    if tenant.user_id is None:
        tenant.user = User.objects.create(email=f"bench-tenant-{tenant.pk}@bench.example")
        tenant.save(update_fields=["user"])
    customer_client = Client()
    customer_client.force_login(tenant.user)
    officer, _ = User.objects.get_or_create(
        email="bench-income@bench.example", defaults={"is_staff": True}
    )
    officer.groups.add(Group.objects.get(name=Role.INCOME.label))
    Authenticator.objects.get_or_create(
        user=officer,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
    )
    staff_client = Client()
    staff_client.force_login(officer)

    for label, client, url in (
        ("tenant's rent page /rent/", customer_client, reverse("rent:account")),
        ("arrears queue /rent/staff/arrears/", staff_client, reverse("rent:staff_arrears_queue")),
    ):

        def get(client=client, url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        median, worst, _ = timed(get, repeat=args.repeat)
        with Stopwatch() as cpu:
            for _ in range(args.repeat):
                get()
        db = "" if cpu.db is None else f" + database {ms(cpu.db / args.repeat)}"
        print(
            f"rent: {label}: median {ms(median)} (worst {ms(worst)}), {count_queries(get)} "
            f"queries; CPU a call (mean of {args.repeat}): script {ms(cpu.cpu / args.repeat)}{db}"
        )

    # The seed charged the accounts to the Sunday before the week it ran in: the run on the
    # Monday after charges one week, whenever the benchmark is run again.
    charged_to = RentAccount.objects.aggregate(latest=Max("charged_to"))["latest"]
    run_day = charged_to + dt.timedelta(days=1) if charged_to else week_start(timezone.localdate())
    if args.pages_only:
        return
    references = list(
        RentAccount.objects.order_by("pk").values_list("tenancy__reference", "rent_pence")
    )
    lines = ["date,reference,amount,transaction_id,method"]
    for n, (reference, rent) in enumerate(references):
        lines.append(f"{run_day.isoformat()},{reference},{rent / 100:.2f},BENCH-{n},direct_debit")
    content = "\n".join(lines).encode()
    try:
        with transaction.atomic():
            with Stopwatch() as first:
                written = charges_post_due(today=run_day)
            with Stopwatch() as second:
                again = charges_post_due(today=run_day)
            print(
                f"rent: weekly charges run for {accounts} accounts: {first} "
                f"({written} rows); run again: {second} ({again} rows)"
            )
            with Stopwatch() as first:
                result = payments_import(filename="bench.csv", content=content, actor=None)
            with Stopwatch() as second:
                repeat = payments_import(filename="bench.csv", content=content, actor=None)
            print(
                f"rent: importing {len(references)} payment rows: {first} "
                f"({result.posted} posted); the same file again: {second} "
                f"({repeat.already_posted} already posted)"
            )
            raise Rollback
    except Rollback:
        print("rent: the timed charges and payments were rolled back")


if __name__ == "__main__":
    main()
