"""Demo records for what we publish: a year of answered enquiries (so the public page, the Board's
13 months and the annual report have figures above the "fewer than 5" line), the rollups and
the published TSM lines worked out from them, last month's Board report, last year's Complaint
Handling Code pack (answered, with the Board's response, published) and this year's (started,
some provisions answered), and peer landlords' TSM figures to benchmark against.

Runs after the other apps' demo records (the performance app comes late in INSTALLED_APPS), so
their cases count too. Safe to run again: the history is written once (its references start
``ENQ-DEMO-``), packs and answers are updated in place, and the figures are worked out afresh.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryStatus
from kernel.formatting import LONDON
from kernel.reporting import ReportingYear, reporting_year_containing
from kernel.roles import Role
from performance.chc_provisions import PROVISIONS
from performance.models import Compliance, PeerFigure
from performance.services import (
    board_report_generate,
    chc_answer_save,
    chc_governing_body_response_record,
    chc_pack_for_year,
    chc_pack_publish,
    peer_figures_import,
    published_figures_refresh,
    rollups_refresh,
)
from performance.windows import add_months, local_date, month_start
from sla import calendar
from sla.models import Commitment, Deadline

HISTORY_PREFIX = "ENQ-DEMO-"
HISTORY_MONTHS = 14  # the Board's 13 months, and the whole of last reporting year most days
ENQUIRIES_PER_MONTH = 24
LATE_EVERY = 10  # one clock in ten met late
SUBJECTS = (
    ("neighbourhood", "Parking permit for a visitor"),
    ("tenancy", "Adding a partner to the tenancy"),
    ("rent", "Which day is rent taken?"),
    ("moving", "Moving to a smaller home"),
    ("neighbourhood", "Bins not collected on our street"),
    ("general", "Changing my phone number"),
)

# Published TSM figures of four peer landlords for last reporting year, as the regulator's
# spreadsheet gives them (made-up landlords; the figures are typical of published returns).
PEER_MEASURES = {
    "TP01": (71.2, 74.8, 68.5, 79.1),
    "TP02": (72.0, 70.4, 66.9, 77.5),
    "TP04": (74.3, 76.0, 70.2, 81.7),
    "TP05": (76.9, 78.2, 73.4, 83.0),
    "TP09": (33.5, 36.1, 30.2, 41.8),
    "CH01(1)": (38.2, 27.5, 45.0, 31.6),
    "CH02(1)": (81.4, 90.2, 76.5, 94.0),
    "RP02(1)": (82.5, 87.3, 79.9, 91.2),
    "BS01": (100.0, 99.8, 100.0, 99.6),
}
PEER_LANDLORDS = (
    "Northgate Housing Trust",
    "Meadowbank Homes",
    "Canal Side Housing",
    "Three Counties Housing",
)

CURRENT_YEAR_ANSWERS = {
    "1.2": (Compliance.YES, "Our complaints policy, section 2, uses the Code's definition."),
    "1.3": (
        Compliance.YES,
        "Staff offer the choice to complain whenever a customer is unhappy: the enquiry "
        "screen asks, and records the answer.",
    ),
    "6.2": (
        Compliance.PARTLY,
        "Stage 1 complaints are acknowledged within 3 working days in most cases; the "
        "portal's clock shows the few that were late.",
    ),
    "6.13": (Compliance.YES, "The portal refuses stage 2 to the officer who handled stage 1."),
}


def seed(demo) -> None:
    now = timezone.now()
    today = local_date(now)
    _history(demo, now)
    rollups_refresh(now=now, full=True)
    published_figures_refresh(now=now)
    board_report_generate(month=add_months(month_start(today), -1), now=now)
    this_year = reporting_year_containing(today)
    complaints_lead = demo.staff[Role.COMPLAINTS]
    _last_years_pack(ReportingYear(this_year.first_year - 1), complaints_lead, now)
    _this_years_pack(this_year, complaints_lead, now)
    _peer_figures(ReportingYear(this_year.first_year - 1), now)


def _history(demo, now: dt.datetime) -> None:
    """Answered enquiries over the last 14 months, 24 a month, with their acknowledgement
    and reply clocks: about 9 in 10 met on time, the rest late. Written once."""
    if Enquiry.objects.filter(reference__startswith=HISTORY_PREFIX).exists():
        return
    acknowledge = Commitment.objects.get(code="enquiry.acknowledge")
    respond = Commitment.objects.get(code="enquiry.respond")
    content_type = ContentType.objects.get_for_model(Enquiry)
    customers = [c for c in demo.customers if c.tenancy_id is not None]
    first_month = add_months(month_start(local_date(now)), -HISTORY_MONTHS)
    number = 0
    for month in range(HISTORY_MONTHS):
        first_day = add_months(first_month, month)
        for n in range(ENQUIRIES_PER_MONTH):
            day = first_day + dt.timedelta(days=(n * 29) // ENQUIRIES_PER_MONTH)
            opened_at = dt.datetime.combine(day, dt.time(9 + n % 8, (n * 7) % 60), tzinfo=LONDON)
            times = {}
            for k, commitment in enumerate((acknowledge, respond)):
                due_at = calendar.due_at(commitment.clock, commitment.amount, opened_at)
                spread = (month * 7 + n * 3 + k * 5) % LATE_EVERY  # varies by month and case
                on_time = spread != 0
                met_at = (
                    opened_at + (due_at - opened_at) * (0.2 + 0.07 * spread)
                    if on_time
                    else due_at + dt.timedelta(days=1 + n % 6)
                )
                times[commitment.code] = (due_at, met_at, on_time)
            if max(met_at for _, met_at, _ in times.values()) >= now:
                continue  # only finished history: today's work is the other demo records'
            number += 1
            customer = customers[number % len(customers)]
            topic, subject = SUBJECTS[number % len(SUBJECTS)]
            enquiry = Enquiry.objects.create(
                reference=f"{HISTORY_PREFIX}{number:05d}",
                customer=customer,
                tenancy_id=customer.tenancy_id,
                property_id=customer.tenancy.property_id,
                received_by="portal" if number % 3 else "phone",
                status=EnquiryStatus.ANSWERED,
                opened_at=opened_at,
                closed_at=times["enquiry.respond"][1] + dt.timedelta(minutes=5),
                topic=topic,
                subject=subject,
                details="Asked and answered.",
                answer="We answered this by email.",
                acknowledged_at=times["enquiry.acknowledge"][1],
                answered_at=times["enquiry.respond"][1],
            )
            Deadline.objects.bulk_create(
                Deadline(
                    content_type=content_type,
                    object_id=enquiry.pk,
                    commitment=commitment,
                    clock=commitment.clock,
                    amount=commitment.amount,
                    started_at=opened_at,
                    original_due_at=times[commitment.code][0],
                    due_at=times[commitment.code][0],
                    met_at=times[commitment.code][1],
                    breached_at=None
                    if times[commitment.code][2]
                    else times[commitment.code][0] + dt.timedelta(minutes=1),
                )
                for commitment in (acknowledge, respond)
            )


def _last_years_pack(year: ReportingYear, complaints_lead, now: dt.datetime) -> None:
    """Last year's self-assessment, every provision answered, the Board's response recorded,
    and published with the annual complaints report."""
    pack = chc_pack_for_year(year=year, now=now)
    if pack.published_at is not None:
        return
    for provision in PROVISIONS:
        compliance = Compliance.PARTLY if provision.number == "6.2" else Compliance.YES
        chc_answer_save(
            pack=pack,
            provision=provision.number,
            compliance=compliance,
            evidence=(
                "Most stage 1 complaints were acknowledged in time; a new daily check of the "
                "clocks started in January."
                if compliance == Compliance.PARTLY
                else f"Complaints policy and procedure, reviewed in March ({provision.number})."
            ),
            evidence_link="https://www.example.org/complaints-policy",
            actor=complaints_lead,
            now=now,
        )
    chc_governing_body_response_record(
        pack=pack,
        response=(
            "The Board has reviewed the self-assessment and the annual complaints report. It "
            "asks for stage 1 acknowledgements to be reported to it monthly until every one is "
            "made within five working days."
        ),
        approved_on=min(year.ends + dt.timedelta(days=60), local_date(now)),
    )
    chc_pack_publish(pack=pack, now=now)


def _this_years_pack(year: ReportingYear, complaints_lead, now: dt.datetime) -> None:
    """This year's self-assessment, started: a few provisions answered."""
    pack = chc_pack_for_year(year=year, now=now)
    if pack.published_at is not None:
        return
    for number, (compliance, evidence) in CURRENT_YEAR_ANSWERS.items():
        chc_answer_save(
            pack=pack,
            provision=number,
            compliance=compliance,
            evidence=evidence,
            evidence_link="",
            actor=complaints_lead,
            now=now,
        )


def _peer_figures(year: ReportingYear, now: dt.datetime) -> None:
    if PeerFigure.objects.exists():
        return
    rows = ["landlord,year,measure,figure"]
    for measure, figures in PEER_MEASURES.items():
        for landlord, figure in zip(PEER_LANDLORDS, figures, strict=True):
            rows.append(f"{landlord},{year.first_year},{measure},{figure}")
    result = peer_figures_import(text="\n".join(rows) + "\n", now=now)
    if result.errors:
        raise RuntimeError(f"Demo peer figures refused: {result.errors}")
