"""Data protection benchmark: gathering a subject access pack for a person with a long history,
and the retention task over a million closed cases.

    createdb -h 127.0.0.1 -U postgres homes_bench_dataprotection
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench_dataprotection DEBUG=true
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/dataprotection_bench.py --cases 500 --messages 2000 --closed 1000000

Prints one line per figure. Targets (issue "Your data"): the pack for a customer with 500 cases
and 2,000 messages gathered and built in under 10 s; the retention task over 1,000,000 closed
cases in under 60 s, in batches none of which holds its locks for more than a second. The
gathering is what the Celery task runs (``pack_gather``), timed in this process; the release
builds the zip. The closed cases are repairs closed seven years ago, each with one internal
event, loaded with ``bulk_create``; the run anonymises them all (first run) and a second run
then finds nothing (idempotent).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
import uuid
from pathlib import Path

from _setup import database_label, setup_django

setup_django()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework.models import CaseEvent, EventKind  # noqa: E402
from dataprotection import retention, services  # noqa: E402
from dataprotection.models import DataRequest, RetentionRule  # noqa: E402
from enquiries.models import Enquiry  # noqa: E402
from kernel.roles import Role  # noqa: E402
from notifications.models import Message  # noqa: E402
from repairs.models import Repair  # noqa: E402
from tenancy.models import Customer, Property, Tenancy  # noqa: E402

RUN = uuid.uuid4().hex[:8]
CHUNK = 5000
REPAIR_TEXT = "The kitchen tap drips; my daughter slipped on the wet floor."
EVENT_NOTE = "Tenant mentioned her daughter's fall."


def database_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, read from /proc (the
    database runs on this machine), as ``rent_bench.py`` reads it: with the script's own CPU
    time, what a run costs apart from waiting for a core on a loaded machine."""
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


def load_average() -> str:
    return ", ".join(f"{figure:.1f}" for figure in os.getloadavg())


def _person(tag: str) -> Customer:
    home = Property.objects.create(
        uprn=f"B{RUN}{tag}",
        address_line_1="1 Bench Road",
        town="Riverton",
        postcode="RV1 1AA",
        property_type="flat",
        bedrooms=2,
        patch="Bench",
    )
    tenancy = Tenancy.objects.create(
        reference=f"BDP-{RUN}{tag}",
        property=home,
        tenancy_type="assured",
        start_date=dt.date(2010, 1, 1),
    )
    return Customer.objects.create(
        tenancy=tenancy,
        first_name="Bench",
        last_name=f"Person {RUN}{tag}",
        date_of_birth=dt.date(1970, 1, 1),
        email=f"bench-{RUN}{tag}@example.org",
    )


def _officer():
    from accounts.services import staff_create

    return staff_create(email=f"dpo-{RUN}@example.org", password=None, roles=[Role.DATA_PROTECTION])


def _seed_history(customer: Customer, cases: int, messages: int) -> None:
    now = timezone.now()
    enquiries = Enquiry.objects.bulk_create(
        Enquiry(
            reference=f"BDP{RUN}-{i}",
            customer=customer,
            tenancy=customer.tenancy,
            property_id=customer.tenancy.property_id,
            status="closed",
            opened_at=now - dt.timedelta(days=i),
            closed_at=now - dt.timedelta(days=i) + dt.timedelta(hours=3),
            subject=f"Question {i}",
            details="A question about the bins, the parking and the hall light. " * 4,
            answer="Thank you; the caretaker will look at it this week.",
        )
        for i in range(cases)
    )
    content_type = ContentType.objects.get_for_model(Enquiry)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            content_type=content_type,
            object_id=e.pk,
            tenancy=customer.tenancy,
            occurred_at=e.opened_at,
            kind=kind,
            note=note,
            visible_to_customer=visible,
        )
        for e in enquiries
        for kind, note, visible in (
            (EventKind.OPENED, "", True),
            (EventKind.NOTE, "Called the customer back; no answer.", False),
            (EventKind.STATUS, "Answered.", True),
        )
    )
    Message.objects.bulk_create(
        Message(
            idempotency_key=f"bench:{RUN}:{i}",
            customer=customer,
            channel="email",
            to_address=customer.email,
            subject=f"About your enquiry {i}",
            body="We have answered your enquiry. Sign in to read our answer. " * 3,
            status="sent",
            created_at=now - dt.timedelta(hours=i),
            next_attempt_at=now,
            sent_at=now - dt.timedelta(hours=i),
        )
        for i in range(messages)
    )


def bench_pack(cases: int, messages: int) -> None:
    customer = _person("p")
    officer = _officer()
    _seed_history(customer, cases, messages)
    request = services.request_make(customer=customer, kind="subject_access", details="All.")
    services.identity_confirm(request=request, actor=officer, how="Bench.")
    request = DataRequest.objects.get(pk=request.pk)
    with transaction.atomic():
        services.gathering_start(request=request, actor=officer)
    began = time.perf_counter()
    services.pack_gather(request_id=request.pk)
    gathered = time.perf_counter() - began
    request = DataRequest.objects.get(pk=request.pk)
    began = time.perf_counter()
    services.pack_release(request=request, actor=officer)
    built = time.perf_counter() - began
    size = DataRequest.objects.get(pk=request.pk).pack.size
    print(f"pack: {cases} cases, {cases * 3} events, {messages} messages")
    print(f"pack: gathered in {gathered:.2f} s ({request.gathering_total} areas)")
    print(f"pack: zip built and released in {built:.2f} s ({size / 1e6:.1f} MB)")
    print(f"pack: total {gathered + built:.2f} s (target under 10 s)")


def _seed_closed(count: int) -> None:
    customer = _person("r")
    closed = timezone.now() - dt.timedelta(days=7 * 366)
    content_type = ContentType.objects.get_for_model(Repair)
    done = 0
    began = time.perf_counter()
    while done < count:
        size = min(CHUNK, count - done)
        with transaction.atomic():
            repairs = Repair.objects.bulk_create(
                Repair(
                    reference=f"BR{RUN}-{done + i}",
                    customer=customer,
                    tenancy=customer.tenancy,
                    property_id=customer.tenancy.property_id,
                    status="completed",
                    opened_at=closed - dt.timedelta(days=3),
                    closed_at=closed,
                    catalogue_code="kitchen.tap",
                    title="Dripping tap",
                    trade="plumbing",
                    priority="routine",
                    patch="Bench",
                    description=REPAIR_TEXT,
                )
                for i in range(size)
            )
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    content_type=content_type,
                    object_id=r.pk,
                    tenancy=customer.tenancy,
                    occurred_at=closed,
                    kind=EventKind.NOTE,
                    note=EVENT_NOTE,
                )
                for r in repairs
            )
        done += size
    print(
        f"retention: seeded {count} closed repairs with an event each in {time.perf_counter() - began:.0f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE repairs_repair")
            cursor.execute("ANALYZE casework_caseevent")


def _restore_closed() -> int:
    """Put back the text of the closed repairs and their events' notes an earlier run
    anonymised, so the task can be timed again without loading a million rows again (not
    timed). The tables are then rewritten (VACUUM FULL) so their pages are full again, as a
    fresh load leaves them: otherwise the freed space would let PostgreSQL update rows in place
    and flatter the second run."""
    restored = (
        Repair.objects.filter(reference__startswith="BR")
        .exclude(description=REPAIR_TEXT)
        .update(description=REPAIR_TEXT)
    )
    notes = CaseEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Repair),
        kind=EventKind.NOTE,
        note="",
        tenancy__reference__startswith="BDP-",
    ).update(note=EVENT_NOTE)
    print(f"retention: restored {restored} closed repairs and {notes} notes from an earlier run")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL repairs_repair")
            cursor.execute("VACUUM FULL casework_caseevent")
            cursor.execute("ANALYZE repairs_repair")
            cursor.execute("ANALYZE casework_caseevent")
    return restored


def bench_retention(count: int, *, again: bool, batch_size: int) -> None:
    if again:
        _restore_closed()
    else:
        _seed_closed(count)
    durations: list[float] = []
    real_batch = retention._batch

    def timed_batch(*args):
        # From the batch's first write to its commit: how long it holds its row locks.
        started = time.perf_counter()
        result = real_batch(*args)
        transaction.on_commit(lambda: durations.append(time.perf_counter() - started))
        return result

    retention._batch = timed_batch  # type: ignore[assignment]
    rule = RetentionRule.objects.get(code="repairs.closed")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reloptions FROM pg_class WHERE relname IN "
                "('repairs_repair', 'casework_caseevent') ORDER BY relname"
            )
            options = [row[0] for row in cursor.fetchall()]
        print(f"retention: storage options of the events and repairs tables: {options}")
    print(f"retention: load average before the run {load_average()}")
    began = time.perf_counter()
    cpu_began, db_began = time.process_time(), database_cpu_seconds()
    run = retention.rule_apply(rule=rule, batch_size=batch_size)
    took = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    db_now = database_cpu_seconds()
    db = "" if db_now is None or db_began is None else f" + database {db_now - db_began:.1f} s"
    print(
        f"retention: anonymised {run.count} repairs in {run.batches} batches in {took:.1f} s "
        f"(target under 60 s; CPU: script {cpu:.1f} s{db}; load average after {load_average()})"
    )
    if durations:
        durations.sort()
        print(
            f"retention: batch of {batch_size}: median {durations[len(durations) // 2]:.3f} s, "
            f"worst {durations[-1]:.3f} s (first write to commit: how long its row locks are held)"
        )
    began = time.perf_counter()
    again = retention.rule_apply(rule=rule)
    print(f"retention: second run found {again.count} in {time.perf_counter() - began:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--closed", type=int, default=1_000_000)
    parser.add_argument("--skip-pack", action="store_true")
    parser.add_argument("--skip-retention", action="store_true")
    parser.add_argument(
        "--again",
        action="store_true",
        help="time the retention task again on the closed repairs an earlier run loaded",
    )
    parser.add_argument("--batch", type=int, default=retention.BATCH_SIZE, help="rows a batch")
    args = parser.parse_args()
    print(f"database: {database_label()}")
    if not args.skip_pack:
        bench_pack(args.cases, args.messages)
    if not args.skip_retention:
        bench_retention(args.closed, again=args.again, batch_size=args.batch)


if __name__ == "__main__":
    main()
