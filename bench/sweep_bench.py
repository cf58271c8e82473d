"""Time the sla sweep on a database holding a million running deadlines, 1% of them past due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/sweep_bench.py [--open 1000000] [--due 10000]

A seeded association (seed_bulk) has far fewer clocks running than a million, so this script
first adds the shortfall as extra "contact back" deadlines on the newest bulk enquiries,
``--due`` of them already past due, already warned where their warning time has passed (so the
sweep's work is the breaches). It warms the process up as the worker that runs the sweep is
(URLconf loaded, broker connection open), then times one sweep with the escalation handlers
registered by casework (a CaseEvent and emails to the assignee and the team lead per breach),
reporting the time spent marking breaches apart from the whole, and a second sweep, which must
find nothing. ``--statements`` lists the first sweep's slowest statements, ``--profile`` where
its Python time went. Finally it deletes the deadlines it added (the events and emails the
sweep wrote stay, as they would), so the database is back to what seed_bulk made and the
dashboard figures hold.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import time

from _setup import database_label, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000, dest="open_target")
    parser.add_argument("--due", type=int, default=10_000, dest="due_target")
    parser.add_argument("--keep", action="store_true", help="keep the deadlines it adds")
    parser.add_argument(
        "--profile", action="store_true", help="profile the first sweep and print where it went"
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="print the first sweep's statements with the time each took, slowest first",
    )
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.utils import timezone

    from casework.models import CaseEvent
    from notifications.models import Message
    from portal.management.commands.seed_bulk import advance_sequence, vacuum_analyse
    from sla import hooks, services
    from sla.models import Commitment, Deadline

    now = timezone.now()
    running = Deadline.objects.running()
    have_open = running.count()
    have_due = running.filter(due_at__lte=now).count()
    add_due = max(args.due_target - have_due, 0)
    add_open = max(args.open_target - have_open, add_due)
    print(
        f"sweep: database {database_label()} holds {Deadline.objects.count()} deadlines, "
        f"{have_open} running ({have_due} past due); adding {add_open} running "
        f"({add_due} past due)"
    )

    added = (0, -1)
    if add_open:
        start = time.perf_counter()
        added = add_running_deadlines(
            add_open,
            add_due,
            now=now,
            rng=random.Random(11),
            commitment=Commitment.objects.get(code="enquiry.contact_back"),
        )
        advance_sequence(Deadline, added[1])
        vacuum_analyse([Deadline])
        print(
            f"sweep: prepared in {time.perf_counter() - start:.1f} s "
            f"(deadline ids {added[0]} to {added[1]})"
        )

    warm_up()
    open_now = running.count()
    due_now = running.filter(due_at__lte=now).count()

    # Time the claim (the UPDATE ... RETURNING that marks breaches), the handlers, the commits
    # and the on-commit hooks apart.
    spent = {"claim": 0.0, "handlers": 0.0, "commits": 0.0, "on_commit": 0.0}
    claim = services._claim_breaches
    registered = hooks.breach_handlers

    def timed_claim(*a, **kw):
        start = time.perf_counter()
        try:
            return claim(*a, **kw)
        finally:
            spent["claim"] += time.perf_counter() - start

    def timed_handlers():
        def wrap(handler):
            def run(deadlines):
                start = time.perf_counter()
                try:
                    return handler(deadlines)
                finally:
                    spent["handlers"] += time.perf_counter() - start

            return run

        return tuple(wrap(h) for h in registered())

    handler_names = ", ".join(f"{h.__module__}.{h.__name__}" for h in registered())
    events_before, messages_before = CaseEvent.objects.count(), Message.objects.count()
    print(
        f"sweep: history: {events_before} case events, {messages_before} messages, "
        f"{Deadline.objects.count()} deadlines"
    )
    queries = [0]
    statements: list[tuple[float, str]] = []

    def count(execute, sql, params, many, context):
        queries[0] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql))

    def timed(name, function):
        def run(*a, **kw):
            start = time.perf_counter()
            try:
                return function(*a, **kw)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    services._claim_breaches = timed_claim
    hooks.breach_handlers = timed_handlers
    # On the connection object only, for this sweep: the COMMIT itself (where PostgreSQL runs
    # the deferred foreign key checks of every row written) and the hooks run after it.
    connection._commit = timed("commits", connection._commit)
    connection.run_and_clear_commit_hooks = timed(
        "on_commit", connection.run_and_clear_commit_hooks
    )
    try:
        profiler = cProfile.Profile() if args.profile else None
        with connection.execute_wrapper(count):
            if profiler is not None:
                profiler.enable()
            # What the worker's sweep task does: mark, and record each batch for the follow-up.
            start = time.perf_counter()
            first = services.sweep_deadlines(now=now, hand_over=False)
            full = time.perf_counter() - start
            sweep_queries, sweep_commits = queries[0], spent["commits"]
            # The follow-up task: the events and emails, one transaction per batch.
            start = time.perf_counter()
            handed = services.hand_over_claimed()
            follow_up = time.perf_counter() - start
            if profiler is not None:
                profiler.disable()
    finally:
        services._claim_breaches = claim
        hooks.breach_handlers = registered
        del connection._commit, connection.run_and_clear_commit_hooks
    events = CaseEvent.objects.count() - events_before
    messages = Message.objects.count() - messages_before
    print(
        f"sweep: {first.breached} breaches among {open_now} open deadlines "
        f"({due_now} past due) marked in {full:.2f} s: {first.warned} warned, "
        f"{sweep_queries} queries"
    )
    print(
        f"sweep: of which the claim (UPDATE ... RETURNING, batches of "
        f"{services.SWEEP_BATCH_SIZE}): {spent['claim']:.2f} s; commits: {sweep_commits:.2f} s; "
        f"the rest (recording the batches): {full - spent['claim'] - sweep_commits:.2f} s"
    )
    print(
        f"sweep: follow-up: {handed} deadlines handed over in {follow_up:.2f} s with handlers "
        f"[{handler_names}]: {events} case events, {messages} emails queued, "
        f"{queries[0] - sweep_queries} queries; handlers {spent['handlers']:.2f} s, commits "
        f"{spent['commits'] - sweep_commits:.2f} s, on-commit hooks (delivery kicks) "
        f"{spent['on_commit']:.2f} s"
    )

    if args.statements:
        in_statements = sum(seconds for seconds, _ in statements)
        print(f"sweep: {len(statements)} statements took {in_statements:.2f} s in the database")
        kinds: dict[str, list[float]] = {}
        for seconds, sql in statements:
            kinds.setdefault(" ".join(sql.split())[:90], []).append(seconds)
        for text, times in sorted(kinds.items(), key=lambda kind: -sum(kind[1])):
            print(f"  {sum(times) * 1000:8.1f} ms in {len(times):2d}  {text}")

    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)

    start = time.perf_counter()
    second = services.sweep_deadlines(now=now)
    print(
        f"sweep: second sweep (idempotent) found {second.breached} breaches and warned "
        f"{second.warned} in {(time.perf_counter() - start) * 1000:.1f} ms"
    )

    if add_open and not args.keep:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(Deadline._meta.db_table)} "  # noqa: S608
                "WHERE id BETWEEN %s AND %s",
                [added[0], added[1]],
            )
        vacuum_analyse([Deadline])
        print(
            f"sweep: removed the {add_open} added deadlines in {time.perf_counter() - start:.1f} s"
        )


def warm_up() -> None:
    """Put this process in the state of the Celery worker that runs the sweep every minute: its
    URLconf loaded (the escalation emails link to the admin) and its broker connection open (the
    delivery kick on commit). Otherwise the first sweep of a fresh process pays for both, once,
    and the figure would be the process's start-up rather than the sweep's."""
    from django.urls import reverse

    from notifications.tasks import deliver_pending

    start = time.perf_counter()
    reverse("admin:index")
    try:
        with deliver_pending.app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1)
    except Exception as error:  # noqa: BLE001 - a report, not a failure: the sweep still runs
        print(f"sweep: broker not reachable ({error}); delivery kicks will be logged and skipped")
    print(f"sweep: warmed up (URLconf, broker connection) in {time.perf_counter() - start:.2f} s")


def add_running_deadlines(
    count: int, past_due: int, *, now: dt.datetime, rng: random.Random, commitment
) -> tuple[int, int]:
    """``count`` running deadlines on the newest bulk enquiries, ``past_due`` of them due
    before ``now``. Returns the first and last id written."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from enquiries.models import Enquiry
    from portal.management.commands.seed_bulk import (
        BulkWriter,
        due_at_function,
        foreign_key_triggers_skipped,
        next_ids,
    )
    from sla.models import Deadline

    due = due_at_function()
    with transaction.atomic(), foreign_key_triggers_skipped():
        case_ids = list(
            Enquiry.objects.filter(reference__startswith="BLK-")
            .order_by("-pk")
            .values_list("pk", flat=True)[:count]
        )
        if not case_ids:
            raise SystemExit("No bulk enquiries: run seed_bulk first.")
        content_type_id = ContentType.objects.get_for_model(Enquiry).pk
        first_id = next_ids(Deadline)
        writer = BulkWriter(Deadline)
        for n in range(count):
            if n < past_due:
                started_at = now - dt.timedelta(days=10 + rng.uniform(0, 2))
                due_at = due(commitment.clock, commitment.amount, started_at)
                while due_at > now - dt.timedelta(minutes=1):
                    started_at -= dt.timedelta(days=1)
                    due_at = due(commitment.clock, commitment.amount, started_at)
            else:
                started_at = now - dt.timedelta(seconds=rng.uniform(0, 2 * 86400))
                due_at = due(commitment.clock, commitment.amount, started_at)
            warn_at = due_at - commitment.warn_before if commitment.warn_before else None
            warned = warn_at is not None and warn_at <= now
            writer.add(
                {
                    "id": first_id + n,
                    "content_type_id": content_type_id,
                    "object_id": case_ids[n % len(case_ids)],
                    "commitment_id": commitment.pk,
                    "clock": commitment.clock,
                    "amount": commitment.amount,
                    "started_at": started_at,
                    "original_due_at": due_at,
                    "due_at": due_at,
                    "warn_at": warn_at,
                    "warned_at": warn_at + dt.timedelta(seconds=30) if warned else None,
                    "paused_seconds": 0,
                }
            )
        writer.close()
    return first_id, first_id + count - 1


if __name__ == "__main__":
    main()
