"""Reads of the compliance register: a household's safety page and certificates, the compliance
team's overdue list and a check's history, and the building safety measures (BS01-BS05)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from kernel import personal_data
from kernel.figures import percent
from kernel.reporting import ReportingYear
from safety.models import (
    BUILDING_SAFETY_MEASURES,
    AccessAttempt,
    AccessStage,
    CheckRecord,
    CheckType,
    CheckVisit,
    ComplianceCheck,
    Peep,
    PeepStatus,
    RemedialWork,
    SafetyReport,
    clocks_in_date_at,
    may_be_out_of_date_at,
    overdue_at,
)
from tenancy.models import Customer, Property
from tenancy.selectors import homes_counted_for_tsms

# --- the household --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    """One check on a household's safety page."""

    check: ComplianceCheck
    latest: CheckRecord | None
    for_the_building: bool
    # The booked visit's label (its day and time), if one is booked.
    visit_booked: str | None = None

    @property
    def bookable(self) -> bool:
        """A visit the household books itself: every check of the home, since each needs us
        inside it (gas, electrical, the alarms, the flat's entrance door, its own water or
        asbestos); a block's shared parts need no one to let us in."""
        return not self.for_the_building

    @property
    def overdue(self) -> bool:
        return self.check.next_due_at is None or self.check.next_due_at <= _now()


def _now() -> dt.datetime:
    return timezone.now()


def safety_for_household(customer: Customer) -> list[CheckLine]:
    """Every check that applies to the household's home and to its block's shared parts, with
    its latest record: what was done when, and when it is next due (the running clock's due
    time, ``next_due_at``) and any visit booked. Two queries whatever the number of checks and
    records: the checks, each with its booked visit and its latest record's id, then those
    records."""
    home = customer.household.property
    where = Q(property_id=home.pk)
    if home.block_id is not None:
        where |= Q(block_id=home.block_id)
    booked = CheckVisit.objects.filter(
        compliance_check_id=OuterRef("pk"), status=CheckVisit.Status.BOOKED
    ).values("label")[:1]
    latest_record = (
        CheckRecord.objects.filter(compliance_check_id=OuterRef("pk"))
        .order_by("-done_on", "-pk")
        .values("pk")[:1]
    )
    checks = list(
        ComplianceCheck.objects.filter(where, applies=True)
        .annotate(visit_booked=Subquery(booked), latest_record_id=Subquery(latest_record))
        .order_by("block_id", "check_type", "pk")
    )
    record_ids = [c.latest_record_id for c in checks if c.latest_record_id is not None]
    latest = {
        r.pk: r
        for r in CheckRecord.objects.filter(pk__in=record_ids).only(
            "pk", "compliance_check_id", "done_on", "outcome", "certificate"
        )
    }
    return [
        CheckLine(
            check=c,
            latest=latest.get(c.latest_record_id),
            for_the_building=c.block_id is not None,
            visit_booked=c.visit_booked,
        )
        for c in checks
    ]


def access_home_check(customer: Customer, check_id: int) -> ComplianceCheck:
    """A check of the customer's own home (any kind: each needs us inside the home) that the
    household books a visit for, or 404."""
    check = (
        ComplianceCheck.objects.select_related("property")
        .filter(
            pk=check_id,
            property_id=customer.household.property_id,
            applies=True,
        )
        .first()
    )
    if check is None:
        raise Http404
    return check


def booked_visit(check: ComplianceCheck) -> CheckVisit | None:
    return check.visits.filter(status=CheckVisit.Status.BOOKED).first()


def access_certificate(customer: Customer, record_id: int) -> CheckRecord:
    """A certificate of the customer's own home, or 404: another household's, a block's (its
    residents see the assessment's summary on their safety page, not the document) or a record
    without a file."""
    record = (
        CheckRecord.objects.select_related("compliance_check")
        .filter(pk=record_id, compliance_check__property_id=customer.household.property_id)
        .exclude(certificate="")
        .first()
    )
    if record is None:
        raise Http404
    return record


# --- the compliance team ----------------------------------------------------------------------


def overdue_checks(
    *, now: dt.datetime, check_type: str | None = None, limit: int = 200
) -> list[ComplianceCheck]:
    """Checks that apply and are overdue now (past due or never done), the longest overdue
    first and never-done ones first of all, with their home or block and how far the no-access
    procedure has gone: an overdue check always shows why."""
    queryset = ComplianceCheck.objects.filter(overdue_at(now))
    if check_type:
        queryset = queryset.filter(check_type=check_type)
    return list(queryset.select_related("property", "block").order_by("next_due_at", "pk")[:limit])


def overdue_by_type(*, now: dt.datetime) -> list[tuple[str, str, int]]:
    counts = dict(
        ComplianceCheck.objects.filter(overdue_at(now))
        .values_list("check_type")
        .annotate(n=Count("pk"))
        .values_list("check_type", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in CheckType.choices]


def no_access_pipeline() -> list[tuple[str, int]]:
    """How many checks stand at each step of getting in, invitations to legal referral."""
    counts = dict(
        ComplianceCheck.objects.filter(applies=True)
        .exclude(access_stage="")
        .values_list("access_stage")
        .annotate(n=Count("pk"))
        .values_list("access_stage", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in AccessStage.choices if value]


def check_for_staff(check_id: int) -> ComplianceCheck:
    check = ComplianceCheck.objects.select_related("property", "block").filter(pk=check_id).first()
    if check is None:
        raise Http404
    return check


def records_of_check(check: ComplianceCheck) -> QuerySet[CheckRecord]:
    return check.records.select_related("contractor", "recorded_by").prefetch_related("remedials")


def record_for_staff(record_id: int) -> CheckRecord:
    record = CheckRecord.objects.filter(pk=record_id).exclude(certificate="").first()
    if record is None:
        raise Http404
    return record


def remedial_for_staff(remedial_id: int) -> RemedialWork:
    remedial = RemedialWork.objects.select_related("record").filter(pk=remedial_id).first()
    if remedial is None:
        raise Http404
    return remedial


# --- the measures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    code: str
    title: str
    homes_requiring: int
    homes_compliant: int

    @property
    def percent(self):
        return percent(self.homes_compliant, self.homes_requiring)


def measure_moment(year: ReportingYear, now: dt.datetime) -> dt.datetime:
    """BS01-BS05 are a snapshot at the end of the year (31 March); for the year under way, now."""
    return min(now, year.end_at - dt.timedelta(seconds=1))


def building_safety_measures(*, year: ReportingYear, at: dt.datetime) -> list[Measure]:
    """BS01-BS05 at ``at``: of the homes the measures count for ``year`` (low-cost rental and
    home ownership, ``homes_counted_for_tsms``) that a kind of check applies to (in the home,
    or in the shared parts of its block), the share where every such check was in date at
    ``at`` (``clocks_in_date_at``). A home with a check that applies and no record counts against
    the measure, never as "not due". Two queries whatever the size of the stock: the checks
    that may be out of date with a clock of each in date, then one count of the homes for all
    five."""
    failing = _failing_at(at)
    figures = homes_counted_for_tsms(year).aggregate(
        **{
            name: Count("pk", filter=condition)
            for code, check_type, _ in BUILDING_SAFETY_MEASURES
            for name, condition in (
                (f"{code}_requiring", _requiring(check_type)),
                # A home with a check of the kind out of date is one the kind applies to.
                (f"{code}_failing", failing[check_type]),
            )
        }
    )
    return [
        Measure(
            code=code,
            title=title,
            homes_requiring=figures[f"{code}_requiring"],
            homes_compliant=figures[f"{code}_requiring"] - figures[f"{code}_failing"],
        )
        for code, check_type, title in BUILDING_SAFETY_MEASURES
    ]


@dataclass(frozen=True)
class SafetyMeasures:
    """What the manager dashboard and the measures page show: BS01-BS05 at ``at``, the checks
    overdue now by type and how many checks stand at each step of getting in."""

    year: ReportingYear
    at: dt.datetime
    measures: list[Measure]
    overdue_by_type: list[tuple[str, str, int]]
    pipeline: list[tuple[str, int]]


def safety_measures(*, year: ReportingYear, now: dt.datetime) -> SafetyMeasures:
    """The building safety figures for ``year`` (BS01-BS05 as at the year's end, or now for
    the year under way), with the overdue list's counts and the no-access pipeline now. Four
    queries whatever the size of the stock."""
    at = measure_moment(year, now)
    return SafetyMeasures(
        year=year,
        at=at,
        measures=building_safety_measures(year=year, at=at),
        overdue_by_type=overdue_by_type(now=now),
        pipeline=no_access_pipeline(),
    )


def homes_counted_for_building_safety(
    *, year: ReportingYear, at: dt.datetime, code: str
) -> QuerySet[Property]:
    """The homes measure ``code`` (BS01-BS05) counts at ``at``, by UPRN then id, each with
    ``compliant``: whether it counts towards the figure. The same rule and the same homes as
    ``building_safety_measures``, for a drill-down."""
    check_type = next(t for c, t, _ in BUILDING_SAFETY_MEASURES if c == code)
    failing = _failing_at(at, [check_type])[check_type]
    return (
        homes_counted_for_tsms(year)
        .filter(_requiring(check_type))
        .annotate(compliant=Case(When(failing, then=Value(False)), default=Value(True)))
        .order_by("uprn", "pk")
    )


def _checks_that_apply(types: list[str]) -> QuerySet[ComplianceCheck]:
    return ComplianceCheck.objects.filter(check_type__in=types, applies=True)


def _failing_at(at: dt.datetime, types: list[str] | None = None) -> dict[str, Q]:
    """For each kind of check, on ``Property``: the homes with one out of date at ``at`` (in
    the home or in its block's shared parts; a Q that matches nothing when there are none).

    Only the checks ``may_be_out_of_date_at`` are read, each with one of its clocks in date
    then (``clocks_in_date_at``), if any: the rest are in date by their running clock, and the
    out-of-date ones are few (the point of the register). One query: the clock is looked up per
    candidate through the (content type, object id) index, where a join or an IN list lets the
    planner read every clock due after ``at`` instead (three times the CPU at 100,000 homes)."""
    types = types or [check_type for _, check_type, _ in BUILDING_SAFETY_MEASURES]
    a_clock_in_date = (
        clocks_in_date_at(at).filter(object_id=OuterRef("pk")).order_by().values("pk")[:1]
    )
    candidates = (
        _checks_that_apply(types)
        .filter(may_be_out_of_date_at(at))
        .order_by()
        .annotate(a_clock_in_date=Subquery(a_clock_in_date))
        .values_list("check_type", "property_id", "block_id", "a_clock_in_date")
    )
    homes: dict[str, list[int]] = {t: [] for t in types}
    blocks: dict[str, list[int]] = {t: [] for t in types}
    for check_type, home_id, block_id, clock_in_date in candidates:
        if clock_in_date is not None:
            continue
        if home_id is not None:
            homes[check_type].append(home_id)
        else:
            blocks[check_type].append(block_id)
    return {t: Q(pk__in=homes[t]) | Q(block_id__in=blocks[t]) for t in types}


def _requiring(check_type: str) -> Q:
    """On ``Property``: the homes a kind of check applies to, by their own check or their
    block's. Two IN lists rather than one OR inside a correlated subquery, so the database
    hashes each list once (read from ``safety_check_type_home_idx`` and ``..._block_idx``)."""
    checks = _checks_that_apply([check_type])
    return Q(pk__in=checks.filter(property__isnull=False).values("property_id")) | Q(
        block_id__in=checks.filter(block__isnull=False).values("block_id")
    )


# --- evacuation plans -------------------------------------------------------------------------


def peep_for_customer(customer: Customer) -> Peep | None:
    """The person's own live plan, if any: a plan holds health details, so it is shown to the
    person it is for, not to the rest of the household."""
    return Peep.objects.filter(customer=customer).exclude(status=PeepStatus.WITHDRAWN).first()


def peeps_for_staff(limit: int = 200) -> list[Peep]:
    """Live plans, those waiting for an assessment first, then by review date."""
    return list(
        Peep.objects.exclude(status=PeepStatus.WITHDRAWN)
        .select_related("customer", "block")
        .order_by("-status", "next_due_at", "pk")[:limit]
    )


def peep_for_staff(peep_id: int) -> Peep:
    peep = Peep.objects.select_related("customer", "block").filter(pk=peep_id).first()
    if peep is None:
        raise Http404
    return peep


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "safety.ComplianceCheck": "the checks that apply to the person's own home; the checks of "
        "a block's shared parts (fire risk assessments, lifts, communal doors) are about the "
        "building and name no resident, so they are left out",
        "safety.CheckRecord": "each check of their home done while their tenancy ran, with its "
        "certificate file (a block's records name only our contractors' engineers)",
        "safety.RemedialWork": "the work those checks of their home asked for",
        "safety.AccessAttempt": "the invitations, reminders and no-access letters about their "
        "home's checks while their tenancy ran",
        "safety.CheckVisit": "the visits booked for their home's checks while their tenancy ran",
        "safety.SafetyReport": "every fire, shared-area or alteration report the person made",
        "safety.Peep": "their own evacuation plan with the consents they gave: it holds health "
        "details, so it is in their pack only, never another household member's",
    },
    holds_none={
        "safety.Contractor": "a firm whose engineers do our checks and its registrations",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """The safety records of the person's own home from the day their tenancy started (to the
    day it ended): its checks, what each found, the certificates (the files included), the work
    they asked for, the visits and no-access letters; the reports the person made; and their own
    evacuation plan. A previous household's letters and visits, and a block's shared-parts
    records, are not theirs."""
    tenancy = customer.tenancy
    if tenancy is None:
        # An applicant with no household: no home of ours, so no safety records of one (their
        # reports and evacuation plans are about a home too).
        return personal_data.Part(area="Home safety")
    checks = list(
        ComplianceCheck.objects.filter(property_id=tenancy.property_id).order_by("check_type", "pk")
    )
    check_ids = [c.pk for c in checks]
    records = personal_data.records_of(
        checks,
        title=lambda c: f"Your home's {c.get_check_type_display().lower()}",
        exclude=("property", "block"),
    )
    during = Q(done_on__gte=tenancy.start_date)
    if tenancy.end_date is not None:
        during &= Q(done_on__lte=tenancy.end_date)
    check_records = list(
        CheckRecord.objects.filter(during, compliance_check_id__in=check_ids)
        .select_related("compliance_check", "contractor", "recorded_by")
        .order_by("done_on", "pk")
    )
    records += personal_data.records_of(
        check_records,
        title=str,
        exclude=("certificate",),
        staff=lambda r: (r.recorded_by, r.engineer_name),
    )
    records += personal_data.records_of(
        RemedialWork.objects.filter(record__in=check_records)
        .select_related("record__compliance_check")
        .order_by("raised_at", "pk"),
        title=lambda w: f"Work asked for by the {w.record}",
    )
    records += personal_data.records_of(
        AccessAttempt.objects.filter(
            _from_tenancy_start("occurred_at", tenancy), compliance_check_id__in=check_ids
        )
        .select_related("compliance_check", "actor")
        .order_by("occurred_at", "pk"),
        title=lambda a: f"{a.get_stage_display()}: {a.compliance_check.get_check_type_display()}",
        staff=lambda a: (a.actor,),
    )
    records += personal_data.records_of(
        CheckVisit.objects.filter(
            _from_tenancy_start("booked_at", tenancy), compliance_check_id__in=check_ids
        )
        .select_related("compliance_check", "booked_by")
        .order_by("booked_at", "pk"),
        title=lambda v: f"A visit for the {v.compliance_check.get_check_type_display().lower()}",
        exclude=("slot_id",),
        staff=lambda v: (v.booked_by,),
    )
    records += personal_data.records_of(
        SafetyReport.objects.filter(customer=customer)
        .select_related("assignee", "team")
        .order_by("opened_at", "pk"),
        title=lambda r: f"{r.reference}: {r.display_title}",
        exclude=personal_data.CASE_LINKS_NOT_SHOWN,
        staff=lambda r: (r.assignee,),
    )
    records += personal_data.records_of(
        Peep.objects.filter(customer=customer).select_related("block").order_by("pk"),
        title=lambda p: f"Your evacuation plan ({p.get_status_display().lower()})",
        exclude=("customer",),
    )
    files = tuple(
        personal_data.File(
            record_key=f"safety.CheckRecord:{r.pk}",
            name=r.certificate_name or "certificate.pdf",
            storage_name=r.certificate.name or "",
            mime_type="application/pdf",
        )
        for r in check_records
        if r.certificate
    )
    return personal_data.Part(area="Home safety", records=tuple(records), files=files)


def _from_tenancy_start(field: str, tenancy) -> Q:
    """Rows of ``field`` (a moment) on the days the tenancy ran."""
    during = Q(**{f"{field}__date__gte": tenancy.start_date})
    if tenancy.end_date is not None:
        during &= Q(**{f"{field}__date__lte": tenancy.end_date})
    return during
