"""The Complaint Handling Code annual pack: the self-assessment answered by the complaints
lead, the governing body's response, publication together with the annual report, and the
Ombudsman submission date as a clock."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
import time_machine
from django.urls import reverse

from kernel.formatting import LONDON
from kernel.reporting import ReportingYear
from performance.chc_provisions import PROVISIONS
from performance.models import ComplaintHandlingPack, ProvisionAnswer
from performance.publication import submission_deadline
from performance.services import (
    PackRefused,
    chc_answer_save,
    chc_governing_body_response_record,
    chc_pack_for_year,
    chc_pack_publish,
    chc_pack_submitted,
    chc_submission_clocks_start,
)
from sla.models import ClockType, Commitment
from tests.complaints.factories import receive

pytestmark = pytest.mark.django_db

YEAR = ReportingYear(2026)
MAY_2027 = dt.datetime(2027, 5, 10, 9, 0, tzinfo=dt.UTC)
PACK = reverse("performance:complaint_handling")


def provision_url(key: str) -> str:
    return reverse("performance:complaint_handling_provision", kwargs={"key": key}) + "?year=2026"


def answer_everything(pack, actor):
    for provision in PROVISIONS:
        chc_answer_save(
            pack=pack,
            provision=provision.number,
            compliance="yes",
            evidence=f"Evidence for {provision.number}",
            evidence_link="",
            actor=actor,
        )


@pytest.fixture
def ready_pack(complaints_officer, tenant_a):
    """The 2026 pack, every provision answered and the response recorded, in May 2027."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        for n in range(6):
            receive(tenant_a, subject=f"Complaint {n}")
    with time_machine.travel(MAY_2027, tick=False):
        pack = chc_pack_for_year(year=YEAR)
        answer_everything(pack, complaints_officer)
        chc_governing_body_response_record(
            pack=pack, response="The Board accepts the report.", approved_on=dt.date(2027, 5, 1)
        )
    return pack


def test_the_catalogue_holds_the_submission_clock():
    commitment = Commitment.objects.get(code="chc.annual_submission")

    assert (commitment.clock, commitment.amount) == (ClockType.INTERVAL_MONTHS, 6)


@time_machine.travel(MAY_2027, tick=False)
def test_the_submission_clock_runs_from_the_years_end_to_30_september(db):
    pack = chc_submission_clocks_start()

    deadline = submission_deadline(pack)
    assert pack.first_year == 2026
    assert deadline.due_at.astimezone(LONDON).date() == dt.date(2027, 9, 30)
    assert deadline.started_at.astimezone(LONDON).date() == dt.date(2027, 3, 31)
    chc_submission_clocks_start()  # idempotent
    assert ComplaintHandlingPack.objects.count() == 1
    assert submission_deadline(pack).pk == deadline.pk


def test_a_pack_for_a_year_not_yet_over_has_no_clock(db):
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC), tick=False):
        pack = chc_pack_for_year(year=YEAR)

    assert submission_deadline(pack) is None


def test_the_complaints_lead_answers_a_provision(client, complaints_officer):
    with time_machine.travel(MAY_2027, tick=False):
        client.force_login(complaints_officer)
        page = client.post(
            provision_url("6-2"),
            {
                "compliance": "partly",
                "evidence": "Acknowledged within 3 working days in 96% of cases.",
                "evidence_link": "https://www.example.org/complaints-policy",
            },
        )

    assert page.status_code == 302
    answer = ProvisionAnswer.objects.get(provision="6.2")
    assert (answer.compliance, answer.answered_by) == ("partly", complaints_officer)
    assert answer.pack.first_year == 2026


# Every provision of the 2024 Code, section by section, numbered as the Code numbers them.
EXPECTED_NUMBERS = {
    "1": ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"],
    "2": ["2.1", "2.2", "2.3", "2.4", "2.5"],
    "3": ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"],
    "4": ["4.1", "4.2", "4.3"],
    "5": [
        "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7",
        "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14",
    ],
    "6": [
        "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10",
        "6.11", "6.12", "6.13", "6.14", "6.15", "6.16", "6.17", "6.18", "6.19", "6.20",
    ],
    "7": ["7.1", "7.2", "7.3", "7.4"],
    "8": ["8.1", "8.2", "8.3", "8.4"],
    "9": ["9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7", "9.8"],
}  # fmt: skip


def test_the_self_assessment_lists_every_provision_of_each_section_in_order(
    client, complaints_officer
):
    client.force_login(complaints_officer)
    text = client.get(PACK + "?year=2026").content.decode()

    shown = re.findall(r'data-provision="([0-9.]+)"', text)
    assert shown == [number for section in EXPECTED_NUMBERS.values() for number in section]
    assert f"{len(shown)} provisions answered" in text
    assert (
        'href="https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/"'
        in text
    )


def _requirement_shown(html: str) -> str:
    """The requirement as the provision's page shows it, in one line."""
    block = re.search(r"data-wording>(.*?)</div>", html, re.S)
    assert block is not None
    text = re.sub(r"<[^>]+>", " ", block.group(1))
    return " ".join(html_module.unescape(text).split())


# Each provision's key duty, with its time limit where it has one.
KEY_DUTIES = {
    "6.2": ["stage 1 complaint must be acknowledged, defined and logged", "within five working days of the complaint being received"],
    "6.3": ["full stage 1 response within 10 working days of acknowledging"],
    "6.4": ["extension must be no more than 10 working days", "reasons must be explained"],
    "6.11": ["must be acknowledged, defined and logged at stage 2 within five working days"],
    "6.13": ["considered at stage 2 by a different person from the one who considered it at stage 1"],
    "6.14": ["stage 2 response within 20 working days of acknowledging the stage 2 request"],
    "6.15": ["extension must be no more than 20 working days"],
    "2.3": ["within 12 months", "must consider using its discretion"],
    "9.5": ["member of the governing body", "must be appointed"],
}  # fmt: skip


@pytest.mark.parametrize("number", sorted(KEY_DUTIES))
def test_a_provision_states_its_key_duty_and_links_to_the_code(client, complaints_officer, number):
    client.force_login(complaints_officer)

    page = client.get(provision_url(number.replace(".", "-")))

    assert page.status_code == 200
    text = page.content.decode()
    assert f"Provision {number}</h1>" in text
    requirement = _requirement_shown(text)
    for duty in KEY_DUTIES[number]:
        assert duty in requirement
    assert "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/" in text


def test_a_provision_not_yet_checked_against_the_code_says_so(client, complaints_officer):
    client.force_login(complaints_officer)

    unchecked = client.get(provision_url("6-20")).content.decode()
    checked = client.get(provision_url("6-13")).content.decode()

    assert 'id="wording-unchecked"' in unchecked
    assert 'id="wording-unchecked"' not in checked


def test_the_public_self_assessment_lists_every_provision_and_links_to_the_codes_wording(
    client, ready_pack
):
    with time_machine.travel(MAY_2027, tick=False):
        chc_pack_publish(pack=ready_pack)
        text = client.get(
            reverse("performance:published_complaint_handling") + "?year=2026"
        ).content.decode()

    shown = re.findall(r'data-provision="([0-9.]+)"', text)
    assert shown == [number for section in EXPECTED_NUMBERS.values() for number in section]
    assert "Evidence for 9.8" in text
    assert (
        'href="https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/"'
        in text
    )


def test_a_bad_answer_shows_the_errors_with_the_text_kept(client, complaints_officer):
    client.force_login(complaints_officer)
    page = client.post(provision_url("6-2"), {"evidence": "Our policy", "evidence_link": "nope"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Select whether we comply" in text
    assert "Our policy" in text
    assert not ProvisionAnswer.objects.exists()


def test_a_manager_cannot_answer_for_the_complaints_lead(client, manager):
    client.force_login(manager)
    page = client.post(provision_url("6-2"), {"compliance": "yes", "evidence": "x"})

    assert page.status_code == 403
    assert not ProvisionAnswer.objects.exists()
    assert not ComplaintHandlingPack.objects.exists()


def test_an_unknown_provision_is_not_found(client, complaints_officer):
    client.force_login(complaints_officer)

    assert client.get(provision_url("99-9")).status_code == 404


def test_publishing_is_refused_until_every_provision_is_answered(complaints_officer):
    with time_machine.travel(MAY_2027, tick=False):
        pack = chc_pack_for_year(year=YEAR)
        chc_answer_save(
            pack=pack,
            provision="1.2",
            compliance="yes",
            evidence="x",
            evidence_link="",
            actor=complaints_officer,
        )
        with pytest.raises(PackRefused, match="still to answer"):
            chc_pack_publish(pack=pack)

    pack.refresh_from_db()
    assert pack.published_at is None


def test_publishing_is_refused_without_the_governing_bodys_response(complaints_officer):
    with time_machine.travel(MAY_2027, tick=False):
        pack = chc_pack_for_year(year=YEAR)
        answer_everything(pack, complaints_officer)
        with pytest.raises(PackRefused, match="governing body"):
            chc_pack_publish(pack=pack)


def test_a_published_pack_is_on_the_public_page_with_its_report(client, ready_pack, manager):
    url = reverse("performance:published_complaint_handling") + "?year=2026"
    assert client.get(url).status_code == 404  # not published yet

    with time_machine.travel(MAY_2027, tick=False):
        client.force_login(manager)
        response = client.post(reverse("performance:complaint_handling_publish") + "?year=2026")
    assert response.status_code == 302
    client.logout()

    with time_machine.travel(MAY_2027, tick=False):
        page = client.get(url)
        listing = client.get(reverse("performance:published")).content.decode()
    text = page.content.decode()
    assert page.status_code == 200
    assert "The Board accepts the report." in text
    assert "Evidence for 6.2" in text
    assert 'data-figure="stage1_received">6<' in text
    assert "Self-assessment and complaints report, 2026 to 2027" in listing


def test_a_published_pack_can_no_longer_be_changed(ready_pack, complaints_officer):
    with time_machine.travel(MAY_2027, tick=False):
        chc_pack_publish(pack=ready_pack)
        with pytest.raises(PackRefused, match="published"):
            chc_answer_save(
                pack=ready_pack,
                provision="1.2",
                compliance="no",
                evidence="changed",
                evidence_link="",
                actor=complaints_officer,
            )

    assert ProvisionAnswer.objects.get(pack=ready_pack, provision="1.2").compliance == "yes"


def test_recording_the_submission_meets_the_clock(ready_pack):
    with time_machine.travel(MAY_2027, tick=False):
        chc_pack_publish(pack=ready_pack)
    with time_machine.travel(dt.datetime(2027, 6, 20, 9, tzinfo=dt.UTC), tick=False):
        chc_pack_submitted(pack=ready_pack)

    deadline = submission_deadline(ready_pack)
    assert deadline.met_at == dt.datetime(2027, 6, 20, 9, tzinfo=dt.UTC)
    assert deadline.met_at <= deadline.due_at


def test_the_submission_is_refused_before_publication(ready_pack):
    with pytest.raises(PackRefused, match="Publish"):
        chc_pack_submitted(pack=ready_pack)

    assert submission_deadline(ready_pack).met_at is None


def test_small_counts_in_the_published_report_are_withheld(client, complaints_officer, tenant_a):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        receive(tenant_a, subject="Only one")
    with time_machine.travel(MAY_2027, tick=False):
        pack = chc_pack_for_year(year=YEAR)
        answer_everything(pack, complaints_officer)
        chc_governing_body_response_record(
            pack=pack, response="Accepted.", approved_on=dt.date(2027, 5, 1)
        )
        chc_pack_publish(pack=pack)
        text = client.get(
            reverse("performance:published_complaint_handling") + "?year=2026"
        ).content.decode()

    assert 'data-figure="stage1_received">fewer than 5<' in text


@pytest.mark.parametrize(
    ("name", "method"),
    [("complaint_handling_publish", "post"), ("complaint_handling_response", "get")],
)
def test_the_complaints_officer_cannot_take_the_boards_steps(
    client, complaints_officer, name, method
):
    client.force_login(complaints_officer)

    response = getattr(client, method)(reverse(f"performance:{name}"))

    assert response.status_code == 403


def test_the_pack_page_is_for_complaints_and_managers_only(
    client, complaints_officer, repairs_officer, manager, client_a
):
    assert client_a.get(PACK).status_code == 403
    client.force_login(repairs_officer)
    assert client.get(PACK).status_code == 403
    client.force_login(complaints_officer)
    assert client.get(PACK).status_code == 200
    assert client.post(PACK).status_code == 405
    client.force_login(manager)
    assert client.get(reverse("performance:complaint_handling_publish")).status_code == 405
