"""Reads for complaints: the customer's own (household-scoped, 404 otherwise), the evidence pack
for one complaint, and the measures managers and the Board report (CH01, CH02 and the rest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as Conditional
from django.http import Http404
from django.utils import timezone

from casework.access import (
    entry_for_model,
    entry_for_reference,
    log_sensitive_read,
    staff_can_see_model,
)
from casework.models import Case, CaseEvent, CaseLink, ReceivedBy
from casework.selectors import (
    CaseSummary,
    attachments_for_case,
    cases_for_household,
    customer_timeline,
    summarise_case,
    timeline_for_case,
)
from complaints.models import (
    SATISFIED,
    UPHELD_OUTCOMES,
    ActionUpdate,
    Complaint,
    ComplaintExtension,
    ComplaintLearning,
    ComplaintLetter,
    ComplaintPoint,
    ComplaintRating,
    ComplaintStatus,
    Feedback,
    LetterDecision,
    OmbudsmanRecord,
    Outcome,
    OutstandingAction,
    QuickResolutionOutcome,
    RefusalReason,
    ServiceArea,
)
from kernel import personal_data
from kernel.figures import per_thousand, percent
from kernel.reporting import ReportingYear
from sla.models import Deadline
from tenancy.models import Customer
from tenancy.selectors import homes_counted_for_tsms

S = ComplaintStatus

# ---------------------------------------------------------------------------------------------
# The customer's complaints
# ---------------------------------------------------------------------------------------------


def complaints_for_household(customer: Customer) -> QuerySet[Complaint]:
    return Complaint.objects.filter(tenancy_id=customer.household_id).order_by("-opened_at", "-id")


def access_complaint(customer: Customer, reference: str) -> Complaint:
    """The household's complaint with this reference, or 404: the same answer for one that does
    not exist and one in another household, so references cannot be probed."""
    complaint = (
        Complaint.objects.select_related("customer", "tenancy")
        .filter(reference=reference.strip().upper(), tenancy_id=customer.household_id)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def letters_for_customer(complaint: Complaint) -> QuerySet[ComplaintLetter]:
    """Letters the customer has been sent; drafts never."""
    return complaint.letters.filter(sent_at__isnull=False).order_by("sent_at", "id")


def access_letter(complaint: Complaint, letter_id: int) -> ComplaintLetter:
    letter = letters_for_customer(complaint).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return letter


def promised_actions(complaint: Complaint) -> list[OutstandingAction]:
    """Actions from sent responses, each with its updates."""
    return list(
        complaint.actions.filter(letter__sent_at__isnull=False)
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.order_by("created_at")))
        .order_by("due_date", "id")
    )


@dataclass(frozen=True)
class DueStep:
    label: str
    due_at: dt.datetime
    overdue: bool


_STEP_LABELS = {
    "complaint.quick_resolution": "We aim to put this right by",
    "complaint.stage1.acknowledge": "We will confirm what your complaint is about by",
    "complaint.stage1.respond": "We will send our response by",
    "complaint.stage2.acknowledge": "We will confirm what the Final Review will cover by",
    "complaint.stage2.respond": "We will send our Final Review response by",
}


def due_steps(complaint: Complaint) -> list[DueStep]:
    """Each step still to do, at the earlier of our promise and the Code's clock for it."""
    if complaint.closed_at is not None:
        return []
    now = timezone.now()
    earliest: dict[str, dt.datetime] = {}
    deadlines = Deadline.objects.for_case(complaint).still_to_do().select_related("commitment")
    for deadline in deadlines:
        step = deadline.commitment.code.removesuffix(".code")
        if step in _STEP_LABELS and (step not in earliest or deadline.due_at < earliest[step]):
            earliest[step] = deadline.due_at
    return [
        DueStep(label=_STEP_LABELS[step], due_at=due, overdue=due < now)
        for step, due in sorted(earliest.items(), key=lambda item: item[1])
    ]


def can_escalate(complaint: Complaint) -> bool:
    return (
        complaint.stage == 1
        and not complaint.is_refused
        and complaint.status in (S.STAGE1_RESPONDED, S.CLOSED)
    )


def can_rate(complaint: Complaint) -> bool:
    return (
        complaint.closed_at is not None
        and not ComplaintRating.objects.filter(complaint=complaint).exists()
    )


@dataclass
class LinkedCase:
    relation: str
    summary: CaseSummary
    history: list


def _linked(complaint: Complaint) -> list[tuple[str, Case]]:
    """Cases this complaint is about or continues from, loaded with one query per model."""
    links = CaseLink.objects.filter(
        from_type=ContentType.objects.get_for_model(Complaint), from_id=complaint.pk
    ).order_by("created_at", "id")
    found: list[tuple[str, Case]] = []
    for link in links:
        model = ContentType.objects.get_for_id(link.to_type_id).model_class()
        if model is None:
            continue
        case = model._base_manager.filter(pk=link.to_id).first()
        if isinstance(case, Case):
            found.append((link.relation, case))
    return found


def linked_cases_for_customer(complaint: Complaint, customer: Customer) -> list[LinkedCase]:
    """The repair or other case the complaint is about, with its customer-visible history.
    Another member's sensitive case is never shown."""
    rows = []
    for relation, case in _linked(complaint):
        entry = entry_for_model(type(case))
        if case.tenancy_id != customer.tenancy_id:
            continue
        if entry is not None and entry.requester_only and case.customer_id != customer.pk:
            continue
        rows.append(
            LinkedCase(
                relation=relation,
                summary=summarise_case(case, entry),
                history=customer_timeline(case),
            )
        )
    return rows


def household_cases_to_complain_about(customer: Customer) -> list[CaseSummary]:
    """The household's other cases (newest first), to choose one the complaint is about."""
    return [
        s
        for s in cases_for_household(customer.tenancy, viewer=customer, limit=50)
        if not s.reference.startswith(Complaint.REFERENCE_PREFIX + "-")
    ]


def feedback_for_household(customer: Customer) -> QuerySet[Feedback]:
    return Feedback.objects.filter(tenancy_id=customer.household_id).order_by("-received_at")


# ---------------------------------------------------------------------------------------------
# The evidence pack: everything about one complaint, for the Ombudsman
# ---------------------------------------------------------------------------------------------


@dataclass
class LinkedHistory:
    relation: str
    case: Case
    events: list[CaseEvent]
    full: bool


@dataclass
class EvidencePack:
    complaint: Complaint
    events: list[CaseEvent]
    deadlines: list[Deadline]
    letters: list[ComplaintLetter]
    extensions: list[ComplaintExtension]
    actions: list[OutstandingAction]
    learning: list[ComplaintLearning]
    rating: ComplaintRating | None
    linked: list[LinkedHistory]
    attachments: list
    ombudsman_records: list[OmbudsmanRecord]
    points: dict[int, list] = field(default_factory=dict)


def evidence_pack(complaint: Complaint, *, reader, path: str) -> EvidencePack:
    """The complaint's full chronology (internal notes too), every clock with its extensions,
    every letter sent, and the history of the cases it is about.

    A linked case's internal history is included only if the reader's role may see that kind of
    case (a sensitive one is logged as read); otherwise only what its customer saw.
    """
    complaint = Complaint.objects.select_related(
        "customer",
        "tenancy__property",
        "stage1_handler",
        "stage2_handler",
        "assignee",
        "team",
        "logged_by",
    ).get(pk=complaint.pk)
    linked: list[LinkedHistory] = []
    for relation, case in _linked(complaint):
        full = staff_can_see_model(reader, type(case))
        entry = entry_for_model(type(case))
        if full and entry is not None and entry.reads_logged:
            log_sensitive_read(user=reader, case=case, path=path)
        linked.append(
            LinkedHistory(
                relation=relation,
                case=case,
                events=list(timeline_for_case(case, customer_view=not full)),
                full=full,
            )
        )
    points: dict[int, list] = {}
    for point in complaint.points.all():
        points.setdefault(point.stage, []).append(point)
    return EvidencePack(
        complaint=complaint,
        events=list(timeline_for_case(complaint, customer_view=False)),
        deadlines=list(
            Deadline.objects.for_case(complaint)
            .select_related("commitment", "extended_by")
            .order_by("started_at", "pk")
        ),
        letters=list(
            complaint.letters.filter(sent_at__isnull=False)
            .select_related("sent_by")
            .order_by("sent_at", "id")
        ),
        extensions=list(complaint.extensions.select_related("requested_by", "approved_by")),
        actions=list(
            complaint.actions.filter(letter__sent_at__isnull=False).prefetch_related(
                Prefetch("updates", queryset=ActionUpdate.objects.select_related("created_by"))
            )
        ),
        learning=list(complaint.learning.select_related("recorded_by")),
        rating=ComplaintRating.objects.filter(complaint=complaint).first(),
        linked=linked,
        attachments=list(attachments_for_case(complaint, customer_view=False)),
        ombudsman_records=list(complaint.ombudsman_records.all()),
        points=points,
    )


def staff_complaint_by_reference(reference: str) -> Complaint:
    entry = entry_for_reference(reference.strip().upper())
    if entry is None or entry.model is not Complaint:
        raise Http404
    complaint = Complaint.objects.filter(reference=reference.strip().upper()).first()
    if complaint is None:
        raise Http404
    return complaint


# ---------------------------------------------------------------------------------------------
# Measures: CH01, CH02, Quick Resolution, satisfaction, upheld by service area
# ---------------------------------------------------------------------------------------------


def _met_on_time(code: str) -> Exists:
    return Exists(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id=OuterRef("pk"),
            commitment__code=code,
            met_at__isnull=False,
            met_at__lte=F("due_at"),
        )
    )


def _within_code(stage: int) -> Q:
    """Responded to within the Code's timescales (CH02): acknowledged within 5 working days and
    answered within 10 (stage 2: 20) of the actual acknowledgement, or of a compliant extension
    (the due time an extension set; our extension service refuses non-compliant ones).

    A Quick Resolution answered inside its 2 working days was answered, in full and in writing,
    before the Code's acknowledgement deadline: that is within the Code's timescales too.
    """
    formal = Q(**{f"s{stage}_ack_ok": True, f"s{stage}_respond_ok": True})
    if stage == 1:
        return formal | Q(quick_resolution_outcome=QuickResolutionOutcome.RESOLVED, qr_ok=True)
    return formal


@dataclass
class ServiceAreaRow:
    service_area: str
    label: str
    stage1_responses: int
    stage1_upheld: int
    stage2_responses: int
    stage2_upheld: int

    @property
    def stage1_upheld_percent(self) -> Decimal | None:
        return percent(self.stage1_upheld, self.stage1_responses)

    @property
    def stage2_upheld_percent(self) -> Decimal | None:
        return percent(self.stage2_upheld, self.stage2_responses)


@dataclass
class ComplaintMeasures:
    year: ReportingYear
    homes: int
    stage1_received: int
    stage2_received: int
    stage1_responded: int
    stage1_within_code: int
    stage2_responded: int
    stage2_within_code: int
    quick_resolutions_ended: int
    quick_resolutions_resolved: int
    ratings: int
    ratings_satisfied: int
    open_now: int
    overdue_now: int
    by_service_area: list[ServiceAreaRow]

    @property
    def ch01_stage1(self) -> Decimal | None:
        return per_thousand(self.stage1_received, self.homes)

    @property
    def ch01_stage2(self) -> Decimal | None:
        return per_thousand(self.stage2_received, self.homes)

    @property
    def ch02_stage1(self) -> Decimal | None:
        return percent(self.stage1_within_code, self.stage1_responded)

    @property
    def ch02_stage2(self) -> Decimal | None:
        return percent(self.stage2_within_code, self.stage2_responded)

    @property
    def quick_resolution_rate(self) -> Decimal | None:
        return percent(self.quick_resolutions_resolved, self.quick_resolutions_ended)

    @property
    def satisfaction(self) -> Decimal | None:
        return percent(self.ratings_satisfied, self.ratings)


def received_in_year(year: ReportingYear, stage: int) -> Q:
    """The complaints CH01 counts for ``stage``: stage 1 complaints received in the year and
    accepted into the process (a refusal is not), or stage 2 escalations received in it."""
    if stage == 1:
        return year.within("opened_at") & Q(refused_at__isnull=True)
    return year.within("escalated_at")


def responded_in_year(year: ReportingYear, stage: int) -> Q:
    """The complaints CH02's denominator counts for ``stage``: answered in the year."""
    return year.within(f"stage{stage}_responded_at")


def _with_code_clocks(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.annotate(
        s1_ack_ok=_met_on_time("complaint.stage1.acknowledge.code"),
        s1_respond_ok=_met_on_time("complaint.stage1.respond.code"),
        s2_ack_ok=_met_on_time("complaint.stage2.acknowledge.code"),
        s2_respond_ok=_met_on_time("complaint.stage2.respond.code"),
        qr_ok=_met_on_time("complaint.quick_resolution"),
    )


def complaints_counted_for_ch01(year: ReportingYear, stage: int) -> QuerySet[Complaint]:
    """The cases CH01 counts (its numerator), for a drill-down: the same rule as
    ``complaint_measures``."""
    return Complaint.objects.filter(received_in_year(year, stage)).order_by("opened_at", "pk")


def complaints_counted_for_ch02(year: ReportingYear, stage: int) -> QuerySet[Complaint]:
    """The cases CH02 counts (its denominator), each annotated ``within_code`` (its
    numerator), for a drill-down: the same rule as ``complaint_measures``."""
    return (
        _with_code_clocks(Complaint.objects.filter(responded_in_year(year, stage)))
        .annotate(
            within_code=Conditional(
                When(_within_code(stage), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(f"stage{stage}_responded_at", "pk")
    )


def complaint_measures(year: ReportingYear) -> ComplaintMeasures:
    """The year's complaint measures in five queries, whatever the number of complaints.

    CH01 counts stage 1 complaints received (refusals are not accepted into the process, so
    not counted) and stage 2 escalations received, per 1,000 of the homes the TSMs count at
    the end of the year (``homes_counted_for_tsms``).
    CH02 counts responses sent in the year; see ``_within_code``.
    """
    homes = homes_counted_for_tsms(year).count()
    now = timezone.now()
    totals = _with_code_clocks(Complaint.objects.all()).aggregate(
        stage1_received=Count("pk", filter=received_in_year(year, 1)),
        stage2_received=Count("pk", filter=received_in_year(year, 2)),
        stage1_responded=Count("pk", filter=responded_in_year(year, 1)),
        stage1_within_code=Count("pk", filter=responded_in_year(year, 1) & _within_code(1)),
        stage2_responded=Count("pk", filter=responded_in_year(year, 2)),
        stage2_within_code=Count("pk", filter=responded_in_year(year, 2) & _within_code(2)),
        quick_resolutions_ended=Count(
            "pk", filter=year.within("quick_resolution_ended_at") & Q(quick_resolution=True)
        ),
        quick_resolutions_resolved=Count(
            "pk",
            filter=year.within("quick_resolution_ended_at")
            & Q(quick_resolution_outcome=QuickResolutionOutcome.RESOLVED),
        ),
        open_now=Count("pk", filter=Q(closed_at__isnull=True)),
        overdue_now=Count("pk", filter=Q(closed_at__isnull=True, next_due_at__lt=now)),
    )
    ratings = ComplaintRating.objects.filter(year.within("rated_at")).aggregate(
        total=Count("pk"), satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED))
    )
    return ComplaintMeasures(
        year=year,
        homes=homes,
        ratings=ratings["total"],
        ratings_satisfied=ratings["satisfied"],
        by_service_area=upheld_by_service_area(year),
        **totals,
    )


def upheld_by_service_area(year: ReportingYear) -> list[ServiceAreaRow]:
    """Responses sent in the year and how many upheld (fully or partly), per service area."""
    s1 = year.within("stage1_responded_at")
    s2 = year.within("stage2_responded_at")
    rows = (
        Complaint.objects.filter(s1 | s2)
        .values("service_area")
        .annotate(
            stage1_responses=Count("pk", filter=s1),
            stage1_upheld=Count("pk", filter=s1 & Q(stage1_outcome__in=UPHELD_OUTCOMES)),
            stage2_responses=Count("pk", filter=s2),
            stage2_upheld=Count("pk", filter=s2 & Q(stage2_outcome__in=UPHELD_OUTCOMES)),
        )
        .order_by("service_area")
    )
    return [
        ServiceAreaRow(label=str(ServiceArea(row["service_area"]).label), **row) for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# The annual complaints performance and service improvement report (Code section 8)
# ---------------------------------------------------------------------------------------------


@dataclass
class CountRow:
    label: str
    count: int


@dataclass
class AnnualReport:
    measures: ComplaintMeasures
    by_channel: list[CountRow]
    by_outcome: list[CountRow]
    refusals: list[CountRow]
    extensions_stage1: int
    extensions_stage2: int
    extensions_beyond_limit: int
    code_clocks_missed: list[CountRow]
    stage2_same_handler: int
    learning: list[ComplaintLearning]
    ombudsman_records: list[OmbudsmanRecord]

    @property
    def refusals_total(self) -> int:
        return sum(r.count for r in self.refusals)


def annual_report(year: ReportingYear) -> AnnualReport:
    """The contents the Code (8.1) requires of the annual report, from our records: the
    measures, the analysis (by channel, outcome and service area, refusals by reason), the
    findings of non-compliance (Code clocks missed, extensions beyond the limit, stage 2 handled
    by the stage 1 handler), the improvements made from learning, and the Ombudsman's letters."""
    measures = complaint_measures(year)
    # The same complaints CH01 counts: received in the year and accepted into the process.
    received = year.within("opened_at") & Q(refused_at__isnull=True)
    channel_rows = (
        Complaint.objects.filter(received)
        .values("received_by")
        .annotate(n=Count("pk"))
        .order_by("-n", "received_by")
    )
    channel_labels = dict(ReceivedBy.choices)
    outcome_rows = (
        Complaint.objects.filter(year.within("stage1_responded_at"))
        .values("stage1_outcome")
        .annotate(n=Count("pk"))
        .order_by("stage1_outcome")
    )
    outcome_labels = dict(Outcome.choices)
    refusal_rows = (
        Complaint.objects.filter(year.within("refused_at"))
        .values("refusal_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "refusal_reason")
    )
    extensions = ComplaintExtension.objects.filter(year.within("created_at")).aggregate(
        stage1=Count("pk", filter=Q(stage=1)),
        stage2=Count("pk", filter=Q(stage=2)),
        beyond=Count(
            "pk",
            filter=Q(stage=1, further_working_days__gt=10)
            | Q(stage=2, further_working_days__gt=20),
        ),
    )
    missed = (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            commitment__code__endswith=".code",
        )
        .filter(year.within("due_at"))
        .filter(Q(breached_at__isnull=False) | Q(met_at__gt=F("due_at")))
        .values("commitment__title")
        .annotate(n=Count("pk"))
        .order_by("commitment__title")
    )
    same_handler = Complaint.objects.filter(
        year.within("stage2_responded_at"), stage2_handler_id=F("stage1_handler_id")
    ).count()
    return AnnualReport(
        measures=measures,
        by_channel=[
            CountRow(str(channel_labels.get(r["received_by"], r["received_by"])), r["n"])
            for r in channel_rows
        ],
        by_outcome=[
            CountRow(str(outcome_labels.get(r["stage1_outcome"], "")), r["n"]) for r in outcome_rows
        ],
        refusals=[
            CountRow(str(RefusalReason(r["refusal_reason"]).label), r["n"]) for r in refusal_rows
        ],
        extensions_stage1=extensions["stage1"],
        extensions_stage2=extensions["stage2"],
        extensions_beyond_limit=extensions["beyond"],
        code_clocks_missed=[CountRow(r["commitment__title"], r["n"]) for r in missed],
        stage2_same_handler=same_handler,
        learning=list(
            ComplaintLearning.objects.filter(year.within("recorded_at"))
            .select_related("complaint")
            .order_by("recorded_at")
        ),
        ombudsman_records=list(
            OmbudsmanRecord.objects.filter(received_on__gte=year.starts, received_on__lte=year.ends)
            .select_related("complaint")
            .order_by("received_on")
        ),
    )


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "complaints.Complaint": "every complaint the person made, every field",
        "complaints.ComplaintPoint": "the points of each complaint",
        "complaints.ComplaintLetter": "the letters about each complaint, drafts included",
        "complaints.LetterDecision": "the decision on each point",
        "complaints.OutstandingAction": "what we promised to do",
        "complaints.ActionUpdate": "progress on each promise",
        "complaints.ComplaintExtension": "each extension and its reason",
        "complaints.ComplaintLearning": "what we learned from their complaint",
        "complaints.ComplaintRating": "how they rated our handling",
        "complaints.Feedback": "their compliments and comments",
        "complaints.OmbudsmanRecord": "the Ombudsman's letters about their complaint",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """Every complaint this person made with everything hung on it, and their compliments and
    comments. Staff named on them are offered for redaction."""
    exclude = personal_data.CASE_LINKS_NOT_SHOWN
    complaints = list(
        Complaint.objects.filter(customer=customer)
        .select_related("assignee", "logged_by", "stage1_handler", "stage2_handler", "team")
        .order_by("opened_at", "pk")
    )
    records = personal_data.records_of(
        complaints,
        title=lambda c: f"{c.reference}: {c.subject}",
        exclude=exclude,
        staff=lambda c: (c.assignee, c.logged_by, c.stage1_handler, c.stage2_handler),
    )
    ids = [c.pk for c in complaints]
    reference = {c.pk: c.reference for c in complaints}
    records += personal_data.records_of(
        ComplaintPoint.objects.filter(complaint_id__in=ids).order_by("pk"),
        title=lambda p: f"{reference[p.complaint_id]}: a point of the complaint",
    )
    letters = list(
        ComplaintLetter.objects.filter(complaint_id__in=ids)
        .select_related("created_by", "sent_by")
        .order_by("pk")
    )
    records += personal_data.records_of(
        letters,
        title=lambda letter: f"{reference[letter.complaint_id]}: {letter.get_kind_display()}",
        staff=lambda letter: (letter.created_by, letter.sent_by),
    )
    records += personal_data.records_of(
        LetterDecision.objects.filter(letter__complaint_id__in=ids).order_by("pk"),
        title=lambda d: "The decision on a point",
    )
    actions = list(OutstandingAction.objects.filter(complaint_id__in=ids).order_by("pk"))
    records += personal_data.records_of(
        actions, title=lambda a: f"{reference[a.complaint_id]}: {a.description}"
    )
    records += personal_data.records_of(
        ActionUpdate.objects.filter(action__complaint_id__in=ids)
        .select_related("created_by")
        .order_by("pk"),
        title=lambda u: "Progress on a promised action",
        staff=lambda u: (u.created_by,),
    )
    records += personal_data.records_of(
        ComplaintExtension.objects.filter(complaint_id__in=ids)
        .select_related("approved_by", "requested_by")
        .order_by("pk"),
        title=lambda e: f"{reference[e.complaint_id]}: an extension",
        staff=lambda e: (e.approved_by, e.requested_by),
    )
    records += personal_data.records_of(
        ComplaintLearning.objects.filter(complaint_id__in=ids)
        .select_related("recorded_by")
        .order_by("pk"),
        title=lambda learning: f"{reference[learning.complaint_id]}: what we learned",
        staff=lambda learning: (learning.recorded_by,),
    )
    records += personal_data.records_of(
        ComplaintRating.objects.filter(customer=customer).order_by("pk"),
        title=lambda r: f"{reference.get(r.complaint_id, 'A complaint')}: your rating",
        exclude=("customer",),
    )
    records += personal_data.records_of(
        OmbudsmanRecord.objects.filter(complaint_id__in=ids)
        .select_related("recorded_by")
        .order_by("pk"),
        title=lambda o: f"{reference[o.complaint_id]}: {o.get_kind_display()}",
        staff=lambda o: (o.recorded_by,),
    )
    records += personal_data.records_of(
        Feedback.objects.filter(customer=customer).select_related("logged_by").order_by("pk"),
        title=lambda f: f"{f.get_kind_display()}",
        exclude=exclude,
        staff=lambda f: (f.logged_by,),
    )
    return personal_data.Part(area="Complaints, compliments and comments", records=tuple(records))


def improvements_in_year(year: ReportingYear) -> list[tuple[str, str]]:
    """What complaints taught us in the year and what we changed because of it, as (lesson,
    improvement), oldest first: the "you said, we did" of the annual reports. One query."""
    return list(
        ComplaintLearning.objects.filter(year.within("recorded_at"))
        .order_by("recorded_at", "pk")
        .values_list("lesson", "improvement")
    )
