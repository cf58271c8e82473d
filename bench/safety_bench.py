"""Time the compliance register at volume: the overdue list, BS01-BS05 for the whole stock, a
household's safety page, and the import of certificate rows. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench_safety DEBUG=true \\
        .venv/bin/python bench/safety_bench.py --homes 100000 --import-rows 2000

It first tops the database up to ``--homes`` homes of its own (UPRNs ``SB...``, in blocks of
40 flats), each with a gas check, an EICR and an alarms check, and per block a fire risk
assessment, water, asbestos and lift checks; every check has its clock (a met one and the
running one), 5% of them overdue and 1% never recorded. Rows go in through ``bulk_create``;
the clocks are written as rows, as the record service would leave them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time
from pathlib import Path

# The figures are taken as production runs: DEBUG off (no query log), sessions signed with a
# key of the bench's own, and the test client on plain HTTP.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_COOKIES_AND_TLS", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")

from _setup import count_queries, database_label, ms, setup_django, timed  # noqa: E402

UPRN_PREFIX = "SB"
FLATS_PER_BLOCK = 40
BATCH = 5000


def database_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, read from /proc (the
    database runs on this machine). None where it cannot be read."""
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
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class Stopwatch:
    """Wall time, and the CPU time of this process and of its database backend: on a shared
    machine the wall time depends on what else runs, the CPU time much less."""

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

    def per_call(self, calls: int) -> str:
        db = "" if self.db is None else f" + database {ms(self.db / calls)}"
        return f"CPU a call: script {ms(self.cpu / calls)}{db}"

    def __str__(self) -> str:
        db = "" if self.db is None else f" + database {self.db:.1f} s"
        return f"{self.wall:.1f} s (CPU: script {self.cpu:.1f} s{db})"


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _seed(homes_wanted: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from safety.models import CHECK_CLOCKS, ComplianceCheck
    from sla.calendar import add_months, end_of_local_day
    from sla.models import Commitment, Deadline
    from tenancy.models import Block, Property

    have = Property.objects.filter(uprn__startswith=UPRN_PREFIX).count()
    if have >= homes_wanted:
        return
    rng = random.Random(12)
    commitments = {c.code: c for c in Commitment.objects.all()}
    check_type_ct = ContentType.objects.get_for_model(ComplianceCheck)
    today = timezone.localdate()
    start = time.perf_counter()
    for first in range(have, homes_wanted, BATCH):
        with transaction.atomic():
            count = min(BATCH, homes_wanted - first)
            numbers = range(first // FLATS_PER_BLOCK, (first + count - 1) // FLATS_PER_BLOCK + 1)
            existing = {
                int(b.name.rsplit(" ", 1)[1]): b
                for b in Block.objects.filter(name__in=[f"Bench block {n}" for n in numbers])
            }
            blocks = Block.objects.bulk_create(
                Block(
                    name=f"Bench block {n}",
                    address="Bench Road",
                    postcode="RV9 9ZZ",
                    storeys=8,
                    height_metres=25,
                    has_lift=True,
                )
                for n in numbers
                if n not in existing
            )
            block_by_n = {**existing, **{int(b.name.rsplit(" ", 1)[1]): b for b in blocks}}
            homes = Property.objects.bulk_create(
                Property(
                    uprn=f"{UPRN_PREFIX}{n:09d}",
                    address_line_1=f"Flat {n % FLATS_PER_BLOCK + 1}, Bench block {n // FLATS_PER_BLOCK}",
                    town="Riverton",
                    postcode="RV9 9ZZ",
                    property_type="flat",
                    bedrooms=2,
                    patch="Bench",
                    block=block_by_n[n // FLATS_PER_BLOCK],
                )
                for n in range(first, first + count)
            )
            checks = []
            for home in homes:
                for check_type, appliance in (
                    ("gas", "boiler"),
                    ("electrical", ""),
                    ("alarms", ""),
                ):
                    checks.append(
                        ComplianceCheck(
                            check_type=check_type,
                            property=home,
                            appliance=appliance,
                            registered_at=timezone.now(),
                        )
                    )
            for block in blocks:
                for check_type in ("fire_risk", "water", "asbestos", "passenger_lift"):
                    checks.append(
                        ComplianceCheck(
                            check_type=check_type, block=block, registered_at=timezone.now()
                        )
                    )
            # Each check's history is drawn before it is written, so its last-done and due
            # dates go in with the row instead of a second pass of updates.
            plans = []
            for check in checks:
                roll = rng.random()
                if roll < 0.01:
                    plans.append(None)  # never recorded
                    continue
                months = commitments[CHECK_CLOCKS[check.check_type]].amount
                overdue = roll < 0.06
                last = today - dt.timedelta(
                    days=(months * 31 + rng.randint(1, 60))
                    if overdue
                    else rng.randint(0, months * 28)
                )
                check.last_done_on = last
                check.next_due_at = end_of_local_day(add_months(last, months))
                plans.append((last, overdue))
            checks = ComplianceCheck.objects.bulk_create(checks)
            deadlines = []
            for check, plan in zip(checks, plans, strict=True):
                if plan is None:
                    continue
                last, overdue = plan
                commitment = commitments[CHECK_CLOCKS[check.check_type]]
                months = commitment.amount
                previous = add_months(last, -months)
                for started, met in ((previous, last), (last, None)):
                    due = end_of_local_day(add_months(started, months))
                    deadlines.append(
                        Deadline(
                            content_type=check_type_ct,
                            object_id=check.pk,
                            commitment=commitment,
                            clock=commitment.clock,
                            amount=months,
                            started_at=end_of_local_day(started) - dt.timedelta(hours=12),
                            original_due_at=due,
                            due_at=due,
                            met_at=end_of_local_day(met) - dt.timedelta(hours=12) if met else None,
                            breached_at=due if (met is None and overdue) else None,
                        )
                    )
            Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
        print(f"safety: seeded {first + count} homes ({time.perf_counter() - start:.0f} s)")
    _vacuum()


def _vacuum() -> None:
    """After a bulk load or the rolled-back imports: the measures read the checks from their
    indexes alone, which needs the visibility map a fresh load has not got yet, and a rolled
    back import leaves 100,000 dead rows in the indexes the next run would walk through."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "safety_compliancecheck",
                "safety_checkrecord",
                "sla_deadline",
                "tenancy_property",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - fixed names


def _page_through_gunicorn(session_key: str, path: str, requests: int) -> None:
    """The safety page one request at a time through gunicorn, started as
    ``bench/repairs_bench.py`` starts it, with the CPU time gunicorn used per request."""
    import http.client
    import statistics

    from repairs_bench import HOST, CpuMeter, Gunicorn, free_port

    server = Gunicorn(workers=1, port=free_port())
    try:
        meter = CpuMeter(server.process.pid)
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
        cookie = f"sessionid={session_key}"

        def get() -> tuple[int, float]:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - start

        for _ in range(20):
            get()
        before = meter.read()[0]
        results = [get() for _ in range(requests)]
        used = meter.read()[0] - before
    finally:
        server.stop()
    times = sorted(seconds for _, seconds in results)
    statuses = sorted({status for status, _ in results})
    print(
        f"safety: the safety page (gunicorn, one worker): p50 {ms(statistics.median(times))}, "
        f"p95 {ms(times[int(len(times) * 0.95) - 1])} over {requests} requests (statuses "
        f"{statuses}); CPU a request in gunicorn {ms(used / requests)} ({load()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", type=int, default=10000)
    parser.add_argument("--import-rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--seed-only", action="store_true", help="top the database up to --homes and stop"
    )
    parser.add_argument(
        "--gunicorn",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the safety page through gunicorn (one sync worker, DEBUG off)",
    )
    args = parser.parse_args()
    setup_django()

    from django.db import transaction
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from kernel.reporting import reporting_year_containing
    from safety.models import CheckRecord, ComplianceCheck, RecordSource, outcomes_for
    from safety.selectors import building_safety_measures, overdue_checks, safety_for_household
    from safety.services import records_import
    from sla.models import Deadline
    from tenancy.models import Customer, Property, Tenancy

    _seed(args.homes)
    if args.seed_only:
        return
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG:
        # The pages link their static files through the manifest, as in production.
        call_command("collectstatic", interactive=False, verbosity=0)
    checks = ComplianceCheck.objects.count()
    clocks = Deadline.objects.filter(content_type__model="compliancecheck").count()
    homes = Property.objects.count()
    print(
        f"safety: database {database_label()} holds {homes} homes, {checks} checks, "
        f"{clocks} check clocks ({load()})"
    )

    def timed_with_cpu(function, repeat: int):
        median, worst, result = timed(function, repeat=repeat)
        with Stopwatch() as cpu:
            for _ in range(repeat):
                function()
        return median, worst, result, cpu.per_call(repeat)

    now = timezone.now()
    median, worst, rows, cpu = timed_with_cpu(lambda: overdue_checks(now=now), args.repeat)
    print(
        f"safety: overdue list (first 200 of all types): median {ms(median)}, worst {ms(worst)}, "
        f"{count_queries(lambda: overdue_checks(now=now))} queries; {cpu} ({load()})"
    )
    year = reporting_year_containing(timezone.localdate())

    def measures():
        return building_safety_measures(year=year, at=now)

    median, worst, figures, cpu = timed_with_cpu(measures, max(3, args.repeat // 2))
    listed = ", ".join(f"{m.code} {m.percent}%" for m in figures)
    print(
        f"safety: BS01-BS05 for the whole stock: median {ms(median)}, worst {ms(worst)}, "
        f"{count_queries(measures)} queries ({listed}); {cpu} ({load()})"
    )

    # A household's safety page, through the test client.
    home = Property.objects.filter(uprn__startswith=UPRN_PREFIX).order_by("pk").first()
    with transaction.atomic():
        tenancy, _ = Tenancy.objects.get_or_create(
            reference="SB-BENCH-1",
            defaults={
                "property": home,
                "tenancy_type": "assured",
                "start_date": dt.date(2020, 1, 1),
            },
        )
        user, _ = User.objects.get_or_create(email="safety-bench@example.org")
        Customer.objects.get_or_create(
            user=user,
            defaults={
                "tenancy": tenancy,
                "first_name": "Bench",
                "last_name": "Tenant",
                "date_of_birth": dt.date(1980, 1, 1),
            },
        )
        # The seed writes clocks only: the household's checks get the records a page shows
        # (two each, the certificate's name included), as the record service keeps them.
        household_checks = ComplianceCheck.objects.filter(
            Q(property=home) | Q(block_id=home.block_id), last_done_on__isnull=False
        )
        if not CheckRecord.objects.filter(compliance_check__in=household_checks).exists():
            CheckRecord.objects.bulk_create(
                CheckRecord(
                    compliance_check=check,
                    done_on=done_on,
                    outcome=outcomes_for(check.check_type)[0],
                    certificate=f"safety/bench/{check.pk}-{n}.pdf",
                    certificate_name="certificate.pdf",
                    source=RecordSource.IMPORT,
                    recorded_at=timezone.now(),
                )
                for check in household_checks
                for n, done_on in enumerate(
                    (check.last_done_on - dt.timedelta(days=365), check.last_done_on)
                )
            )
    customer = Customer.objects.select_related("tenancy__property").get(user=user)
    median, worst, _, cpu = timed_with_cpu(lambda: safety_for_household(customer), args.repeat * 3)
    print(
        f"safety: a household's checks (selector): median {ms(median)}, worst {ms(worst)}, "
        f"{count_queries(lambda: safety_for_household(customer))} queries; {cpu} ({load()})"
    )
    setup_test_environment()
    client = Client()
    client.force_login(user)
    url = reverse("safety:your_safety")
    median, worst, response, cpu = timed_with_cpu(lambda: client.get(url), args.repeat * 3)
    print(
        f"safety: the safety page (test client): p50 {ms(median)}, worst {ms(worst)}, "
        f"{count_queries(lambda: client.get(url))} queries, status {response.status_code}; "
        f"{cpu} ({load()})"
    )

    if args.gunicorn:
        _page_through_gunicorn(client.cookies["sessionid"].value, url, args.repeat * 10)

    # The import, rolled back after each run so the figures can be taken again on the same
    # data: one row per home, of a check the seed registers only per block (water: every row
    # registers a new check of the home) and of one it registers per home (alarms: every row
    # meets a running clock and starts the next).
    uprns = list(
        Property.objects.filter(uprn__startswith=UPRN_PREFIX)
        .order_by("-pk")
        .values_list("uprn", flat=True)[: args.import_rows]
    )
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()

    class RolledBack(Exception):
        pass

    for check_type, what in (("water", "new checks"), ("alarms", "existing checks")):
        text = "uprn,block,check_type,appliance,done_on,outcome\n" + "".join(
            f"{uprn},,{check_type},,{day},satisfactory\n" for uprn in uprns
        )
        with Stopwatch() as dry_time:
            dry = records_import(text=text, actor=None, dry_run=True)
        try:
            with transaction.atomic():
                with Stopwatch() as real_time:
                    result = records_import(text=text, actor=None, dry_run=False)
                raise RolledBack
        except RolledBack:
            pass
        print(
            f"safety: import of {len(uprns)} {check_type} rows on {what}: dry run {dry_time} "
            f"({dry.accepted} accepted); import {real_time} ({result.accepted} accepted, "
            f"{result.accepted / real_time.wall:.0f} rows/s; {load()})"
        )

    _vacuum()


if __name__ == "__main__":
    main()
