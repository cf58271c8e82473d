"""The daily call figures: a CSV checked row by row, imported whole or not at all."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enquiries.forms import parse_call_statistics
from enquiries.models import CallStatistic
from tests.enquiries.factories import CallStatisticFactory

GOOD = (
    "date,offered,answered,abandoned,callbacks_offered\n"
    "2026-02-26,200,172,28,5\n"
    "2026-02-27,180,160,20,2\n"
)


def _upload(text: str, name: str = "calls.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_good_file_is_read_row_by_row(db, monday):
    rows, errors = parse_call_statistics(GOOD)

    assert errors == []
    assert [(r.day, r.offered, r.answered, r.abandoned, r.callbacks_offered) for r in rows] == [
        (dt.date(2026, 2, 26), 200, 172, 28, 5),
        (dt.date(2026, 2, 27), 180, 160, 20, 2),
    ]


def test_every_bad_row_is_reported_by_its_line(db, monday):
    text = (
        "date,offered,answered,abandoned,callbacks_offered\n"
        "2026-02-26,200,172,28,5\n"
        "26/02/2026,200,172,28,5\n"
        "2026-02-25,100,90,20,0\n"
        "2026-02-24,100,ninety,0,0\n"
        "2026-02-26,10,5,5,0\n"
        "2026-03-09,10,5,5,0\n"
    )

    rows, errors = parse_call_statistics(text)

    assert errors == [
        "Line 3: date '26/02/2026' is not a date like 2026-03-27",
        "Line 4: answered plus abandoned is more than offered",
        "Line 5: answered 'ninety' is not a whole number",
        "Line 6: the date is also on line 2",
        "Line 7: the date is in the future",
    ]


def test_a_file_without_the_columns_is_refused(db, monday):
    rows, errors = parse_call_statistics("day,calls\n2026-02-26,5\n")

    assert rows == []
    assert errors[0].startswith("Line 1: the file needs the columns")


def test_an_empty_file_is_refused(db, monday):
    assert parse_call_statistics("date,offered,answered,abandoned,callbacks_offered\n")[1] == [
        "The file has no rows of figures"
    ]


def test_importing_stores_every_day_and_replaces_a_day_imported_before(client, adviser, monday):
    CallStatisticFactory(day=dt.date(2026, 2, 26), offered=1, answered=1, abandoned=0)
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_call_import"), {"file": _upload(GOOD)}, follow=True
    )

    assert "Imported 2 days of call figures." in response.content.decode()
    day = CallStatistic.objects.get(day=dt.date(2026, 2, 26))
    assert (day.offered, day.answered, day.imported_by) == (200, 172, adviser)
    assert CallStatistic.objects.count() == 2


def test_a_file_with_one_bad_row_imports_nothing_and_lists_the_errors(client, adviser, monday):
    client.force_login(adviser)
    text = GOOD + "2026-02-28,10,20,0,0\n"

    response = client.post(reverse("enquiries:staff_call_import"), {"file": _upload(text)})

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Line 4: answered plus abandoned is more than offered" in body
    assert not CallStatistic.objects.exists()


def test_a_file_that_is_not_text_is_refused(client, adviser, monday):
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_call_import"),
        {"file": SimpleUploadedFile("calls.csv", b"\xff\xfe\x00\x81")},
    )

    assert "saved as UTF-8" in response.content.decode()
    assert not CallStatistic.objects.exists()
