"""Load a realistic volume of synthetic homes, households, enquiries and deadlines for the
benchmarks in ``bench/`` (never for the demo, never in production).

    python manage.py seed_bulk --homes 100000 --cases 1000000

creates 100,000 homes, each with a tenancy and a lead tenant, and 1,000,000 enquiries opened
over the last 18 months with two deadlines each (acknowledge in 3 working days, respond in 10),
due dates from the real working-day calendar. Most deadlines were met on time; some late, some
breached and still open, the newest still running, and 1% of the running ones already past due
and not yet swept, so the sweep has work.

On PostgreSQL the rows are streamed with COPY (explicit ids, sequences moved on afterwards), then
the tables are vacuumed and analysed; elsewhere they go in with large ``bulk_create`` batches.
References are ``BLK-<id>``: the real reference counters (ENQ, REP, ...) are never touched. Runs
again add more rows; it assumes no one else writes to these tables while it loads.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import time
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from casework.models import Team
from enquiries.models import Enquiry, EnquiryStatus
from kernel.roles import Role
from sla import calendar
from sla.models import ClockType, Commitment, Deadline
from tenancy.models import (
    STOCK_CLASS_FOR_TENURE,
    Customer,
    HouseholdRole,
    Ownership,
    Property,
    PropertyType,
    Tenancy,
    TenancyType,
    Tenure,
)

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

DEADLINE_COMMITMENTS = ("enquiry.acknowledge", "enquiry.respond", "enquiry.contact_back")
HISTORY_DAYS = 548  # about 18 months
ON_TIME_SHARE = 0.90  # of deadlines already due; the rest were breached by the sweep
MET_EARLY_SHARE = 0.40  # of deadlines not yet due
# A recent breach is often still being worked on; an old one was nearly always met late.
STILL_OPEN_IF_RECENT, STILL_OPEN_IF_OLD, RECENT_DAYS = 0.5, 0.05, 60
PAST_DUE_SHARE_OF_OPEN = 0.01
BATCH_ROWS = 100_000
STAFF_DOMAIN = "bench.example"
OFFICERS = 20

SUBJECTS = [
    ("general", "Question about my home"),
    ("rent", "Question about my rent statement"),
    ("rent", "Change of direct debit date"),
    ("tenancy", "Adding someone to my tenancy"),
    ("neighbourhood", "Overgrown communal garden"),
    ("moving", "Mutual exchange enquiry"),
    ("other", "Parking permit for a visitor"),
]
CHANNELS = ["portal"] * 5 + ["email"] * 3 + ["phone"] * 3 + ["letter"]
FIRST_NAMES = [
    "Amina",
    "Ben",
    "Chloe",
    "Dev",
    "Ewa",
    "Farid",
    "Grace",
    "Hamza",
    "Isla",
    "Jon",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olu",
    "Priya",
    "Rhys",
    "Sara",
    "Tomasz",
    "Una",
]
LAST_NAMES = ["Khan", "Okafor", "Smith", "Patel", "Nowak", "Rahman", "Jones", "Ali", "Evans"]
STREETS = ["Mill Lane", "Orchard Way", "Quay Street", "Station Road", "Church Walk", "Alder Rise"]
PATCHES = ["North", "South", "East", "West", "Central"]


# --- writing rows fast ---------------------------------------------------------------------


def _copy_str(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


# Each value in PostgreSQL's COPY text format, by its exact type (a dict lookup per value is
# much cheaper than a chain of isinstance checks, at tens of millions of values).
_COPY_TEXT: dict[type, Callable] = {
    type(None): lambda value: r"\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    float: repr,
    Decimal: str,
    uuid.UUID: str,
    str: _copy_str,
    dt.datetime: dt.datetime.isoformat,
    dt.date: dt.date.isoformat,
}


def _copy_text(value) -> str:
    try:
        return _COPY_TEXT[type(value)](value)
    except KeyError:
        for kind, convert in list(_COPY_TEXT.items()):  # a choices enum: a str subclass
            if isinstance(value, kind):
                _COPY_TEXT[type(value)] = convert
                return convert(value)
        raise TypeError(f"No COPY text for {type(value).__name__}") from None


class CopyPipe:
    """Runs COPY statements one at a time on a worker thread, on the command's own connection
    and transaction, so Python builds the next batch while PostgreSQL loads the last one (the
    driver lets go of the GIL while it waits on the server): both cores busy, not one."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy")
        self.pending: Future | None = None

    def submit(self, sql: str, buffer: io.StringIO) -> None:
        self.wait()
        self.pending = self.executor.submit(self._copy, sql, buffer)

    def _copy(self, sql: str, buffer: io.StringIO) -> None:
        with self.raw.cursor() as cursor:
            cursor.copy_expert(sql, buffer)

    def wait(self) -> None:
        """Until the last COPY has finished (and raise its error, if any)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()


_pipes: dict[int, CopyPipe] = {}


def copy_pipe() -> CopyPipe | None:
    """The COPY pipe of the current database connection (None when not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    key = id(connection.connection)
    if key not in _pipes:
        _pipes.clear()  # a pipe of a closed connection is of no further use
        _pipes[key] = CopyPipe()
    return _pipes[key]


class BulkWriter:
    """Buffers rows of one model and writes them in batches: COPY on PostgreSQL (through the
    connection's ``CopyPipe``), bulk_create elsewhere. Rows are dicts by attribute name (``customer_id``);
    every other concrete field gets its model default. Ids are given by the caller. Call
    ``close()`` before the next query of your own."""

    def __init__(self, model: type[models.Model], batch_rows: int = BATCH_ROWS):
        self.model = model
        self.batch_rows = batch_rows
        self.fields = list(model._meta.concrete_fields)
        # One pipe per connection: two COPYs at once on one connection would deadlock.
        self.pipe = copy_pipe()
        self.rows: list[dict] = []
        self.written = 0
        self._defaults = {
            f.attname: f.get_default()
            for f in self.fields
            if not callable(getattr(f, "default", None))
        }

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.pipe is not None:
            self._copy()
        else:
            self.model._default_manager.bulk_create(
                [self.model(**row) for row in self.rows], batch_size=5000
            )
        self.written += len(self.rows)
        self.rows = []

    def close(self) -> None:
        """Write what is buffered and wait until the database has it."""
        self.flush()
        if self.pipe is not None:
            self.pipe.wait()

    def _copy(self) -> None:
        buffer = io.StringIO()
        write = buffer.write
        names = [f.attname for f in self.fields]
        defaults = self._defaults
        fields = {f.attname: f for f in self.fields}
        for row in self.rows:
            values = []
            for name in names:
                if name in row:
                    values.append(row[name])
                elif name in defaults:
                    values.append(defaults[name])
                else:
                    values.append(fields[name].get_default())
            write("\t".join(map(_copy_text, values)))
            write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        assert self.pipe is not None
        self.pipe.submit(f"COPY {table} ({columns}) FROM STDIN", buffer)


def next_ids(model: type[models.Model]) -> int:
    """The first id never used in ``model``'s table: past its largest row and past its
    sequence, so ids of deleted rows are not handed out again (a benchmark that deletes what it
    added must not meet its old rows' notifications again). Ids are written explicitly, then
    ``advance_sequence`` moves the sequence past them."""
    largest = model._default_manager.aggregate(largest=models.Max("pk"))["largest"] or 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            # Held to the end of the load: nobody else inserts while we choose ids.
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, %s)), 0)",
                [model._meta.db_table, model._meta.pk.column],
            )
            largest = max(largest, cursor.fetchone()[0])
    return largest + 1


def advance_sequence(model: type[models.Model], last_id: int) -> None:
    """Move ``model``'s id sequence to ``last_id`` (never back), after explicit ids."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id written
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "
            "COALESCE(pg_sequence_last_value(pg_get_serial_sequence(%s, %s)), 1)))",
            [
                model._meta.db_table,
                model._meta.pk.column,
                last_id,
                model._meta.db_table,
                model._meta.pk.column,
            ],
        )


@contextmanager
def foreign_key_triggers_skipped() -> Iterator[bool]:
    """Inside a transaction on PostgreSQL: skip the foreign key triggers while the block runs.

    PostgreSQL checks each foreign key of each row by a trigger, which Django makes deferred
    to the commit: most of the load time at this volume. Every id the loaders write is one
    just created or read, so when allowed (a superuser, as on a benchmark database) the block
    runs with ``session_replication_role = replica``. Yields whether the triggers are skipped.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield False
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        yield False
        return
    try:
        yield True
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def vacuum_analyse(model_list: Iterable[type[models.Model]]) -> None:
    """PostgreSQL: fresh statistics for the planner, and a visibility map so index-only scans
    work at once (as they would after autovacuum on a live system)."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run in a transaction (a caller's atomic block, a test): ANALYZE can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def due_at_function() -> Callable[[str, int, dt.datetime], dt.datetime]:
    """``sla.calendar.due_at``, remembered per local start date for day-based clocks (their
    due time depends only on that date), so a million clocks cost a few thousand calls."""
    memo: dict[tuple[str, int, dt.date], dt.datetime] = {}
    exact = {ClockType.HOURS.value, ClockType.MINUTES.value}

    def due(clock: str, amount: int, started_at: dt.datetime) -> dt.datetime:
        if clock in exact:
            return calendar.due_at(clock, amount, started_at)
        day = started_at.astimezone(LONDON).date()
        key = (clock, amount, day)
        if key not in memo:
            memo[key] = calendar.due_at(clock, amount, started_at)
        return memo[key]

    return due


# --- the command ---------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Load bulk synthetic homes, customers, enquiries and deadlines for the benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--homes",
            type=int,
            required=True,
            help="Homes to create, each with a tenancy and a lead tenant.",
        )
        parser.add_argument("--cases", type=int, default=0, help="Enquiries to create.")
        parser.add_argument(
            "--deadlines-per-case",
            type=int,
            default=2,
            choices=range(1, len(DEADLINE_COMMITMENTS) + 1),
            help="1: acknowledge; 2 (default): and respond; 3: and contact back.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")

    def handle(self, *args, homes: int, cases: int, deadlines_per_case: int, seed: int, **options):
        if homes < 1 or cases < 0:
            raise CommandError("--homes must be at least 1 and --cases at least 0.")
        codes = DEADLINE_COMMITMENTS[:deadlines_per_case]
        commitments = {c.code: c for c in Commitment.objects.filter(code__in=codes)}
        missing = sorted(set(codes) - set(commitments))
        if missing:
            raise CommandError(f"Commitments {missing} are missing: run migrate first.")
        started = time.monotonic()
        with transaction.atomic():
            seeder = BulkSeeder(
                rng=random.Random(seed),
                now=timezone.now(),
                commitments=[commitments[code] for code in codes],
                log=self._log,
            )
            with foreign_key_triggers_skipped() as skipped:
                self._log(
                    "foreign key triggers skipped for this load (ids are generated)"
                    if skipped
                    else "foreign keys checked row by row (not a superuser)"
                )
                seeder.seed_homes(homes)
                totals = seeder.seed_cases(cases)
        self._log("committed")
        vacuum_analyse([Property, Tenancy, Customer, Enquiry, Deadline])
        self._log("vacuumed and analysed")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bulk: {homes} homes, {cases} cases, {totals['deadlines']} deadlines "
                f"({totals['open']} open, {totals['past_due']} of them past due and not yet swept, "
                f"{totals['breached_open']} breached and still open) in {elapsed:.1f} s"
            )
        )

    def _log(self, message: str) -> None:
        self.stdout.write(f"  {time.strftime('%H:%M:%S')} {message}")


class BulkSeeder:
    def __init__(
        self,
        *,
        rng: random.Random,
        now: dt.datetime,
        commitments: list[Commitment],
        log: Callable[[str], None],
    ):
        self.rng = rng
        self.now = now
        self.commitments = commitments
        self.log = log
        self.home_ids: tuple[int, int, int, int] | None = (
            None  # first property, tenancy, customer ids and count
        )

    # Homes ----------------------------------------------------------------------------------

    def seed_homes(self, count: int) -> None:
        rng = self.rng
        first_property, first_tenancy, first_customer = (
            next_ids(Property),
            next_ids(Tenancy),
            next_ids(Customer),
        )
        properties, tenancies, customers = (
            BulkWriter(Property),
            BulkWriter(Tenancy),
            BulkWriter(Customer),
        )
        for n in range(count):
            property_id, tenancy_id, customer_id = (
                first_property + n,
                first_tenancy + n,
                first_customer + n,
            )
            flat = n % 3 == 0
            tenure = Tenure.GENERAL_NEEDS if n % 10 else Tenure.SHARED_OWNERSHIP
            properties.add(
                {
                    "id": property_id,
                    "uprn": f"9{property_id:011d}",
                    "address_line_1": f"{n % 200 + 1} {STREETS[n % len(STREETS)]}",
                    "address_line_2": f"Flat {n % 12 + 1}" if flat else "",
                    "town": "Riverton",
                    "postcode": f"RV{n % 9 + 1} {n % 9 + 1}{'ABDEFGHJLNPQRSTUWXYZ'[n % 20]}B",
                    "property_type": PropertyType.FLAT if flat else PropertyType.HOUSE,
                    "bedrooms": 1 + n % 4,
                    "patch": PATCHES[n % len(PATCHES)],
                    "tenure": tenure,
                    "stock_class": STOCK_CLASS_FOR_TENURE[tenure],
                    # A few homes managed for another owner, and some bought or built in the
                    # last five years: the TSMs' year-end count is not every row. Spread by
                    # ``n``, not drawn from ``rng``, so the rest of the data stays as it was.
                    "ownership": Ownership.MANAGED if n % 50 == 7 else Ownership.OWNED,
                    "joined_stock_on": (
                        self.now.date() - dt.timedelta(days=n * 37 % 1826 + 1)
                        if n % 20 == 3
                        else None
                    ),
                }
            )
            tenancies.add(
                {
                    "id": tenancy_id,
                    "reference": f"BLK-T{tenancy_id:09d}",
                    "property_id": property_id,
                    "tenancy_type": TenancyType.ASSURED,
                    "start_date": dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000)),
                }
            )
            customers.add(
                {
                    "id": customer_id,
                    "tenancy_id": tenancy_id,
                    "household_role": HouseholdRole.LEAD_TENANT,
                    "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                    "last_name": LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)],
                    "date_of_birth": dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(22000)),
                    "email": f"bulk{customer_id}@{STAFF_DOMAIN}",
                    "mobile": f"07700 9{customer_id % 100000:05d}",
                }
            )
        for writer in (properties, tenancies, customers):
            writer.close()
        for model, first in (
            (Property, first_property),
            (Tenancy, first_tenancy),
            (Customer, first_customer),
        ):
            advance_sequence(model, first + count - 1)
        self.home_ids = (first_property, first_tenancy, first_customer, count)
        self.log(f"{count} homes, tenancies and customers")

    # Cases and deadlines --------------------------------------------------------------------

    def _staff(self) -> tuple[Team, list[int]]:
        """A team with a lead and officers, so every breach has two people to tell."""
        users = get_user_model().objects
        lead, _ = users.get_or_create(
            email=f"bulk-lead@{STAFF_DOMAIN}",
            defaults={"is_staff": True, "first_name": "Bulk", "last_name": "Lead"},
        )
        officers = [
            users.get_or_create(
                email=f"bulk-officer-{n}@{STAFF_DOMAIN}",
                defaults={"is_staff": True, "first_name": "Bulk", "last_name": f"Officer {n}"},
            )[0]
            for n in range(OFFICERS)
        ]
        team, _ = Team.objects.get_or_create(
            name="Customer services (bulk)", defaults={"role": Role.CUSTOMER_SERVICES, "lead": lead}
        )
        return team, [o.pk for o in officers]

    def _opened_times(self, count: int) -> array:
        """Epoch seconds over the last 18 months, sorted: mostly weekday office hours."""
        rng = self.rng
        end = self.now.timestamp()
        start = end - HISTORY_DAYS * 86400
        times = array("d")
        while len(times) < count:
            moment = rng.uniform(start, end)
            local = dt.datetime.fromtimestamp(moment, LONDON)
            weight = (
                1.0
                if local.weekday() < 5 and 8 <= local.hour < 18
                else (0.3 if local.weekday() < 5 else 0.15)
            )
            if rng.random() < weight:
                times.append(float(int(moment)))
        return array("d", sorted(times))

    def seed_cases(self, count: int) -> dict:
        totals = {"deadlines": 0, "open": 0, "past_due": 0, "breached_open": 0}
        if count == 0:
            return totals
        assert self.home_ids is not None
        rng, now = self.rng, self.now
        now_ts = now.timestamp()
        per_case = len(self.commitments)
        due = due_at_function()
        team, officers = self._staff()
        opened = self._opened_times(count)
        self.log(f"{count} opening times drawn")

        # Plan every deadline first (epoch seconds; NaN = empty), so that exactly 1% of the
        # running ones can be left past due before anything is written.
        total = count * per_case
        nan = math.nan
        due_ts, met_ts, breached_ts = (
            array("d", [nan]) * total,
            array("d", [nan]) * total,
            array("d", [nan]) * total,
        )
        open_future = 0
        for case_index in range(count):
            started_at = dt.datetime.fromtimestamp(opened[case_index], UTC)
            for k, commitment in enumerate(self.commitments):
                j = case_index * per_case + k
                due_time = due(commitment.clock, commitment.amount, started_at).timestamp()
                due_ts[j] = due_time
                start_time = opened[case_index]
                if due_time > now_ts:
                    if rng.random() < MET_EARLY_SHARE:
                        met_ts[j] = int(start_time + rng.uniform(0.1, 1.0) * (now_ts - start_time))
                    else:
                        open_future += 1
                elif rng.random() < ON_TIME_SHARE:
                    met_ts[j] = int(start_time + rng.uniform(0.05, 0.98) * (due_time - start_time))
                else:
                    breached_ts[j] = due_time + rng.randint(20, 90)
                    recent = now_ts - due_time < RECENT_DAYS * 86400
                    still_open = rng.random() < (
                        STILL_OPEN_IF_RECENT if recent else STILL_OPEN_IF_OLD
                    )
                    met_late = breached_ts[j] + rng.uniform(3600, 20 * 86400)
                    if not still_open and met_late < now_ts - 60:
                        met_ts[j] = int(met_late)
        past_due = self._leave_past_due(due_ts, met_ts, breached_ts, open_future, now_ts)
        self.log(f"{total} deadlines planned")

        first_case = next_ids(Enquiry)
        first_deadline = next_ids(Deadline)
        content_type_id = ContentType.objects.get_for_model(Enquiry).pk
        first_property, first_tenancy, first_customer, homes = self.home_ids
        enquiries, deadlines = BulkWriter(Enquiry), BulkWriter(Deadline)
        for case_index in range(count):
            case_id = first_case + case_index
            home = rng.randrange(homes)
            opened_at = dt.datetime.fromtimestamp(opened[case_index], UTC)
            topic, subject = SUBJECTS[case_index % len(SUBJECTS)]
            unmet_due = []
            met_times = {}
            for k, commitment in enumerate(self.commitments):
                j = case_index * per_case + k
                due_at = dt.datetime.fromtimestamp(due_ts[j], UTC)
                met_at = _when(met_ts[j])
                breached_at = _when(breached_ts[j])
                warn_at = due_at - commitment.warn_before if commitment.warn_before else None
                warned_at = None
                if (
                    warn_at is not None
                    and warn_at.timestamp() <= now_ts
                    and (met_at is None or met_at > warn_at)
                ):
                    warned_at = warn_at + dt.timedelta(seconds=30)
                if met_at is None:
                    unmet_due.append(due_at)
                    totals["open"] += 1
                    if breached_at is not None:
                        totals["breached_open"] += 1
                else:
                    met_times[commitment.code] = met_at
                deadlines.add(
                    {
                        "id": first_deadline + j,
                        "content_type_id": content_type_id,
                        "object_id": case_id,
                        "commitment_id": commitment.pk,
                        "clock": commitment.clock,
                        "amount": commitment.amount,
                        "started_at": opened_at,
                        "original_due_at": due_at,
                        "due_at": due_at,
                        "warn_at": warn_at,
                        "warned_at": warned_at,
                        "met_at": met_at,
                        "breached_at": breached_at,
                        "paused_seconds": 0,
                    }
                )
            closed_at = None
            if not unmet_due:
                status = EnquiryStatus.ANSWERED
                closed_at = max(met_times.values()) + dt.timedelta(minutes=5)
                if closed_at > now:
                    closed_at = None
            elif "enquiry.acknowledge" in met_times:
                status = EnquiryStatus.ACKNOWLEDGED
            else:
                status = EnquiryStatus.RECEIVED
            enquiries.add(
                {
                    "id": case_id,
                    "reference": f"BLK-{case_id}",
                    "customer_id": first_customer + home,
                    "tenancy_id": first_tenancy + home,
                    "property_id": first_property + home,
                    "received_by": CHANNELS[case_index % len(CHANNELS)],
                    "status": status,
                    "team_id": team.pk,
                    "assignee_id": officers[case_index % len(officers)] if case_index % 5 else None,
                    "opened_at": opened_at,
                    "closed_at": closed_at,
                    "next_due_at": min(unmet_due) if unmet_due else None,
                    "topic": topic,
                    "subject": subject,
                    "details": "Synthetic enquiry for the benchmarks.",
                    "acknowledged_at": met_times.get("enquiry.acknowledge"),
                    "answered_at": met_times.get("enquiry.respond"),
                    "contacted_back_at": met_times.get("enquiry.contact_back"),
                }
            )
            if case_index and case_index % 200_000 == 0:
                self.log(f"{case_index} cases written")
        enquiries.close()
        deadlines.close()
        advance_sequence(Enquiry, first_case + count - 1)
        advance_sequence(Deadline, first_deadline + total - 1)
        totals["deadlines"] = deadlines.written
        totals["past_due"] = past_due
        self.log(f"{enquiries.written} cases and {deadlines.written} deadlines written")
        return totals

    def _leave_past_due(
        self, due_ts: array, met_ts: array, breached_ts: array, open_future: int, now_ts: float
    ) -> int:
        """Turn the most recently passed deadlines back into running ones, unmet and not yet
        swept, so they are 1% of all running deadlines (at least one when any is running)."""
        wanted = round(open_future * PAST_DUE_SHARE_OF_OPEN / (1 - PAST_DUE_SHARE_OF_OPEN))
        if open_future and not wanted:
            wanted = 1
        passed = [j for j in range(len(due_ts)) if now_ts - 3 * 86400 <= due_ts[j] <= now_ts - 60]
        if len(passed) < wanted:
            passed = sorted(
                (j for j in range(len(due_ts)) if due_ts[j] <= now_ts - 60),
                key=lambda j: -due_ts[j],
            )[:wanted]
        chosen = self.rng.sample(passed, min(wanted, len(passed)))
        for j in chosen:
            met_ts[j] = math.nan
            breached_ts[j] = math.nan
        return len(chosen)


def _when(epoch: float) -> dt.datetime | None:
    return None if math.isnan(epoch) else dt.datetime.fromtimestamp(epoch, UTC)
