"""Time the staff workspace at volume: My work for one caseworker and for a whole team, a
household's whole picture, the case queues' first pages, a case's admin page and the manager
dashboard. Prints one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/workspace_bench.py

Run it after ``manage.py seed_bulk`` and ``manage.py seed_bulk_repairs`` (cases of two types).
The first time, it arranges the bulk data for the issue's figures: the busiest bulk officer
(given the customer services and repairs roles and an authenticator) is left holding
``--caseload`` open cases, half enquiries and half repairs; their teams (the customer services
teams and the repairs team) are left holding ``--team-size`` open cases, half of each type, the
other open cases taken out of those teams; one household is given ``--household-cases``
enquiries of its own (half open, each open one with a running clock). Each page is then fetched
through Django's test client (with its query count) and, with ``--gunicorn`` (the default),
through gunicorn with ``DEBUG`` off, one request at a time, as ``bench/repairs_bench.py`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time

# In process the portal runs as `make run` does; gunicorn gets DEBUG off (bench/repairs_bench.py).
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES_AND_TLS", "false")

from _setup import count_queries, database_label, ms, setup_django, timed  # noqa: E402

HOUSEHOLD_PREFIX = "BLK-H"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--household-cases", type=int, default=300)
    parser.add_argument("--caseload", type=int, default=200)
    parser.add_argument("--team-size", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30, help="per page, through gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-gunicorn", dest="gunicorn", action="store_false")
    args = parser.parse_args()
    setup_django()

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from casework.access import registered_case_models
    from casework.models import Team
    from enquiries.models import Enquiry
    from performance.models import RollupWatermark
    from performance.services import rollups_refresh
    from repairs.models import Repair
    from sla.models import Deadline
    from workspace.selectors import Scope, household_picture, my_work

    team = Team.objects.filter(name="Customer services (bulk)").first()
    if team is None or not Repair.objects.exists():
        raise SystemExit("Run manage.py seed_bulk and seed_bulk_repairs first.")
    by_type = {
        e.model._meta.verbose_name_plural: e.model._default_manager.count()
        for e in registered_case_models()
    }
    deadlines = Deadline.objects.count()
    print(
        f"workspace: database {database_label()} holds {sum(by_type.values())} cases "
        f"({', '.join(f'{n} {name}' for name, n in by_type.items() if n)}), {deadlines} deadlines"
    )

    officer = _arrange_caseload(args.caseload, args.team_size, team=team)
    manager = _bench_user("workspace-manager", roles=("Manager",))
    tenancy = _busy_household(args.household_cases, team=team)
    if RollupWatermark.objects.filter(pk=1, covered_through__isnull=False).first() is None:
        rollups_refresh(full=True)

    setup_test_environment()  # lets the test client's host in; mail goes nowhere
    client = Client()
    client.force_login(officer)
    own = my_work(officer, page_size=50)
    print(
        f"workspace: the officer holds {_open_count(officer=officer)} open cases; "
        f"their teams {_open_count(team_ids=_team_ids(officer))} open cases "
        f"(first page: {len(own.rows)} rows)"
    )

    for name, call in (
        ("my_work, the officer's own", lambda: my_work(officer)),
        ("my_work, the team's first page", lambda: my_work(officer, scope=Scope.TEAM)),
        (
            "my_work, unassigned in the team",
            lambda: my_work(officer, scope=Scope.UNASSIGNED),
        ),
        ("household_picture", lambda: household_picture(officer, tenancy)),
    ):
        median, worst, _ = timed(call, repeat=args.repeat)
        print(
            f"workspace: selector {name}: median {ms(median)} (worst {ms(worst)}), "
            f"{count_queries(call)} queries"
        )

    enquiry = Enquiry.objects.filter(tenancy=tenancy, closed_at__isnull=True).order_by("pk").first()
    repair = Repair.objects.filter(closed_at__isnull=True).order_by("pk").first()
    assert enquiry is not None and repair is not None
    pages = [
        ("My work, 50 rows", reverse("workspace:my_work"), officer),
        ("My work, 25 rows", reverse("workspace:my_work") + "?size=25", officer),
        ("My work, the team's first page", reverse("workspace:my_work") + "?scope=team", officer),
        (
            "My work, overdue in the team",
            reverse("workspace:my_work") + "?scope=team&due=overdue",
            officer,
        ),
        (
            f"the whole picture of a household with {args.household_cases} cases",
            reverse("workspace:household", args=[tenancy.pk]),
            officer,
        ),
        ("the enquiry queue, 50 rows", reverse("admin:enquiries_enquiry_changelist"), officer),
        (
            "the enquiry queue, 25 rows",
            reverse("admin:enquiries_enquiry_changelist") + "?rows=25",
            officer,
        ),
        ("the repair queue, 50 rows", reverse("admin:repairs_repair_changelist"), officer),
        (
            "the repair queue, 25 rows",
            reverse("admin:repairs_repair_changelist") + "?rows=25",
            officer,
        ),
        (
            "an enquiry's admin page",
            reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]),
            officer,
        ),
        (
            "a repair's admin page",
            reverse("admin:repairs_repair_change", args=[repair.pk]),
            officer,
        ),
        ("the manager dashboard", reverse("performance:dashboard"), manager),
    ]
    signed_in = {officer.pk: client}
    manager_client = Client()
    manager_client.force_login(manager)
    signed_in[manager.pk] = manager_client
    for name, url, user in pages:

        def get(url=url, client=signed_in[user.pk]):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        cpu = time.process_time()
        median, worst, response = timed(get, repeat=args.repeat)
        cpu = (time.process_time() - cpu) / (args.repeat + 2)  # timed() warms up twice
        print(
            f"workspace: page {name}: median {ms(median)} (worst {ms(worst)}), "
            f"{count_queries(get)} queries, {len(response.content) // 1024} KiB; "
            f"CPU a request {ms(cpu)}"
        )

    if args.gunicorn:
        _through_gunicorn(pages, {u.pk: _session_cookie(u) for u in (officer, manager)}, args)


def _through_gunicorn(pages, cookies: dict, args) -> None:
    """Each page through gunicorn (DEBUG off, static files collected), one request at a time
    after 5 warm-up requests: p50 and p95."""
    import http.client

    from repairs_bench import HOST, Gunicorn, free_port, percentile

    port = free_port()
    server = Gunicorn(args.workers, port)
    try:
        print(f"workspace: gunicorn with {args.workers} sync workers, DEBUG off")
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        for name, url, user in pages:
            times = []
            for n in range(5 + args.requests):
                if n == 5:
                    cpu_before = _cpu_seconds(_children(server.process.pid))
                    db_before = _database_cpu()
                start = time.perf_counter()
                connection.request("GET", url, headers={"Cookie": cookies[user.pk]})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{url} answered {response.status} through gunicorn")
                if n >= 5:
                    times.append(time.perf_counter() - start)
            cpu = (_cpu_seconds(_children(server.process.pid)) - cpu_before) / len(times)
            db = _database_cpu_since(db_before) / len(times)
            print(
                f"workspace: gunicorn {name}: p50 {ms(statistics.median(times))}, "
                f"p95 {ms(percentile(times, 0.95))} over {len(times)} requests; "
                f"CPU a request: gunicorn {ms(cpu)} + database {ms(db)}; "
                f"load {os.getloadavg()[0]:.1f}"
            )
    finally:
        server.stop()


def _children(pid: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is the gunicorn master."""
    from pathlib import Path

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by these processes, from /proc: what a request
    costs apart from waiting for a core on a loaded machine."""
    return sum(_cpu_by_process(pids).values())


def _cpu_by_process(pids: list[int]) -> dict[int, float]:
    from pathlib import Path

    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def _database_cpu() -> dict[int, float]:
    """CPU time used so far by each PostgreSQL backend serving this database, other than the
    script's own (the database runs on this machine, and no one else uses the benchmark
    database while it runs)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return _cpu_by_process(pids)


def _database_cpu_since(before: dict[int, float]) -> float:
    """What the backends used since ``before``; one that began since counts from its start (a
    worker reconnects when its kept connection expires), one that ended is not counted."""
    return sum(used - before.get(pid, 0.0) for pid, used in _database_cpu().items())


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _bench_user(name: str, *, roles: tuple[str, ...]):
    """A member of staff with ``roles`` (group names) and an authenticator (the admin asks)."""
    from allauth.mfa.models import Authenticator

    from accounts.models import User

    user, _ = User.objects.get_or_create(
        email=f"{name}@workspace-bench.example", defaults={"is_staff": True}
    )
    _with_roles(user, roles)
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def _with_roles(user, roles: tuple[str, ...]) -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    user.groups.add(*Group.objects.filter(name__in=roles))
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )


def _team_ids(user) -> list[int]:
    from workspace.selectors import my_team_ids

    return my_team_ids(user)


def _open_count(*, officer=None, team_ids=None) -> int:
    from enquiries.models import Enquiry
    from repairs.models import Repair

    total = 0
    for model in (Enquiry, Repair):
        cases = model.objects.filter(closed_at__isnull=True)
        if officer is not None:
            cases = cases.filter(assignee=officer)
        if team_ids is not None:
            cases = cases.filter(team_id__in=team_ids)
        total += cases.count()
    return total


def _arrange_caseload(caseload: int, team_size: int, *, team):
    """The busiest bulk officer, holding ``caseload`` open cases (half enquiries, half repairs),
    in teams holding ``team_size`` open cases (half of each): arranged once, then found again."""
    from django.db import transaction
    from django.db.models import Count

    from accounts.models import User
    from casework.models import Team
    from enquiries.models import Enquiry
    from kernel.roles import Role
    from repairs.models import Repair

    busiest = (
        Enquiry.objects.filter(closed_at__isnull=True, assignee__isnull=False)
        .values("assignee")
        .annotate(open=Count("pk"))
        .order_by("-open")
        .first()
    )
    if busiest is None:
        raise SystemExit("No open assigned cases: run manage.py seed_bulk first.")
    officer = User.objects.get(pk=busiest["assignee"])
    _with_roles(officer, (Role.CUSTOMER_SERVICES.label, Role.REPAIRS.label))
    if _open_count(officer=officer) == caseload:
        return officer
    repairs_team = Team.objects.get(role=Role.REPAIRS, name="Repairs")
    half = caseload // 2
    with transaction.atomic():
        # The officer's own: half enquiries, half repairs (open repairs in the repairs team).
        mine = Enquiry.objects.filter(assignee=officer, closed_at__isnull=True).order_by("pk")
        Enquiry.objects.filter(pk__in=mine.values("pk")[half:]).update(assignee=None)
        Repair.objects.filter(closed_at__isnull=True).update(team=repairs_team)
        Repair.objects.filter(
            pk__in=Repair.objects.filter(closed_at__isnull=True, assignee__isnull=True)
            .order_by("pk")
            .values("pk")[: caseload - min(half, mine.count())]
        ).update(assignee=officer)
        # Their teams' open cases: half enquiries, half repairs, the officer's among them;
        # the rest of the open cases are left in no team.
        team_ids = _team_ids(officer)
        for model in (Enquiry, Repair):
            in_teams = model.objects.filter(closed_at__isnull=True, team_id__in=team_ids)
            keep = in_teams.filter(assignee=officer).count()
            others = in_teams.exclude(assignee=officer).order_by("pk").values("pk")
            model.objects.filter(pk__in=others[team_size // 2 - keep :]).update(team=None)
    return officer


def _busy_household(count: int, *, team):
    """The first bulk household, given ``count`` enquiries of its own once: every other one open
    with a running ``enquiry.respond`` clock, the rest closed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from enquiries.models import Enquiry, EnquiryStatus
    from sla import calendar
    from sla.models import Commitment, Deadline
    from tenancy.models import Tenancy

    tenancy = Tenancy.objects.order_by("pk").first()
    mine = Enquiry.objects.filter(tenancy=tenancy, reference__startswith=HOUSEHOLD_PREFIX)
    if mine.count() >= count:
        return tenancy
    customer = tenancy.customers.order_by("pk").first()
    respond = Commitment.objects.get(code="enquiry.respond")
    now = timezone.now()
    with transaction.atomic():
        made = Enquiry.objects.bulk_create(
            Enquiry(
                reference=f"{HOUSEHOLD_PREFIX}{tenancy.pk}-{n}"[:20],
                customer=customer,
                tenancy=tenancy,
                property_id=tenancy.property_id,
                status=EnquiryStatus.RECEIVED if n % 2 else EnquiryStatus.CLOSED,
                team=team,
                opened_at=now - dt.timedelta(days=n),
                closed_at=None if n % 2 else now - dt.timedelta(days=n) + dt.timedelta(hours=5),
                next_due_at=(
                    calendar.due_at("working_days", 10, now - dt.timedelta(days=n % 14))
                    if n % 2
                    else None
                ),
                subject=f"Question {n} from a busy household",
                details="Bench data.",
            )
            for n in range(count)
        )
        content_type = ContentType.objects.get_for_model(Enquiry)
        Deadline.objects.bulk_create(
            Deadline(
                content_type=content_type,
                object_id=case.pk,
                commitment=respond,
                clock="working_days",
                amount=10,
                started_at=case.opened_at,
                original_due_at=case.next_due_at,
                due_at=case.next_due_at,
            )
            for case in made
            if case.closed_at is None
        )
    return tenancy


if __name__ == "__main__":
    main()
