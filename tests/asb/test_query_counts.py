"""The ASB queue, a case's staff page and the reporter's page read a fixed number of queries,
however many cases, actions, diary entries and updates there are (the speed goals are measured
by ``bench/asb_bench.py``; here only the shape is pinned)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asb.models import AsbKind, Risk
from asb.services import action_add, asb_acknowledge, diary_add, review_set
from kernel.roles import Role
from tests.asb.factories import report
from tests.factories import CustomerWithLoginFactory, StaffFactory

pytestmark = pytest.mark.usefixtures("frozen", "team")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _busy(case, officer, *, entries: int):
    """A case being dealt with, with an action plan, a diary and a history of ``entries``."""
    asb_acknowledge(case=case, actor=officer, contacted_by="phone", risk=Risk.MEDIUM)
    review_set(case=case, actor=officer, review_on=dt.date(2026, 6, 20))
    for n in range(entries):
        action_add(
            case=case,
            actor=officer,
            description=f"Action {n}",
            owner=officer,
            due_on=dt.date(2026, 6, 10 + n % 5),
        )
        diary_add(
            case=case,
            happened_on=dt.date(2026, 5, 20 + n % 5),
            what_happened=f"It happened again ({n}).",
            added_by=None,
        )
    return case


def test_the_queue_reads_the_same_queries_for_two_cases_or_twenty(client, asb_officer):
    url = reverse("admin:asb_asbcase_changelist")
    client.force_login(asb_officer)
    for _ in range(2):
        report(CustomerWithLoginFactory(), AsbKind.HATE_CRIME)
    client.get(url)  # the first page of a process fills caches: not what is pinned
    few = _queries(client, url)
    colleagues = [StaffFactory(roles=[Role.ASB]) for _ in range(3)]
    for n in range(18):
        case = report(CustomerWithLoginFactory(), AsbKind.ASB if n % 2 else AsbKind.DOMESTIC_ABUSE)
        asb_acknowledge(case=case, actor=colleagues[n % 3], contacted_by="phone", risk=Risk.HIGH)
        case.assignee = colleagues[n % 3]
        case.save(update_fields=["assignee"])
    assert _queries(client, url) == few


def test_a_cases_staff_page_reads_the_same_queries_however_long_its_history(
    client, tenant_a, tenant_b, asb_officer
):
    quiet = _busy(report(tenant_a), asb_officer, entries=1)
    busy = _busy(report(tenant_b, AsbKind.DOMESTIC_ABUSE), asb_officer, entries=8)
    client.force_login(asb_officer)
    client.get(reverse("admin:asb_asbcase_change", args=[quiet.pk]))
    counted = _queries(client, reverse("admin:asb_asbcase_change", args=[quiet.pk]))
    assert _queries(client, reverse("admin:asb_asbcase_change", args=[busy.pk])) == counted
    # The case is read once, with the rows its page shows (it was read three times, and each
    # of the reporter, home, tenancy and team once more).
    assert counted <= 15


def test_the_reporters_page_reads_the_same_queries_however_long_its_history(
    client, tenant_a, asb_officer
):
    quiet = _busy(report(tenant_a), asb_officer, entries=1)
    busy = _busy(report(tenant_a), asb_officer, entries=8)
    client.force_login(tenant_a.user)
    client.get(reverse("asb:detail", args=[quiet.reference]))
    counted = _queries(client, reverse("asb:detail", args=[quiet.reference]))
    assert _queries(client, reverse("asb:detail", args=[busy.reference])) == counted
    # The session, the user, the case, its actions, diary, updates and files; the next step's
    # date is read from the case, not its clocks.
    assert counted <= 7
