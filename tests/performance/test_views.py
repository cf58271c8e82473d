"""The manager dashboard page and its CSV export: who may see them, what they show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.services import rollups_refresh
from tests.performance.factories import CommitmentFactory, DeadlineFactory, EnquiryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)  # Wednesday, GMT
DASHBOARD = reverse("performance:dashboard")
EXPORT = reverse("performance:export_csv")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def commitment():
    return CommitmentFactory(
        code="test.respond", title="Respond to a test contact", target_percent=Decimal("80")
    )


def make_deadlines(commitment, count: int, *, case=None):
    """``count`` deadlines over the last five weeks: two in three met on time, the rest late,
    every fifth breached and still open."""
    case = case or EnquiryFactory()
    for n in range(count):
        due = utc(2026, 10, 21, 16) + dt.timedelta(hours=17 * n)
        met = None if n % 5 == 4 else due + dt.timedelta(hours=-2 if n % 3 else 5)
        breached = due + dt.timedelta(minutes=1) if met is None or met > due else None
        DeadlineFactory(
            commitment=commitment,
            case=case,
            started_at=due - dt.timedelta(days=3),
            due_at=due,
            met_at=met,
            breached_at=breached,
        )


def _row_cells(page: str, window: str, code: str) -> list[str]:
    """The text of a commitment's cells in one window's table."""
    table = re.search(
        rf'<table class="govuk-table"[^>]* data-window="{window}">(.*?)</table>', page, re.S
    ).group(1)
    row = re.search(
        rf'<tr class="govuk-table__row" data-commitment="{re.escape(code)}">(.*?)'
        r"</tr>",
        table,
        re.S,
    ).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


# --- who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_a_manager_gets_the_page(manager_client, url):
    assert manager_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_staff_without_the_manager_role_get_403(client, repairs_officer, url):
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_a_customer_gets_403(client_a, url):
    assert client_a.get(url).status_code == 403


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_post_is_not_allowed(manager_client, url):
    assert manager_client.post(url).status_code == 405


# --- what it shows -------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_each_window_for_each_commitment(manager_client, commitment):
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 23, 9),
        due_at=utc(2026, 11, 24, 9),
        met_at=utc(2026, 11, 23, 15),
    )
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 2, 9),
        due_at=utc(2026, 11, 5, 9),
        breached_at=utc(2026, 11, 5, 9, 1),
    )
    page = manager_client.get(DASHBOARD).content.decode()
    week = _row_cells(page, "week", "test.respond")
    assert week == ["1", "1", "1", "100.0%", "80%", "On target"]
    assert _row_cells(page, "last_30_days", "test.respond") == [
        "2",
        "2",
        "1",
        "50.0%",
        "80%",
        "Below target",
    ]
    assert "This reporting year (2026 to 2027): from Wednesday 1 April 2026 to now" in page
    assert '<th scope="row" class="govuk-table__header">Respond to a test contact</th>' in page


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_lists_breaches_with_links_into_the_admin(manager_client, commitment):
    enquiry = EnquiryFactory()
    DeadlineFactory(
        commitment=commitment,
        case=enquiry,
        started_at=utc(2026, 11, 2, 9),
        due_at=utc(2026, 11, 5, 9),
        breached_at=utc(2026, 11, 5, 9, 1),
    )
    page = manager_client.get(DASHBOARD).content.decode()
    link = reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])
    assert f'<a class="govuk-link" href="{link}">{enquiry.reference}</a>' in page


@time_machine.travel(NOW, tick=False)
def test_the_page_has_no_inline_style_or_script(manager_client, commitment):
    make_deadlines(commitment, 10)
    page = manager_client.get(DASHBOARD).content.decode()
    assert "style=" not in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert re.search(r"\son[a-z]+=", page) is None


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_query_count_does_not_grow_with_the_deadlines(
    manager_client, django_assert_max_num_queries
):
    small, large = CommitmentFactory(code="test.small"), CommitmentFactory(code="test.large")
    make_deadlines(small, 5)
    rollups_refresh()
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(DASHBOARD).status_code == 200
    make_deadlines(large, 50, case=EnquiryFactory())
    make_deadlines(small, 45, case=EnquiryFactory())
    rollups_refresh()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert manager_client.get(DASHBOARD).status_code == 200
    # The figures are kept for a minute: count a fresh reading of them.
    with (
        time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False),
        CaptureQueriesContext(connection) as many,
    ):
        manager_client.get(DASHBOARD)
    assert len(many.captured_queries) == len(few.captured_queries)
    # Session, user and roles, then the dashboard's own reads, then the ASB measures (homes,
    # cases, reports made without signing in, clocks), the rent measures (3), the building
    # safety measures (5: BS01-BS05 in 3, the overdue counts, the no-access pipeline) and the
    # lettings measures (5).
    assert len(few.captured_queries) <= 17 + 4 + 3 + 5 + 5


@time_machine.travel(NOW, tick=False)
def test_managers_opening_the_dashboard_in_turn_share_one_reading_of_the_deadlines(
    manager_client, commitment, django_assert_max_num_queries
):
    make_deadlines(commitment, 10)
    rollups_refresh()
    first = manager_client.get(DASHBOARD).content.decode()

    with CaptureQueriesContext(connection) as again:
        second = manager_client.get(DASHBOARD).content.decode()

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", second) == token.sub("", first)
    assert not [q for q in again.captured_queries if "sla_deadline" in q["sql"]]
    # Session (from the database when no cache holds it), user, authenticator and roles, and the
    # rollups' watermark.
    with django_assert_max_num_queries(5):
        manager_client.get(DASHBOARD)


@time_machine.travel(NOW, tick=False)
def test_a_rollup_refresh_shows_new_figures_at_once(manager_client, commitment):
    make_deadlines(commitment, 10)
    rollups_refresh()
    before = manager_client.get(DASHBOARD).content.decode()
    make_deadlines(commitment, 7, case=EnquiryFactory())

    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):
        rollups_refresh()
        after = manager_client.get(DASHBOARD).content.decode()

    assert after != before


# --- the weekly trend ----------------------------------------------------------------------


def _chart_and_table(page: str):
    bars = dict(
        re.findall(
            r'<rect class="portal-chart__bar"[^>]*data-week="([\d-]+)" '
            r'data-due="(\d+)"',
            page,
        )
    )
    points = dict(
        re.findall(
            r'<circle class="portal-chart__point"[^>]*data-week="([\d-]+)" '
            r'data-percent="([\d.]+)"',
            page,
        )
    )
    table = {}
    for week, due, _on_time, percent in re.findall(
        r'<tr class="govuk-table__row" data-week="([\d-]+)">.*?'
        r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(.*?)</td>",
        page,
        re.S,
    ):
        table[week] = (due, percent.rstrip("%") if percent.endswith("%") else None)
    return bars, points, table


@time_machine.travel(NOW, tick=False)
def test_the_chart_and_its_table_show_the_same_numbers(manager_client, commitment):
    make_deadlines(commitment, 40)
    page = manager_client.get(DASHBOARD).content.decode()
    bars, points, table = _chart_and_table(page)
    assert len(bars) == len(table) == 12
    assert bars == {week: due for week, (due, _) in table.items()}
    assert points == {week: pct for week, (_, pct) in table.items() if pct is not None}
    # 40 deadlines, one every 17 hours from 21 October: all due and finished by now.
    assert sum(int(due) for due in bars.values()) == 40
    assert len(points) >= 5
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-chart-title trend-chart-desc"' in svg
    assert '<desc id="trend-chart-desc">Deadlines due each week' in svg


@time_machine.travel(NOW, tick=False)
def test_the_trend_can_show_one_commitment(manager_client, commitment):
    make_deadlines(commitment, 10)
    other = CommitmentFactory(code="test.other", title="Another promise")
    make_deadlines(other, 6)
    page = manager_client.get(DASHBOARD, {"commitment": "test.other"}).content.decode()
    bars, _, _ = _chart_and_table(page)
    assert sum(int(due) for due in bars.values()) == 6
    assert "Weekly trend: Another promise (target 90%)" in page
    assert 'data-target="90.00"' in page


@time_machine.travel(NOW, tick=False)
def test_an_unknown_commitment_shows_an_error_and_the_whole_trend(manager_client, commitment):
    make_deadlines(commitment, 10)
    response = manager_client.get(DASHBOARD, {"commitment": "no.such.thing"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Select a commitment from the list" in page
    assert "<title>Error: Performance against our commitments" in page
    assert "Weekly trend: all commitments" in page


# --- the CSV export ------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@time_machine.travel(NOW, tick=False)
def test_the_export_holds_every_window_of_every_commitment(manager_client, commitment):
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 23, 9),
        due_at=utc(2026, 11, 24, 9),
        met_at=utc(2026, 11, 23, 15),
    )
    DeadlineFactory(
        commitment=commitment,
        started_at=utc(2026, 11, 2, 9),
        due_at=utc(2026, 11, 5, 9),
        breached_at=utc(2026, 11, 5, 9, 1),
    )
    response = manager_client.get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="commitment-performance-2026-11-25.csv"'
    )
    header, *lines = _csv(response)
    assert header[:8] == [
        "Commitment code",
        "Commitment",
        "Target % met on time",
        "This week: cases started",
        "This week: due and finished",
        "This week: met on time",
        "This week: % met on time",
        "This week: on target",
    ]
    assert header[-4:] == ["Open now", "Due today", "Overdue now", "Breached and still open"]
    line = next(line for line in lines if line[0] == "test.respond")
    assert dict(zip(header, line, strict=True)) == {
        "Commitment code": "test.respond",
        "Commitment": "Respond to a test contact",
        "Target % met on time": "80",
        "This week: cases started": "1",
        "This week: due and finished": "1",
        "This week: met on time": "1",
        "This week: % met on time": "100.0",
        "This week: on target": "yes",
        "Last 30 days: cases started": "2",
        "Last 30 days: due and finished": "2",
        "Last 30 days: met on time": "1",
        "Last 30 days: % met on time": "50.0",
        "Last 30 days: on target": "no",
        "This reporting year (2026 to 2027): cases started": "2",
        "This reporting year (2026 to 2027): due and finished": "2",
        "This reporting year (2026 to 2027): met on time": "1",
        "This reporting year (2026 to 2027): % met on time": "50.0",
        "This reporting year (2026 to 2027): on target": "no",
        "Open now": "1",
        "Due today": "0",
        "Overdue now": "1",
        "Breached and still open": "1",
    }


@time_machine.travel(NOW, tick=False)
def test_the_export_neutralises_spreadsheet_formulas(manager_client):
    titles = ['=HYPERLINK("http://evil.example")', "+44 line", "-1+2", "@SUM(A1)", "\tTab"]
    for n, title in enumerate(titles):
        CommitmentFactory(code=f"test.formula{n}", title=title)
    CommitmentFactory(code="=cmd|' /C calc'!A0", title="Plain title")
    lines = _csv(manager_client.get(EXPORT))
    exported = {line[1] for line in lines[1:]}
    for title in titles:
        assert f"'{title}" in exported
        assert title not in exported
    assert next(line[:2] for line in lines if line[1] == "Plain title") == [
        "'=cmd|' /C calc'!A0",
        "Plain title",
    ]
