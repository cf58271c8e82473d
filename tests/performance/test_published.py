"""The public performance page and its downloads: read by anyone, from the rollups (never
live), counts under 5 withheld, nothing about sensitive cases; and the TSMs as last computed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.urls import reverse

from performance.models import DailyCommitmentRollup, PublishedTsmFigure
from performance.publication import published_performance, suppressed
from performance.services import published_figures_refresh, rollups_refresh
from tests.performance.factories import CommitmentFactory, DeadlineFactory, EnquiryFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)  # last month: October 2026
PAGE = reverse("performance:published")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def clocks(code: str, count: int, *, on_time: int, due: dt.datetime):
    """``count`` clocks of ``code`` started and due around ``due``, ``on_time`` of them met
    in time and the rest late."""
    commitment = CommitmentFactory(code=code)
    case = EnquiryFactory()
    for n in range(count):
        due_at = due + dt.timedelta(hours=n)
        DeadlineFactory(
            commitment=commitment,
            case=case,
            started_at=due_at - dt.timedelta(days=2),
            due_at=due_at,
            met_at=due_at + dt.timedelta(hours=-1 if n < on_time else 3),
            breached_at=None if n < on_time else due_at + dt.timedelta(minutes=1),
        )


@pytest.fixture
def published_month():
    """October: 6 replies (4 on time), 3 acknowledgements, 8 hate crime acknowledgements; one
    more reply in June. Rolled up on 25 November."""
    clocks("enquiry.respond", 6, on_time=4, due=utc(2026, 10, 12, 9))
    clocks("enquiry.respond", 1, on_time=1, due=utc(2026, 6, 10, 9))
    clocks("enquiry.acknowledge", 3, on_time=3, due=utc(2026, 10, 13, 9))
    clocks("asb.hate_crime.acknowledge", 8, on_time=8, due=utc(2026, 10, 14, 9))
    with time_machine.travel(NOW, tick=False):
        rollups_refresh()
        published_figures_refresh()


def _row(page: str, code: str) -> list[str]:
    row = re.search(
        rf'<tr class="govuk-table__row" data-commitment="{re.escape(code)}">(.*?)</tr>', page, re.S
    ).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


@time_machine.travel(NOW, tick=False)
def test_anyone_reads_last_month_and_the_year_to_date(client, published_month):
    page = client.get(PAGE)

    assert page.status_code == 200
    text = page.content.decode()
    assert "October 2026" in text
    # last month: how many, on time; year to date: how many, on time; target
    assert _row(text, "enquiry.respond") == ["6", "66.7%", "7", "71.4%", "95%"]


@time_machine.travel(NOW, tick=False)
def test_counts_under_5_are_withheld(client, published_month):
    text = client.get(PAGE).content.decode()

    assert _row(text, "enquiry.acknowledge") == [
        "fewer than 5",
        "fewer than 5 due",
        "fewer than 5",
        "fewer than 5 due",
        "95%",
    ]


@time_machine.travel(NOW, tick=False)
def test_nothing_about_sensitive_cases_is_published(client, published_month):
    for url in (PAGE, reverse("performance:published_csv"), reverse("performance:published_json")):
        body = client.get(url).content.decode().lower()
        assert "hate crime" not in body
        assert "domestic abuse" not in body
        assert "asb.hate_crime" not in body


@time_machine.travel(NOW, tick=False)
def test_figures_come_from_the_rollups_not_the_live_table(client, published_month):
    clocks("enquiry.respond", 10, on_time=10, due=utc(2026, 10, 20, 9))  # after the rollup

    assert _row(client.get(PAGE).content.decode(), "enquiry.respond")[0] == "6"
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):  # the next refresh
        rollups_refresh(full=True)
        assert _row(client.get(PAGE).content.decode(), "enquiry.respond")[0] == "16"


@time_machine.travel(NOW, tick=False)
def test_the_figures_are_kept_until_the_next_refresh(client, published_month):
    client.get(PAGE)
    clocks("enquiry.respond", 10, on_time=10, due=utc(2026, 10, 20, 9))
    # Rows written straight into the rollups without a refresh are not read: the page is
    # the one the last refresh produced.
    DailyCommitmentRollup.objects.filter(date=dt.date(2026, 10, 12)).update(started=50)
    assert _row(client.get(PAGE).content.decode(), "enquiry.respond")[0] == "6"

    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        published_figures_refresh()  # the nightly TSM refresh also starts afresh
        assert _row(client.get(PAGE).content.decode(), "enquiry.respond")[0] != "6"


@time_machine.travel(NOW, tick=False)
def test_a_kept_page_reads_only_the_refresh_times_and_the_packs(
    client, published_month, django_assert_max_num_queries
):
    client.get(PAGE)

    with django_assert_max_num_queries(2):
        text = client.get(PAGE).content.decode()
    assert _row(text, "enquiry.respond") == ["6", "66.7%", "7", "71.4%", "95%"]


@time_machine.travel(NOW, tick=False)
def test_before_any_rollup_the_page_says_the_figures_are_not_ready(client):
    clocks("enquiry.respond", 6, on_time=4, due=utc(2026, 10, 12, 9))

    text = client.get(PAGE).content.decode()

    assert "not ready yet" in text
    assert 'data-commitment="enquiry.respond"' not in text


@time_machine.travel(NOW, tick=False)
def test_each_area_has_a_chart_with_its_figures_in_a_table(client, published_month):
    text = client.get(PAGE).content.decode()

    chart = re.search(r'<svg[^>]*id="chart-keeping-in-touch".*?</svg>', text, re.S).group(0)
    assert 'role="img"' in chart
    assert 'data-code="enquiry.respond" data-percent="71.4"' in chart
    assert 'data-code="enquiry.acknowledge" data-withheld="true"' in chart
    assert '<table class="govuk-table" data-area="keeping-in-touch" tabindex="0">' in text


@time_machine.travel(NOW, tick=False)
def test_the_page_reads_a_fixed_number_of_queries(
    client, published_month, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(PAGE)


@time_machine.travel(NOW, tick=False)
def test_the_csv_download_withholds_small_counts(client, published_month):
    response = client.get(reverse("performance:published_csv"))

    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_title = {row[1]: row for row in rows[1:] if len(row) > 3}
    respond = next(row for title, row in by_title.items() if "Respond" in title)
    assert respond[3:] == ["6", "6", "66.7", "7", "7", "71.4"]
    acknowledge = next(row for title, row in by_title.items() if "Acknowledge" in title)
    assert acknowledge[3:6] == ["fewer than 5", "fewer than 5", ""]


@time_machine.travel(NOW, tick=False)
def test_the_json_download_gives_null_for_withheld_counts(client, published_month):
    data = json.loads(client.get(reverse("performance:published_json")).content)

    area = next(a for a in data["areas"] if a["area"] == "Keeping in touch")
    by_code = {c["code"]: c for c in area["commitments"]}
    assert by_code["enquiry.respond"]["year_to_date"]["percent_on_time"] == "71.4"
    assert by_code["enquiry.acknowledge"]["last_month"]["clocks_started"] is None
    assert by_code["enquiry.acknowledge"]["last_month"]["note"] == "fewer than 5 due"
    measures = {m["measure"]: m for m in data["tenant_satisfaction_measures"]}
    assert measures["RP01"]["this_year"] == {"figure": None, "status": "not yet recorded"}
    # Recorded, but nobody has answered the survey yet: no figure, and never 0%.
    assert measures["TP01"]["this_year"] == {"figure": None, "status": "none to count"}


@time_machine.travel(NOW, tick=False)
def test_tsms_show_not_yet_recorded_and_withhold_small_counts(client, published_month):
    text = client.get(PAGE).content.decode()
    tsm_row = re.search(r'data-measure="RP01">(.*?)</tr>', text, re.S).group(1)
    assert "not yet recorded" in tsm_row
    # No complaints and no homes: CH01 has nothing to count; nothing is shown as 0%.
    ch02 = PublishedTsmFigure.objects.get(first_year=2026, part="CH02(1)")
    assert ch02.recorded and ch02.figure is None
    ch02.numerator, ch02.denominator, ch02.figure = 3, 40, 7.5
    ch02.computed_at = NOW + dt.timedelta(minutes=1)  # as the next nightly refresh writes it
    ch02.save()
    text = client.get(PAGE).content.decode()
    assert "withheld: fewer than 5 cases" in re.search(
        r'data-measure="CH02\(1\)">(.*?)</tr>', text, re.S
    ).group(1)


def test_the_nightly_refresh_writes_this_year_and_last(db):
    with time_machine.travel(NOW, tick=False):
        written = published_figures_refresh()
        again = published_figures_refresh()

    assert written == again == 52
    assert PublishedTsmFigure.objects.count() == 52
    assert set(PublishedTsmFigure.objects.values_list("first_year", flat=True)) == {2025, 2026}
    assert not PublishedTsmFigure.objects.get(first_year=2026, part="RP01").recorded


def test_only_counts_from_1_to_4_are_withheld():
    assert [suppressed(n) for n in (0, 1, 4, 5, 120)] == [0, None, None, 5, 120]


@time_machine.travel(NOW, tick=False)
def test_the_public_pages_take_no_post(client):
    for name in ("published", "published_csv", "published_json", "customer_report"):
        assert client.post(reverse(f"performance:{name}")).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_published_figures_selector_groups_by_area(published_month):
    performance = published_performance(today=dt.date(2026, 11, 25))

    assert [area.title for area in performance.areas] == ["Keeping in touch"]
    assert performance.last_month_first == dt.date(2026, 10, 1)
    assert performance.year_to_date_last == dt.date(2026, 11, 24)
