"""NM01(1) and NM01(2) counted as the regulator defines them, acknowledgements on time,
overdue actions and satisfaction; on the manager dashboard, naming nobody."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from asb.models import AsbKind, CloseReason, Risk
from asb.selectors import asb_measures
from asb.services import (
    Incident,
    SafeContactAnswers,
    action_add,
    anonymous_report,
    asb_acknowledge,
    asb_close,
    close_answer,
    close_ask,
    satisfaction_record,
)
from kernel.reporting import ReportingYear
from tests.asb.factories import report
from tests.factories import PropertyFactory

pytestmark = pytest.mark.usefixtures("frozen", "team")

YEAR = ReportingYear(2026)


def test_nm01_counts_asb_and_hate_cases_per_1000_homes_but_not_domestic_abuse(tenant_a, tenant_b):
    PropertyFactory.create_batch(398)  # 400 homes with the two tenants'
    report(tenant_a)
    report(tenant_a, AsbKind.HATE_CRIME, hate_characteristic="disability")
    report(tenant_b, AsbKind.DOMESTIC_ABUSE)
    anonymous_report(
        incident=Incident(kind=AsbKind.HATE_CRIME, place="street", details="Shouted abuse"),
        safe_contact=SafeContactAnswers(),
        contact_way="none",
    )
    measures = asb_measures(YEAR)
    assert measures.homes == 400
    assert (measures.cases_opened, measures.hate_cases_opened) == (3, 2)
    assert measures.nm01_1 == Decimal("7.5")  # 3 x 1,000 / 400
    assert measures.nm01_2 == Decimal("5.0")


def test_a_case_opened_last_year_is_not_counted_this_year(tenant_a, frozen):
    frozen.move_to(dt.datetime(2026, 3, 31, 22, 59, tzinfo=dt.UTC))  # 23:59 on 31 March, UK
    report(tenant_a)
    frozen.move_to(dt.datetime(2026, 6, 1, 11, tzinfo=dt.UTC))
    assert asb_measures(YEAR).cases_opened == 0
    assert asb_measures(ReportingYear(2025)).cases_opened == 1


def test_acknowledgements_on_time_count_24_hours_and_3_working_days(tenant_a, asb_officer, frozen):
    on_time = report(tenant_a, AsbKind.HATE_CRIME)
    late = report(tenant_a, AsbKind.DOMESTIC_ABUSE)
    asb_acknowledge(case=on_time, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
    frozen.shift(dt.timedelta(hours=30))
    asb_acknowledge(case=late, actor=asb_officer, contacted_by="phone", risk=Risk.HIGH)
    measures = asb_measures(YEAR)
    assert (measures.acknowledged_on_time, measures.acknowledged_due) == (1, 2)
    assert measures.acknowledged_on_time_percent == Decimal("50.0")


def test_open_cases_with_overdue_actions_are_counted_once(tenant_a, asb_officer, frozen):
    case = report(tenant_a)
    asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
    for description in ("Visit", "Letter"):
        action_add(
            case=case,
            actor=asb_officer,
            description=description,
            owner=asb_officer,
            due_on=dt.date(2026, 6, 3),
        )
    assert asb_measures(YEAR).open_with_overdue_actions == 0
    frozen.move_to(dt.datetime(2026, 6, 4, 9, tzinfo=dt.UTC))
    assert asb_measures(YEAR).open_with_overdue_actions == 1


def test_satisfaction_is_the_share_very_or_fairly_satisfied(tenant_a, asb_officer):
    for answer in ("very_satisfied", "fairly_satisfied", "very_dissatisfied"):
        case = report(tenant_a)
        asb_acknowledge(case=case, actor=asb_officer, contacted_by="phone", risk=Risk.STANDARD)
        close_ask(case=case, actor=asb_officer)
        close_answer(case=case, agrees=True)
        asb_close(case=case, actor=asb_officer, reason=CloseReason.RESOLVED)
        satisfaction_record(case=case, answer=answer)
    measures = asb_measures(YEAR)
    assert (measures.satisfied, measures.satisfaction_answers) == (2, 3)
    assert measures.satisfied_percent == Decimal("66.7")


def test_the_dashboard_shows_the_measures_and_names_nobody(client, manager, tenant_a):
    case = report(tenant_a, AsbKind.HATE_CRIME)
    client.force_login(manager)
    page = client.get(reverse("performance:dashboard")).content.decode()
    assert "NM01(1)" in page and "NM01(2)" in page
    assert case.reference not in page
    assert tenant_a.last_name not in page
    measures_page = client.get(reverse("asb:measures"))
    assert measures_page.status_code == 200
    assert tenant_a.last_name not in measures_page.content.decode()


def test_the_measures_page_is_for_managers_and_the_asb_team(client, repairs_officer, tenant_a):
    assert client.get(reverse("asb:measures")).status_code == 302
    client.force_login(repairs_officer)
    assert client.get(reverse("asb:measures")).status_code == 403
    client.force_login(tenant_a.user)
    assert client.get(reverse("asb:measures")).status_code == 403
