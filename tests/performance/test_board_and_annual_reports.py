"""The Board's monthly report (a kept PDF and the same as a page) and the annual customer
report (a page and a PDF): their figures, read back from the PDFs' text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from complaints.services import complaint_learning_record
from engagement.models import YouSaidWeDid
from engagement.selectors import you_said_we_did_in_year
from engagement.services import you_said_we_did_publish
from kernel.reporting import ReportingYear
from performance.models import BoardReport
from performance.services import (
    board_report_generate,
    published_figures_refresh,
    rollups_refresh,
)
from performance.tasks import generate_board_report
from tests.complaints.factories import acknowledge, receive, respond
from tests.factories import StaffFactory
from tests.performance.test_published import NOW, clocks, utc

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    # Words only, one space apart: a table cell may wrap ("September" above "2026").
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.fixture
def october():
    """October 2026: 6 replies due, 4 on time and 2 late (one still not done); 8 hate crime
    acknowledgements on time. Rolled up on 25 November."""
    clocks("enquiry.respond", 6, on_time=4, due=utc(2026, 10, 12, 9))
    clocks("asb.hate_crime.acknowledge", 8, on_time=8, due=utc(2026, 10, 14, 9))
    clocks("enquiry.respond", 5, on_time=5, due=utc(2026, 9, 10, 9))
    with time_machine.travel(NOW, tick=False):
        rollups_refresh()
        published_figures_refresh()


def test_the_board_pdf_holds_the_months_figures_trend_and_breaches(october):
    with time_machine.travel(NOW, tick=False):
        report = board_report_generate(month=dt.date(2026, 10, 1))

    text = pdf_text(bytes(report.pdf))
    assert "Performance report to the Board, October 2026" in text
    assert "Respond in full to a contact" in text
    assert "66.7%" in text  # October: 4 of 6 on time
    assert "All commitments: 14 due, 12 on time (85.7%)" in text
    assert "September 2026" in text and "100.0" in text  # the trend's September
    assert "October 2025" in text  # 13 months back
    assert "Missed in October 2026" in text
    assert "not yet recorded" in text  # the TSMs without records


def test_the_board_sees_every_area_sensitive_ones_as_counts(october):
    with time_machine.travel(NOW, tick=False):
        report = board_report_generate(month=dt.date(2026, 10, 1))

    text = pdf_text(bytes(report.pdf))
    assert "Acknowledge a hate crime report" in text
    assert "ENQ-" not in text  # totals only: no case is named


def test_the_scheduled_task_keeps_last_months_report_once(october):
    with time_machine.travel(dt.datetime(2026, 12, 1, 4, tzinfo=dt.UTC), tick=False):
        generate_board_report()
        generate_board_report()

    assert list(BoardReport.objects.values_list("month", flat=True)) == [dt.date(2026, 11, 1)]


def test_a_manager_reads_the_report_as_a_page_and_downloads_the_kept_pdf(client, manager, october):
    with time_machine.travel(NOW, tick=False):
        report = board_report_generate(month=dt.date(2026, 10, 1))
        client.force_login(manager)
        page = client.get(reverse("performance:board_report"), {"month": "2026-10"})
        listing = client.get(reverse("performance:board_reports"))
        download = client.get(reverse("performance:board_report_pdf", kwargs={"pk": report.pk}))

    assert page.status_code == 200
    assert "66.7%" in page.content.decode()
    assert "October 2026" in listing.content.decode()
    assert download["Content-Type"] == "application/pdf"
    assert "66.7%" in pdf_text(download.content)


@pytest.mark.parametrize("month", ["2099-01", "nonsense", "2026-13", "0000-01"])
def test_a_month_not_yet_over_or_nonsense_shows_last_month(client, manager, month):
    with time_machine.travel(NOW, tick=False):
        client.force_login(manager)
        page = client.get(reverse("performance:board_report"), {"month": month})

    assert page.status_code == 200
    assert "Performance report to the Board, October 2026" in page.content.decode()


def test_the_board_pages_are_for_managers(client, complaints_officer, client_a):
    url = reverse("performance:board_report")
    assert client_a.get(url).status_code == 403
    client.force_login(complaints_officer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("performance:board_reports")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_a_report_that_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)

    assert (
        client.get(reverse("performance:board_report_pdf", kwargs={"pk": 999})).status_code == 404
    )


# --- the annual customer report ------------------------------------------------------------


@pytest.fixture
def year_with_learning(october, tenant_a, complaints_officer):
    with time_machine.travel(utc(2026, 7, 1, 9), tick=False):
        complaint = receive(tenant_a, subject="Repair left unfinished")
        acknowledge(complaint, complaints_officer)
        respond(complaint, complaints_officer)  # upheld
        complaint_learning_record(
            complaint=complaint,
            actor=complaints_officer,
            lesson="Repairs were closed before the work was checked",
            improvement="Operatives now photograph every finished job",
        )


def test_anyone_reads_the_annual_report_with_you_said_we_did(client, year_with_learning):
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("performance:customer_report"), {"year": "2026"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "Operatives now photograph every finished job" in text
    assert "Respond in full to a contact" in text
    assert "hate crime" not in text.lower()


def test_the_annual_report_pdf_holds_the_years_figures(client, year_with_learning):
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("performance:customer_report_pdf"), {"year": "2026"})

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Our annual report to customers, 2026 to 2027" in text
    assert "11" in text and "81.8%" in text  # 11 replies this year so far, 9 on time
    assert "Operatives now photograph every finished job" in text
    assert "not yet recorded" in text


def said_and_did(you_said: str, we_did: str, *, publish_at, source="scrutiny"):
    entry = YouSaidWeDid.objects.create(
        you_said=you_said,
        we_did=we_did,
        source=source,
        created_by=StaffFactory(),
        created_at=publish_at or utc(2026, 10, 2),
    )
    if publish_at is not None:
        with time_machine.travel(publish_at, tick=False):
            you_said_we_did_publish(entry=entry, actor=entry.created_by)
    return entry


def test_the_annual_report_shows_what_engagement_published_as_you_said_we_did(
    client, year_with_learning
):
    said_and_did("Bins are left open", "New lidded bins in every block", publish_at=utc(2026, 9, 1))
    said_and_did(
        "Evening surgeries please",
        "Thursday surgeries until 8pm",
        publish_at=utc(2026, 10, 1),
        source="survey",
    )
    said_and_did("Last year's wish", "Last year's change", publish_at=utc(2026, 3, 31, 9))
    said_and_did("Still a draft", "Not published yet", publish_at=None)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("performance:customer_report"), {"year": "2026"})
        pdf = client.get(reverse("performance:customer_report_pdf"), {"year": "2026"})

    text = page.content.decode()
    # The complaints' learning still shows, next to the published entries of the year.
    assert "Operatives now photograph every finished job" in text
    table = text[text.index('id="residents-said-we-did"') :]
    table = table[: table.index("</table>")]
    assert (
        "New lidded bins in every block" in table and "Scrutiny panel and mystery shoppers" in table
    )
    assert "Thursday surgeries until 8pm" in table and "Satisfaction surveys" in table
    assert table.index("New lidded bins") < table.index("Thursday surgeries")
    assert "Last year's change" not in text
    assert "Not published yet" not in text
    assert "New lidded bins in every block" in pdf_text(pdf.content)


def test_you_said_we_did_in_year_reads_only_published_entries_of_the_year(db):
    said_and_did("In the year", "Done", publish_at=utc(2027, 3, 31, 12))
    said_and_did("Next year", "Later", publish_at=utc(2027, 4, 1, 9))

    assert you_said_we_did_in_year(ReportingYear(2026)) == [
        ("Scrutiny panel and mystery shoppers", "In the year", "Done")
    ]
