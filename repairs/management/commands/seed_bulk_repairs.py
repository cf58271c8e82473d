"""Load a realistic volume of synthetic repairs for the benchmarks (never the demo, never
production), on the homes ``seed_bulk`` created.

    python manage.py seed_bulk --homes 100000
    python manage.py seed_bulk_repairs --repairs 1000000

creates, in the homes let at general needs rent, 1,000,000 repairs reported over the last 18
months from the catalogue, each with its repair clock (a ``sla.Deadline`` due at the real
working-day target), its timeline events, an appointment for most non-emergencies (in slots of
every trade, patch and window: the past 18 months and the next four weeks), Awaab's Law records
for the damp and mould reports, and satisfaction answers for some completed ones. Most repairs
are finished, nearly all on time; the rest are open in every status, some overdue.

PostgreSQL only: every table is filled by one ``INSERT ... SELECT`` over ``generate_series``
(the working-day targets come from ``sla.calendar``, one row per day, joined in), then ids'
sequences are moved on and the tables vacuumed and analysed. References are ``REP-B<id>``: the
real REP counters are never touched. Run it again to add more.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from casework.models import CaseEvent, Team
from repairs import catalogue
from repairs.models import Appointment, Hazard, Repair, Slot, SlotWindow
from sla import calendar
from sla.models import ClockType, Commitment, Deadline
from tenancy.models import Customer

LONDON = ZoneInfo("Europe/London")
HISTORY_DAYS = 548
SLOT_DAYS_AHEAD = 28
SLOT_CAPACITY = 4
CLOCKS = {
    "emergency": "repair.emergency.attend",
    "urgent": "repair.urgent.complete",
    "routine": "repair.routine.complete",
}
INVESTIGATE = "hazard.significant.investigate"


class Command(BaseCommand):
    help = "Load bulk synthetic repairs (with clocks, events, slots, appointments, hazards)."

    def add_arguments(self, parser):
        parser.add_argument("--repairs", type=int, default=1_000_000)
        parser.add_argument(
            "--seed",
            type=float,
            default=0.2026,
            help="PostgreSQL setseed() value, between -1 and 1 (repeatable).",
        )

    def handle(self, *args, repairs: int, seed: float, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_bulk_repairs loads with INSERT ... SELECT generate_series: PostgreSQL only."
            )
        if repairs < 1:
            raise CommandError("--repairs must be at least 1.")
        codes = [*CLOCKS.values(), INVESTIGATE]
        commitments = {c.code: c for c in Commitment.objects.filter(code__in=codes)}
        if set(codes) - set(commitments):
            raise CommandError("Commitments are missing: run migrate first.")
        homes = Customer.objects.filter(
            tenancy__property__tenure="general_needs",
            tenancy__end_date__isnull=True,
            household_role="lead_tenant",
        ).count()
        if not homes:
            raise CommandError("No homes: run seed_bulk --homes N first.")
        started = time.monotonic()
        self.now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            cursor.execute("SELECT setseed(%s)", [seed])
            cursor.execute("SET LOCAL session_replication_role = replica")
            self._prepare(commitments)
            self._log(f"{homes} homes let at general needs rent; calendar and catalogue ready")
            self._repairs(repairs)
            self._log(f"{repairs} repairs")
            self._deadlines(commitments)
            self._log("repair clocks")
            self._events()
            self._log("timeline events")
            self._slots()
            self._appointments()
            self._log("slots and appointments")
            self._hazards(commitments)
            self._log("damp and mould hazards")
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Repair, Deadline, CaseEvent, Slot, Appointment, Hazard]
            ):
                cursor.execute(sql)
        with connection.cursor() as cursor:
            for model in (Repair, Deadline, CaseEvent, Slot, Appointment, Hazard):
                cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
        self._log("vacuumed and analysed")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bulk_repairs: {repairs} repairs in {time.monotonic() - started:.1f} s"
            )
        )

    def _log(self, message: str) -> None:
        self.stdout.write(f"  {time.strftime('%H:%M:%S')} {message}")

    def _run(self, sql: str, params=None) -> None:
        self.cursor.execute(sql, params or [])

    # -- inputs: homes, catalogue, working-day targets ----------------------------------------

    def _prepare(self, commitments) -> None:
        self._run("""
            CREATE TEMP TABLE bulk_homes ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY c.id) AS n, c.id AS customer_id, c.tenancy_id,
                   t.property_id, p.patch
            FROM tenancy_customer c
            JOIN tenancy_tenancy t ON t.id = c.tenancy_id
            JOIN tenancy_property p ON p.id = t.property_id
            WHERE p.tenure = 'general_needs' AND t.end_date IS NULL
              AND c.household_role = 'lead_tenant'
        """)
        self._run("CREATE UNIQUE INDEX ON bulk_homes (n)")
        items = [
            i for i in catalogue.ITEMS if i.becomes_a_job and not catalogue.area(i.area).communal
        ]
        self._run(
            "CREATE TEMP TABLE bulk_items (n int PRIMARY KEY, code text, title text, "
            "trade text, priority text) ON COMMIT DROP"
        )
        self.cursor.executemany(
            "INSERT INTO bulk_items VALUES (%s, %s, %s, %s, %s)",
            [(n, i.code, i.label, i.trade, i.priority) for n, i in enumerate(items, start=1)],
        )
        self.items = len(items)
        # Every calendar day of the history and the weeks ahead: its working-day targets (from
        # the real calendar, bank holidays included) and its working day on or before it.
        today = self.now.astimezone(LONDON).date()
        first = today - dt.timedelta(days=HISTORY_DAYS + 2)
        days = [
            first + dt.timedelta(days=n) for n in range((today - first).days + SLOT_DAYS_AHEAD + 40)
        ]
        working = [d for d in days if calendar.is_working_day(d)]
        index = {d: n for n, d in enumerate(working)}
        rows = []
        last_working = working[0]
        for day in days:
            if day in index:
                last_working = day
            noon = dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)
            rows.append(
                (
                    day,
                    last_working,
                    index[last_working],
                    calendar.due_at(ClockType.WORKING_DAYS, 5, noon),
                    calendar.due_at(ClockType.WORKING_DAYS, 20, noon),
                    calendar.due_at(ClockType.WORKING_DAYS, 10, noon),
                )
            )
        self._run(
            "CREATE TEMP TABLE bulk_days (day date PRIMARY KEY, work_day date, idx int, "
            "urgent_due timestamptz, routine_due timestamptz, investigate_due timestamptz)"
            " ON COMMIT DROP"
        )
        self.cursor.executemany("INSERT INTO bulk_days VALUES (%s, %s, %s, %s, %s, %s)", rows)
        self._run("CREATE INDEX ON bulk_days (idx)")
        self.today_idx = index[last_working_on_or_before(today, index)]

    # -- repairs -------------------------------------------------------------------------------

    def _repairs(self, count: int) -> None:
        first_id = (Repair.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        team = Team.objects.filter(name="Repairs").first()
        self.first_id, self.last_id = first_id, first_id + count - 1
        homes = self._scalar("SELECT count(*) FROM bulk_homes")
        # A plan per repair: its home, its catalogue entry, when it was reported and four dice.
        self._run(f"""
            CREATE TEMP TABLE bulk_plan ON COMMIT DROP AS
            SELECT {first_id} + g - 1 AS id,
                   1 + floor(random() * {homes})::int AS home,
                   1 + floor(random() * {self.items})::int AS item,
                   now() - random() * interval '{HISTORY_DAYS} days' AS opened_at,
                   random() AS r1, random() AS r2, random() AS r3, random() AS r4
            FROM generate_series(1, {count}) g
        """)  # noqa: S608 - our constants and ids, no outside input
        # Outcome: finished on time, late, cancelled, or still open (overdue or not yet due).
        self._run("""
            CREATE TEMP TABLE bulk_r ON COMMIT DROP AS
            SELECT x.*,
                   CASE WHEN x.kind = 'on_time'
                          THEN x.opened_at + x.r2 * 0.95 * (least(x.target_at, now()) - x.opened_at)
                        WHEN x.kind = 'late'
                          THEN x.target_at + interval '2 minutes' + x.r2 * interval '10 days'
                   END AS completed_at,
                   CASE WHEN x.kind = 'cancelled'
                          THEN x.opened_at + x.r2 * 0.5 * (least(x.target_at, now()) - x.opened_at)
                   END AS cancelled_at
            FROM (
              SELECT p.id, p.r1, p.r2, p.r3, p.r4, p.opened_at, h.customer_id, h.tenancy_id,
                     h.property_id, h.patch, i.code, i.title, i.trade, i.priority, d.work_day,
                     CASE i.priority WHEN 'emergency' THEN p.opened_at + interval '24 hours'
                                     WHEN 'urgent' THEN d.urgent_due ELSE d.routine_due END
                       AS target_at,
                     d.investigate_due,
                     CASE
                       WHEN p.r1 < 0.03 THEN 'cancelled'
                       WHEN (CASE i.priority WHEN 'emergency' THEN p.opened_at + interval '24 hours'
                                  WHEN 'urgent' THEN d.urgent_due ELSE d.routine_due END) < now()
                         THEN CASE WHEN p.r1 < 0.92 THEN 'on_time'
                                   WHEN p.r1 < 0.985 AND p.opened_at < now() - interval '40 days'
                                     THEN 'late'
                                   ELSE 'open' END
                       WHEN p.r1 < 0.45 THEN 'on_time'
                       ELSE 'open'
                     END AS kind
              FROM bulk_plan p
              JOIN bulk_homes h ON h.n = p.home
              JOIN bulk_items i ON i.n = p.item
              JOIN bulk_days d ON d.day = (p.opened_at AT TIME ZONE 'Europe/London')::date
            ) x
        """)
        self._run("CREATE UNIQUE INDEX ON bulk_r (id)")
        columns = {
            "id": "id",
            "reference": "'REP-B' || lpad(id::text, 7, '0')",
            "customer_id": "customer_id",
            "tenancy_id": "tenancy_id",
            "property_id": "property_id",
            "received_by": "CASE WHEN r4 < 0.6 THEN 'portal' WHEN r4 < 0.9 THEN 'phone' "
            "ELSE 'email' END",
            "status": "CASE kind WHEN 'cancelled' THEN 'cancelled' WHEN 'open' THEN "
            "(CASE WHEN priority = 'emergency' THEN 'dispatched' WHEN r3 < 0.5 "
            "THEN 'booked' WHEN r3 < 0.6 THEN 'no_access' WHEN r3 < 0.7 "
            "THEN 'in_progress' ELSE 'reported' END) ELSE 'completed' END",
            "team_id": str(team.pk) if team else "NULL",
            "assignee_id": "NULL",
            "opened_at": "opened_at",
            "closed_at": "coalesce(completed_at, cancelled_at)",
            "next_due_at": "CASE WHEN kind = 'open' THEN target_at END",
            "location": "'home'",
            "block_id": "NULL",
            "catalogue_code": "code",
            "title": "title",
            "trade": "trade",
            "priority": "priority",
            "patch": "patch",
            "description": "'Synthetic repair for the benchmarks.'",
            "emergency_reason": "''",
            "rechargeable": "false",
            "target_at": "target_at",
            "operative_id": "NULL",
            "contractor_id": "NULL",
            "attended_at": "completed_at",
            "made_safe_at": "NULL",
            "completed_at": "completed_at",
            "first_time_fix": "CASE WHEN completed_at IS NOT NULL THEN r3 < 0.85 END",
            "follow_on_of_id": "NULL",
            "reopened_count": "0",
            "is_defect": "false",
            "builder_name": "''",
            "builder_referred_at": "NULL",
            "builder_response": "''",
            "builder_responded_at": "NULL",
            "satisfaction_overall": "CASE WHEN completed_at IS NOT NULL AND r4 < 0.3 "
            "THEN 2 + floor(r2 * 4)::int END",
            "satisfaction_time": "CASE WHEN completed_at IS NOT NULL AND r4 < 0.3 "
            "THEN 1 + floor(r3 * 5)::int END",
            "satisfaction_comment": "''",
            "satisfaction_at": "CASE WHEN completed_at IS NOT NULL AND r4 < 0.3 "
            "THEN completed_at + interval '1 day' END",
            "idempotency_key": "NULL",
        }
        self._insert(Repair, columns, "bulk_r")
        self.repair_type = ContentType.objects.get_for_model(Repair).pk

    def _insert(self, model, columns: dict[str, str], source: str, where: str = "") -> None:
        fields = [f.column for f in model._meta.concrete_fields]
        missing = set(fields) - set(columns)
        if missing:
            raise CommandError(f"{model.__name__}: no value for {sorted(missing)}")
        names = ", ".join(connection.ops.quote_name(f) for f in fields)
        values = ", ".join(columns[f] for f in fields)
        self._run(
            f"INSERT INTO {model._meta.db_table} ({names}) SELECT {values} "  # noqa: S608 - our constants and ids, no outside input
            f"FROM {source} {where}"
        )

    def _scalar(self, sql: str):
        self.cursor.execute(sql)
        return self.cursor.fetchone()[0]

    # -- clocks, events ------------------------------------------------------------------------

    def _deadlines(self, commitments) -> None:
        cases = " ".join(f"WHEN '{p}' THEN {commitments[c].pk}" for p, c in CLOCKS.items())
        clocks = " ".join(f"WHEN '{p}' THEN '{commitments[c].clock}'" for p, c in CLOCKS.items())
        amounts = " ".join(f"WHEN '{p}' THEN {commitments[c].amount}" for p, c in CLOCKS.items())
        columns = {
            "id": "(SELECT coalesce(max(id), 0) FROM sla_deadline) + "
            "row_number() OVER (ORDER BY id)",
            "content_type_id": str(self.repair_type),
            "object_id": "id",
            "commitment_id": f"CASE priority {cases} END",
            "clock": f"CASE priority {clocks} END",
            "amount": f"CASE priority {amounts} END",
            "started_at": "opened_at",
            "original_due_at": "target_at",
            "due_at": "target_at",
            "warn_at": "target_at - CASE priority WHEN 'emergency' THEN interval '4 hours' "
            "ELSE interval '24 hours' END",
            "warned_at": "NULL",
            "met_at": "completed_at",
            "breached_at": "CASE WHEN target_at < now() AND kind IN ('late', 'open') "
            "THEN target_at + interval '1 minute' END",
            "paused_at": "cancelled_at",
            "paused_seconds": "0",
            "extended_at": "NULL",
            "extended_by_id": "NULL",
            "extension_reason": "''",
            "customer_told_of_extension_at": "NULL",
        }
        self._insert(Deadline, columns, "bulk_r")

    def _events(self) -> None:
        base = {
            "content_type_id": str(self.repair_type),
            "object_id": "id",
            "tenancy_id": "tenancy_id",
            "actor_id": "NULL",
            "from_status": "''",
            "note": "''",
            "visible_to_customer": "true",
        }
        start = "(SELECT coalesce(max(id), 0) FROM casework_caseevent)"
        self._insert(
            CaseEvent,
            {
                **base,
                "id": f"{start} + row_number() OVER (ORDER BY id)",
                "occurred_at": "opened_at",
                "kind": "'opened'",
                "to_status": "'reported'",
            },
            "bulk_r",
        )
        self._insert(
            CaseEvent,
            {
                **base,
                "id": f"{start} + row_number() OVER (ORDER BY id)",
                "occurred_at": "coalesce(completed_at, cancelled_at)",
                "kind": "'status'",
                "from_status": "'reported'",
                "to_status": "CASE WHEN completed_at IS NOT NULL "
                "THEN 'completed' ELSE 'cancelled' END",
            },
            "bulk_r",
            "WHERE kind <> 'open'",
        )

    # -- slots and appointments ----------------------------------------------------------------

    def _slots(self) -> None:
        windows = ", ".join(f"('{w}')" for w in SlotWindow.values)
        trades = ", ".join(f"('{t}')" for t in catalogue.Trade.values)
        columns = {
            "id": "(SELECT coalesce(max(id), 0) FROM repairs_slot) + row_number() OVER ()",
            "trade": "t.trade",
            "patch": "p.patch",
            "date": "d.day",
            "window": 'w."window"',
            "capacity": str(SLOT_CAPACITY),
            "booked": "0",
        }
        self._insert(
            Slot,
            columns,
            f"bulk_days d CROSS JOIN (VALUES {trades}) t(trade) "  # noqa: S608 - our constants and ids, no outside input
            f"CROSS JOIN (SELECT DISTINCT patch FROM bulk_homes) p "
            f'CROSS JOIN (VALUES {windows}) w("window")',
            f"WHERE d.day = d.work_day AND d.idx <= {self.today_idx + SLOT_DAYS_AHEAD} "
            "ON CONFLICT DO NOTHING",
        )

    def _appointments(self) -> None:
        windows = SlotWindow.values
        window_sql = f"(ARRAY{windows!r})[1 + floor(r3 * {len(windows)})::int]"
        # The day: the completion day (attended), a coming working day (booked), or a day
        # after the report (no access). Emergencies are dispatched, never booked.
        self._run(f"""
            CREATE TEMP TABLE bulk_appt ON COMMIT DROP AS
            SELECT r.id AS repair_id, r.opened_at, r.trade, r.patch, {window_sql} AS "window",
                   CASE WHEN r.kind IN ('on_time', 'late') THEN 'attended'
                        WHEN r.r3 < 0.5 THEN 'booked' ELSE 'no_access' END AS status,
                   CASE WHEN r.kind IN ('on_time', 'late') THEN
                          (SELECT work_day FROM bulk_days
                           WHERE day = (r.completed_at AT TIME ZONE 'Europe/London')::date)
                        WHEN r.r3 < 0.5 THEN
                          (SELECT day FROM bulk_days
                           WHERE idx = {self.today_idx} + 1 + floor(r.r2 * 15)::int
                             AND day = work_day)
                        ELSE r.work_day END AS date,
                   r.completed_at
            FROM bulk_r r
            WHERE r.priority <> 'emergency'
              AND (r.kind IN ('on_time', 'late') AND r.r4 < 0.8
                   OR r.kind = 'open' AND r.r3 < 0.6)
        """)  # noqa: S608 - our constants and ids, no outside input
        columns = {
            "id": "(SELECT coalesce(max(id), 0) FROM repairs_appointment) + "
            "row_number() OVER (ORDER BY a.repair_id)",
            "repair_id": "a.repair_id",
            "slot_id": "s.id",
            "date": "a.date",
            "window": 'a."window"',
            "status": "a.status",
            "operative_id": "NULL",
            "booked_at": "a.opened_at",
            "booked_by_id": "NULL",
            "ended_at": "CASE WHEN a.status = 'attended' THEN a.completed_at "
            "WHEN a.status = 'no_access' THEN a.opened_at + interval '2 days' END",
            "reason": "''",
            "after_due_reason": "''",
            "reminded_at": "NULL",
        }
        self._insert(
            Appointment,
            columns,
            "bulk_appt a JOIN repairs_slot s ON s.trade = a.trade AND "
            's.patch = a.patch AND s.date = a.date AND s."window" = a."window"',
        )
        self._run("""
            UPDATE repairs_slot s SET booked = c.n, capacity = greatest(s.capacity, c.n)
            FROM (SELECT slot_id, count(*) AS n FROM repairs_appointment
                  WHERE status IN ('booked', 'attended', 'no_access') GROUP BY slot_id) c
            WHERE s.id = c.slot_id
        """)

    # -- Awaab's Law ---------------------------------------------------------------------------

    def _hazards(self, commitments) -> None:
        investigate = commitments[INVESTIGATE]
        columns = {
            "id": "(SELECT coalesce(max(id), 0) FROM repairs_hazard) + "
            "row_number() OVER (ORDER BY id)",
            "repair_id": "id",
            "hazard_type": "'damp_mould'",
            "category": "'significant'",
            "category_reason": "'Damp or mould reported: investigated as a possible "
            "significant hazard.'",
            "awaabs_law_applies": "true",
            "aware_at": "opened_at",
            "rooms": "'Bathroom'",
            "extent": "'medium'",
            "vulnerabilities": "''",
            "investigated_at": "CASE WHEN kind <> 'open' THEN coalesce(completed_at, "
            "cancelled_at) END",
            "investigated_by_id": "NULL",
            "finding": "CASE WHEN kind <> 'open' THEN 'significant' ELSE '' END",
            "findings": "''",
            "summary_sent_at": "NULL",
            "summary": "''",
            "made_safe_at": "completed_at",
            "further_works_needed": "false",
            "further_works_long_stop": "NULL",
            "further_works_started_at": "NULL",
            "further_works_completed_at": "NULL",
            "alternative_accommodation_at": "NULL",
        }
        self._insert(Hazard, columns, "bulk_r", "WHERE code = 'hazard.damp'")
        deadline = {
            "id": "(SELECT coalesce(max(id), 0) FROM sla_deadline) + "
            "row_number() OVER (ORDER BY id)",
            "content_type_id": str(self.repair_type),
            "object_id": "id",
            "commitment_id": str(investigate.pk),
            "clock": f"'{investigate.clock}'",
            "amount": str(investigate.amount),
            "started_at": "opened_at",
            "original_due_at": "investigate_due",
            "due_at": "investigate_due",
            "warn_at": "investigate_due - interval '24 hours'",
            "warned_at": "NULL",
            "met_at": "CASE WHEN kind IN ('on_time', 'late') "
            "THEN least(completed_at, investigate_due) END",
            "breached_at": "CASE WHEN kind = 'open' AND investigate_due < now() "
            "THEN investigate_due + interval '1 minute' END",
            "paused_at": "cancelled_at",
            "paused_seconds": "0",
            "extended_at": "NULL",
            "extended_by_id": "NULL",
            "extension_reason": "''",
            "customer_told_of_extension_at": "NULL",
        }
        self._insert(Deadline, deadline, "bulk_r", "WHERE code = 'hazard.damp'")
        self._run(f"""
            UPDATE repairs_repair r SET next_due_at = least(r.next_due_at, b.investigate_due)
            FROM bulk_r b WHERE b.id = r.id AND b.code = 'hazard.damp' AND b.kind = 'open'
              AND r.id BETWEEN {self.first_id} AND {self.last_id}
        """)  # noqa: S608 - our constants and ids, no outside input


def last_working_on_or_before(day: dt.date, index: dict[dt.date, int]) -> dt.date:
    while day not in index:
        day -= dt.timedelta(days=1)
    return day
