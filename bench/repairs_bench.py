"""Time the repairs service at volume, through gunicorn, and print one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench_repairs \\
        .venv/bin/python bench/repairs_bench.py

on a database loaded with ``seed_bulk --homes 100000`` and ``seed_bulk_repairs --repairs
1000000``. It measures:

- the customer's repairs page and a repair's page: queries per page (in process), latency of
  single requests through gunicorn (p50, p95), and throughput under load (wrk if installed,
  otherwise a thread pool);
- the staff queue (admin changelist, first page, one trade, due order) and a repair's admin
  page: latency through gunicorn, queries, and that no COUNT(*) runs without a LIMIT;
- 50 customers reporting a repair at once through every page of the report, each pressing
  "Send report" twice: errors, repairs made, p95 of every request and of the final submit.

It gives a sample of bulk customers portal logins and sessions (emails ``@repairs-bench.example``,
kept for the next run), collects static files into STATIC_ROOT (gunicorn serves the portal as in
production, DEBUG off), and leaves the 50 reported repairs in the database.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

# In process (query counts) the portal runs as `make run` does; gunicorn gets DEBUG off.
os.environ.setdefault("DEBUG", "true")
# Messages are queued for Celery on commit, as in production: to Redis (a database of the
# bench's own, emptied at the end; no worker runs, so nothing is sent).
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
# Sessions made here are signed with the key gunicorn uses.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_COOKIES_AND_TLS", "false")

from _setup import ROOT, database_label, ms, setup_django  # noqa: E402

HOST = "127.0.0.1"
BENCH_DOMAIN = "repairs-bench.example"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- preparing logins -------------------------------------------------------------------------


def prepare_customers(count: int) -> list[tuple[str, list[str]]]:
    """(session key, the household's repair references) for ``count`` bulk
    customers that have repairs, each given a portal login and a signed-in session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from accounts.models import User
    from repairs.models import Repair
    from tenancy.models import Customer

    password = make_password(None)
    with transaction.atomic():
        existing = list(
            Customer.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}").select_related(
                "user"
            )[:count]
        )
        wanted = count - len(existing)
        if wanted > 0:
            fresh = list(
                Customer.objects.filter(
                    user__isnull=True,
                    tenancy__property__tenure="general_needs",
                    household_role="lead_tenant",
                ).order_by("?")[:wanted]
            )
            users = User.objects.bulk_create(
                [User(email=f"customer{c.pk}@{BENCH_DOMAIN}", password=password) for c in fresh]
            )
            for customer, user in zip(fresh, users, strict=True):
                customer.user = user
            Customer.objects.bulk_update(fresh, ["user"])
            existing += fresh
    repairs: dict[int, list[str]] = {}
    for tenancy_id, reference in Repair.objects.filter(
        tenancy_id__in=[c.tenancy_id for c in existing]
    ).values_list("tenancy_id", "reference"):
        repairs.setdefault(tenancy_id, []).append(reference)
    sessions = []
    for customer in existing:
        user = customer.user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((session.session_key, repairs.get(customer.tenancy_id, [])))
    return [(key, refs) for key, refs in sessions if refs]


def prepare_staff() -> tuple[str, object]:
    """A repairs officer with an authenticator (the admin demands one) and a session."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    user, _ = User.objects.get_or_create(
        email=f"officer@{BENCH_DOMAIN}", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Repairs"))
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, user


# --- queries, in process ----------------------------------------------------------------------


def queries_per_page(customers, staff_user) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def count(client, path) -> tuple[int, int, list[str]]:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        return response.status_code, len(captured), [q["sql"] for q in captured]

    session_key, references = customers[0]
    client = Client()
    client.cookies["sessionid"] = session_key
    few = count(client, "/repairs/")
    one = count(client, f"/repairs/{references[0]}/")
    many_key, many_refs = max(customers, key=lambda c: len(c[1]))
    client.cookies["sessionid"] = many_key
    most = count(client, "/repairs/")
    print(
        f"repairs: queries, repairs page: {few[1]} (household with {len(references)} "
        f"repairs), {most[1]} (household with {len(many_refs)})"
    )
    print(f"repairs: queries, a repair's page: {one[1]}")
    staff = Client()
    staff.force_login(staff_user)
    status, queue_queries, sqls = count(staff, "/admin/repairs/repair/?trade__exact=plumbing")
    counts = [s for s in sqls if "COUNT(" in s.upper()]
    unbounded = [s for s in counts if "LIMIT" not in s.upper()]
    print(
        f"repairs: queries, staff queue (plumbing, due order): {queue_queries}, "
        f"COUNT queries {len(counts)}, without LIMIT {len(unbounded)} (status {status})"
    )


# --- gunicorn ---------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, workers: int, port: int):
        self.port = port
        env = {
            **os.environ,
            "DEBUG": "false",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_COOKIES_AND_TLS": "false",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [
                gunicorn or "gunicorn",
                "portal.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=2)
                connection.request("GET", "/")
                response = connection.getresponse()
                response.read()
                if "gunicorn" in (response.getheader("Server") or ""):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - start


def single_requests(port: int, label: str, requests: list[tuple[str, str]]) -> None:
    """One request at a time (p50 and p95 latency as a customer alone would see it)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    for path, cookie in requests[:20]:
        get(connection, path, cookie)
    times, statuses = [], set()
    for path, cookie in requests:
        status, seconds = get(connection, path, cookie)
        statuses.add(status)
        times.append(seconds)
    print(
        f"repairs: {label}: p50 {ms(statistics.median(times))}, p95 "
        f"{ms(percentile(times, 0.95))} over {len(times)} single requests "
        f"(statuses {sorted(statuses)})"
    )


class CpuMeter:
    """CPU seconds used by gunicorn (master and workers), by PostgreSQL (every server process,
    the backends serving gunicorn included) and by the whole machine, from /proc: on a shared
    machine the throughput depends on what else runs, the CPU time per request does not.

    A process that ends during the run (a database connection closed at its maximum age, say)
    still counts: its time is added to its parent's "children" time when it is reaped, and each
    tree is read as its root's own and children's time plus that of its live descendants.
    """

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.database_pid = _postmaster_pid()
        self.tick = os.sysconf("SC_CLK_TCK")

    def _stat(self, pid: int) -> list[str]:
        # Fields after the command name, which may contain spaces: state, ppid, ...
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    def _tree(self, root: int | None) -> float:
        if root is None:
            return 0.0
        parents: dict[int, int] = {}
        times: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = self._stat(int(entry.name))
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            # utime + stime, and for the root also cutime + cstime (reaped children).
            times[int(entry.name)] = int(fields[11]) + int(fields[12])
            if int(entry.name) == root:
                times[root] += int(fields[13]) + int(fields[14])
        total = 0
        for pid, used in times.items():
            ancestor = pid
            while ancestor not in (root, 0, 1) and ancestor in parents:
                ancestor = parents[ancestor]
            if ancestor == root:
                total += used
        return total / self.tick

    def _machine(self) -> float:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return (sum(fields[:8]) - idle) / self.tick

    def read(self) -> tuple[float, float, float, float]:
        return (
            self._tree(self.server_pid),
            self._tree(self.database_pid),
            self._machine(),
            time.monotonic(),
        )


def _postmaster_pid() -> int | None:
    """PostgreSQL's server process, from its pid file (None if this user cannot read it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        folder = cursor.fetchone()[0]
    try:
        return int((Path(folder) / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def load(
    port: int,
    label: str,
    requests: list[tuple[str, str]],
    seconds: int,
    connections: int,
    meter: CpuMeter,
) -> None:
    """Throughput with ``connections`` clients at once: wrk when installed."""
    wrk = shutil.which("wrk")
    before = meter.read()
    if wrk:
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "requests.tsv"
            listing.write_text("".join(f"{path}\t{cookie}\n" for path, cookie in requests))
            script = Path(folder) / "rotate.lua"
            script.write_text(WRK_SCRIPT)
            result = subprocess.run(  # noqa: S603 - fixed arguments
                [
                    wrk,
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "-s",
                    str(script),
                    f"http://{HOST}:{port}",
                    "--",
                    str(listing),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
        after = meter.read()
        served = int(re.search(r"(\d+) requests in", result.stdout)[1])
        rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        summary = re.search(
            r"latency p50 ([\d.]+) p95 ([\d.]+) p99 ([\d.]+) errors (\d+)", result.stdout
        )
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
        print(
            f"repairs: {label}: {float(rate[1]):.0f} requests/s with {connections} "
            f"connections for {seconds} s (wrk); latency p50 {summary[1]} ms, p95 "
            f"{summary[2]} ms, p99 {summary[3]} ms; socket errors {summary[4]}, "
            f"non-2xx {non_2xx[1] if non_2xx else 0}"
        )
        print_cpu(label, before, after, served)
        return
    stop_at = time.perf_counter() + seconds
    done, failures = [], []

    def worker(n: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        i = n
        while time.perf_counter() < stop_at:
            path, cookie = requests[i % len(requests)]
            status, elapsed = get(connection, path, cookie)
            (done if status == 200 else failures).append(elapsed)
            i += connections

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print_cpu(label, before, meter.read(), len(done) + len(failures))
    print(
        f"repairs: {label}: {len(done) / seconds:.0f} requests/s with {connections} "
        f"connections for {seconds} s (threads); p50 {ms(statistics.median(done))}; "
        f"failures {len(failures)}"
    )


def print_cpu(label: str, before, after, served: int) -> None:
    web, database = (later - earlier for earlier, later in zip(before[:2], after[:2], strict=True))
    machine, wall = after[2] - before[2], after[3] - before[3]
    cores = os.cpu_count() or 1
    per_request = (web + database) / max(served, 1)
    others = max(machine - web - database, 0) / (wall * cores)
    print(
        f"repairs: {label}: CPU per request {web / max(served, 1) * 1000:.1f} ms in gunicorn + "
        f"{database / max(served, 1) * 1000:.1f} ms in PostgreSQL; meanwhile the load "
        f"generator and other processes used {others:.0%} of the {cores} cores; with the "
        f"{cores} cores to itself that is about {cores / per_request:.0f} requests/s"
    )


WRK_SCRIPT = r"""
local requests = {}
local counter = 0
local errors = 0
function init(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("([^\t]+)\t(.+)")
    requests[#requests + 1] = wrk.format("GET", path, {["Cookie"] = cookie})
  end
  counter = math.random(#requests)
end
function request()
  counter = counter % #requests + 1
  return requests[counter]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("latency p50 %.2f p95 %.2f p99 %.2f errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout))
end
"""


# --- 50 customers reporting at once -----------------------------------------------------------


class Browser:
    """Just enough of a browser: one connection, the session and CSRF cookies, form posts."""

    def __init__(self, port: int, session_key: str):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies = {"sessionid": session_key}
        self.times: list[float] = []
        self.csrf = ""

    def _send(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": self.csrf}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        self.times.append(time.perf_counter() - start)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status}")
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> str:
        _status, _location, text = self._send("GET", path)
        found = CSRF_RE.search(text)
        if found:
            self.csrf = found[1]
        return text

    def post(self, path: str, body: dict, expect: str) -> float:
        status, location, _text = self._send("POST", path, body)
        if status != 302 or not location.startswith(expect):
            raise RuntimeError(f"POST {path}: {status} to {location!r}, expected {expect}")
        return self.times[-1]


def report_once(
    port: int, session_key: str, start: threading.Barrier, submit: threading.Barrier
) -> dict:
    """One customer's whole report. All start together; then all press "Send report" at the
    same moment (the second barrier), twice, as an impatient double click would."""
    browser = Browser(port, session_key)
    try:
        browser.get("/repairs/report/")
        start.wait()
        browser.post("/repairs/report/", {}, "/repairs/report/emergency/")
        browser.get("/repairs/report/emergency/")
        browser.post("/repairs/report/emergency/", {"emergency": "none"}, "/repairs/report/where/")
        browser.get("/repairs/report/where/")
        browser.post("/repairs/report/area/", {"area": "kitchen"}, "/repairs/report/problem/")
        browser.post(
            "/repairs/report/problem/", {"item": "kitchen.units"}, "/repairs/report/details/"
        )
        browser.post(
            "/repairs/report/details/",
            {"description": "Cupboard door off its hinge."},
            "/repairs/report/photos/",
        )
        browser.post("/repairs/report/photos/", {"continue": "1"}, "/repairs/report/appointment/")
        page = browser.get("/repairs/report/appointment/")
        slots = re.findall(r'name="slot"[^>]*value="(\d+)"', page)
        choice = random.choice(slots) if slots and random.random() < 0.5 else "later"  # noqa: S311
        _status, location, _ = browser._send(
            "POST", "/repairs/report/appointment/", {"slot": choice}
        )
        if location.endswith("/report/appointment/"):  # the slot filled meanwhile: later
            browser.post(
                "/repairs/report/appointment/", {"slot": "later"}, "/repairs/report/check/"
            )
        token = TOKEN_RE.search(browser.get("/repairs/report/check/"))[1]
        flow = list(browser.times)
        submit.wait()
    except Exception:
        start.abort()
        submit.abort()
        raise
    _status, location, _ = browser._send(
        "POST", "/repairs/report/check/", {"idempotency_key": token}
    )
    first = browser.times[-1]
    taken = location.endswith("/report/appointment/")
    if taken:
        # Another customer took the last place in the chosen slot: the report is kept and the
        # customer chooses again (here: "later"), then sends it.
        browser.post("/repairs/report/appointment/", {"slot": "later"}, "/repairs/report/check/")
        token = TOKEN_RE.search(browser.get("/repairs/report/check/"))[1]
        browser.post("/repairs/report/check/", {"idempotency_key": token}, "/repairs/report/sent/")
    elif not location.startswith("/repairs/report/sent/"):
        raise RuntimeError(f"POST /repairs/report/check/: to {location!r}")
    second = browser.post(
        "/repairs/report/check/", {"idempotency_key": token}, "/repairs/report/sent/"
    )
    return {"times": flow, "submits": [first, second], "slot_taken": taken}


def concurrent_reports(port: int, customers, count: int) -> None:
    from repairs.models import Repair

    before = Repair.objects.count()
    start, submit = threading.Barrier(count, timeout=300), threading.Barrier(count, timeout=300)
    results, errors = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        futures = [
            pool.submit(report_once, port, customers[n][0], start, submit) for n in range(count)
        ]
        for future in futures:
            try:
                results.append(future.result())
            except Exception as exc:  # noqa: BLE001 - every failure is a figure to report
                errors.append(repr(exc))
    made = Repair.objects.count() - before
    times = [t for r in results for t in r["times"]]
    submits = [t for r in results for t in r["submits"]]
    print(
        f"repairs: {count} customers walking the report pages at once: {len(errors)} errors; "
        f"p50 {ms(statistics.median(times))}, p95 {ms(percentile(times, 0.95))} over "
        f"{len(times)} requests"
    )
    print(
        f"repairs: {count} customers pressing 'Send report' at the same moment, twice each: "
        f"{made} repairs made ({sum(r['slot_taken'] for r in results)} sent back to choose "
        f"again: their slot filled meanwhile); submit p50 {ms(statistics.median(submits))}, p95 "
        f"{ms(percentile(submits, 0.95))}, max {ms(max(submits))}"
    )
    for error in errors[:5]:
        print(f"repairs:   error: {error}")


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--single", type=int, default=400, help="single requests per page")
    args = parser.parse_args()
    setup_django()

    from django.utils.crypto import get_random_string

    from repairs.models import Repair

    total = Repair.objects.count()
    open_repairs = Repair.objects.filter(closed_at__isnull=True).count()
    print(f"repairs: database {database_label()} holds {total} repairs, {open_repairs} open")
    customers = prepare_customers(args.customers)
    staff_session, staff_user = prepare_staff()
    print(
        f"repairs: {len(customers)} customers signed in for the run, "
        f"{sum(len(c[1]) for c in customers)} of their repairs"
    )
    queries_per_page(customers, staff_user)

    rng = random.Random(2026)
    # As a browser sends them after its first page: the session and the CSRF cookie (without
    # it, every response would mint and set a new CSRF token, which no real visit does).
    cookies = {
        key: f"sessionid={key}; csrftoken={get_random_string(32)}" for key, _refs in customers
    }
    list_requests = [("/repairs/", cookies[key]) for key, _refs in customers]
    detail_requests = [
        (f"/repairs/{rng.choice(refs)}/", cookies[key]) for key, refs in customers for _ in range(3)
    ]
    rng.shuffle(detail_requests)
    trades = ["plumbing", "carpentry", "electrical", "heating", "damp", "glazing"]
    queue_requests = [
        (f"/admin/repairs/repair/?trade__exact={t}", f"sessionid={staff_session}") for t in trades
    ] * 10
    sample = list(
        Repair.objects.filter(closed_at__isnull=True)
        .order_by("?")
        .values_list("pk", flat=True)[:60]
    )
    admin_requests = [
        (f"/admin/repairs/repair/{pk}/change/", f"sessionid={staff_session}") for pk in sample
    ]

    port = args.port or free_port()
    server = Gunicorn(args.workers, port)
    meter = CpuMeter(server.process.pid)
    try:
        print(
            f"repairs: gunicorn with {args.workers} sync workers on {os.cpu_count()} cores, "
            f"DEBUG off"
        )
        # The floor: a signed-in customer's page with no data of its own (session, user,
        # customer, base template), for comparison with the two repairs pages.
        load(
            port,
            "baseline: accessibility statement, signed in",
            [("/accessibility/", cookie) for _path, cookie in list_requests],
            args.seconds,
            args.connections,
            meter,
        )
        single_requests(port, "repairs page (customer)", (list_requests * 2)[: args.single])
        single_requests(port, "a repair's page (customer)", detail_requests[: args.single])
        load(
            port,
            "repairs page (customer) under load",
            list_requests,
            args.seconds,
            args.connections,
            meter,
        )
        load(
            port,
            "a repair's page (customer) under load",
            detail_requests,
            args.seconds,
            args.connections,
            meter,
        )
        single_requests(port, "staff queue, first page, one trade, due order", queue_requests)
        single_requests(port, "a repair's admin page", admin_requests)
        concurrent_reports(port, customers, min(50, len(customers)))
    finally:
        server.stop()
        empty_bench_queue()


def empty_bench_queue() -> None:
    """Drop the delivery tasks the run queued: the bench's own Redis database, no worker."""
    import redis

    if os.environ["REDIS_URL"].endswith("/14"):
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


if __name__ == "__main__":
    main()
