"""A report made without signing in runs its acknowledgement on a real clock, like a case's:
the sweep warns and breaches it and tells the ASB team, and no message names its maker or
what they told us."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from asb.models import AnonymousReport, AsbKind, ContactWay
from asb.selectors import asb_measures
from asb.services import (
    Incident,
    SafeContactAnswers,
    anonymous_report,
    anonymous_report_acknowledge,
)
from casework.models import CaseEvent
from kernel.reporting import ReportingYear
from kernel.roles import Role
from notifications.models import Message
from performance.selectors import breaches_to_act_on
from sla.models import Deadline
from sla.services import sweep_deadlines
from tests.asb.conftest import MONDAY_NOON
from tests.factories import StaffFactory

pytestmark = pytest.mark.usefixtures("frozen", "team")

# What the maker told us: none of it may leave the queue in an email.
WHAT_THEY_TOLD_US = (
    "Jo Bloggs",
    "jo.bloggs@example.org",
    "07700 900 555",
    "bluebird",
    "The man at number 4 shouts slurs at me",
    "number 4",
)


def _anonymous(kind=AsbKind.HATE_CRIME, **overrides) -> AnonymousReport:
    fields = {
        "kind": kind,
        "place": "street",
        "details": "The man at number 4 shouts slurs at me every morning.",
        "category": "harassment" if kind == AsbKind.ASB else "",
        "other_party_address": "number 4",
    }
    fields.update(overrides)
    return anonymous_report(
        incident=Incident(**fields),
        safe_contact=SafeContactAnswers(
            safe_phone="07700 900 555", safe_times="After 7pm", code_word="bluebird"
        ),
        contact_way=ContactWay.EMAIL,
        contact_name="Jo Bloggs",
        contact_email="jo.bloggs@example.org",
    )


def _clock(report: AnonymousReport) -> Deadline:
    return Deadline.objects.get(
        content_type=ContentType.objects.get_for_model(AnonymousReport), object_id=report.pk
    )


def _emails_about(report: AnonymousReport):
    return Message.objects.filter(
        about_type=ContentType.objects.get_for_model(AnonymousReport), about_id=report.pk
    ).order_by("created_at", "pk")


def _assert_names_nothing(message: Message) -> None:
    text = f"{message.subject}\n{message.body}"
    for detail in WHAT_THEY_TOLD_US:
        assert detail not in text


def test_a_hate_crime_report_runs_a_24_hour_clock_in_the_deadline_table():
    report = _anonymous()
    clock = _clock(report)
    assert clock.commitment.code == "asb.hate_crime.acknowledge"
    assert (clock.started_at, clock.due_at) == (MONDAY_NOON, MONDAY_NOON + dt.timedelta(hours=24))
    assert report.next_due_at == clock.due_at
    assert report.reference.startswith("ASB-ANON-2026-")


def test_an_asb_report_runs_a_3_working_day_clock():
    report = _anonymous(AsbKind.ASB)
    clock = _clock(report)
    assert clock.commitment.code == "asb.acknowledge"
    # Monday 1 June 2026: day 3 is Thursday 4 June, to 23:59:59 in London (22:59:59 UTC).
    assert clock.due_at == dt.datetime(2026, 6, 4, 22, 59, 59, tzinfo=dt.UTC)


def test_the_sweep_warns_then_escalates_to_the_asb_team_naming_nobody(asb_officer, caplog):
    report = _anonymous(AsbKind.DOMESTIC_ABUSE)
    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=21), tick=False):
        assert sweep_deadlines().warned == 1
    (warning,) = _emails_about(report)
    assert warning.staff_user == asb_officer  # the team's lead
    assert warning.subject.startswith(f"Due soon: {report.reference}")
    _assert_names_nothing(warning)

    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=25), tick=False):
        assert sweep_deadlines().breached == 1
        assert sweep_deadlines().breached == 0  # once only
    clock = _clock(report)
    assert clock.breached_at == MONDAY_NOON + dt.timedelta(hours=25)
    _warning, breach = _emails_about(report)
    assert breach.staff_user == asb_officer
    assert breach.subject.startswith(f"Overdue: {report.reference}")
    assert reverse("admin:asb_anonymousreport_change", args=[report.pk]) in breach.body
    _assert_names_nothing(breach)
    # It has no household, so nothing is written on anyone's timeline, and casework does not
    # take it for a case it cannot find.
    assert not CaseEvent.objects.exists()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_with_no_team_lead_every_asb_officer_is_told(team, asb_officer):
    team.lead = None
    team.save()
    other = StaffFactory(roles=[Role.ASB], email="second@example.org")
    StaffFactory(roles=[Role.REPAIRS], email="repairs@example.org")
    report = _anonymous()
    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=25), tick=False):
        sweep_deadlines()
    told = {message.staff_user for message in _emails_about(report)}
    assert told == {asb_officer, other}


def test_acknowledging_in_time_meets_the_clock_and_nothing_is_escalated(asb_officer):
    report = _anonymous()
    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=2), tick=False):
        anonymous_report_acknowledge(report=report, actor=asb_officer, note="Called back.")
    report.refresh_from_db()
    assert report.next_due_at is None
    assert _clock(report).met_at == MONDAY_NOON + dt.timedelta(hours=2)
    with time_machine.travel(MONDAY_NOON + dt.timedelta(days=3), tick=False):
        assert sweep_deadlines() == sweep_deadlines().__class__(breached=0, warned=0)
    assert not _emails_about(report).exists()


def test_closing_unacknowledged_meets_the_clock_too(asb_officer):
    report = _anonymous(AsbKind.ASB)
    anonymous_report_acknowledge(report=report, actor=asb_officer, note="", closes=True)
    assert _clock(report).met_at is not None


def test_a_late_acknowledgement_counts_as_late_in_the_measure(asb_officer):
    on_time = _anonymous()
    late = _anonymous()
    anonymous_report_acknowledge(report=on_time, actor=asb_officer, note="")
    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=30), tick=False):
        sweep_deadlines()
        anonymous_report_acknowledge(report=late, actor=asb_officer, note="")
        measures = asb_measures(ReportingYear(2026))
    assert (measures.acknowledged_due, measures.acknowledged_on_time) == (2, 1)
    assert _clock(late).breached_at is not None


def test_the_manager_dashboard_lists_a_missed_one_by_its_reference_alone():
    report = _anonymous()
    with time_machine.travel(MONDAY_NOON + dt.timedelta(hours=25), tick=False):
        sweep_deadlines()
        (breach,) = breaches_to_act_on()
    assert breach.case_reference == report.reference
    assert breach.commitment_code == "asb.hate_crime.acknowledge"


def test_the_queue_shows_the_clock_soonest_first(client, asb_officer):
    later = _anonymous(AsbKind.ASB)
    sooner = _anonymous()
    client.force_login(asb_officer)
    page = client.get(reverse("admin:asb_anonymousreport_changelist")).content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)
    assert "On track" in page
