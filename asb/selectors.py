"""Reads for reports of anti-social behaviour, hate crime and domestic abuse.

A reporter reaches their own cases only through ``access_asb_case``, which answers 404 for a
case anyone else reported, even in the same household (casework's rule for sensitive models).
Nothing here names a reporter to anyone but the ASB team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from asb.models import (
    ACKNOWLEDGE_CODE,
    ACTION_CODE,
    SATISFIED,
    AnonymousReport,
    AsbAction,
    AsbCase,
    AsbKind,
    DiaryEntry,
)
from casework.access import access_case_for_customer
from casework.selectors import attachments_for_case, customer_timeline
from kernel import personal_data
from kernel.figures import per_thousand, percent
from kernel.reporting import ReportingYear
from kernel.roles import Role
from sla.models import STILL_TO_DO, Deadline
from tenancy.models import Customer, Tenancy
from tenancy.selectors import homes_counted_for_tsms


def access_asb_case(user, reference: str) -> AsbCase:
    """The case with this reference if this signed-in customer reported it, else 404."""
    case = access_case_for_customer(user, reference)
    if not isinstance(case, AsbCase):
        raise Http404
    return case


def cases_for_reporter(customer: Customer) -> QuerySet[AsbCase]:
    return AsbCase.objects.filter(customer=customer).order_by("-opened_at", "-pk")


def actions_for_case(case: AsbCase) -> list[AsbAction]:
    return list(case.actions.all())


def diary_for_case(case: AsbCase) -> list[DiaryEntry]:
    return list(case.diary.all())


def _latest_report_first(customer_id: int) -> QuerySet[AsbCase]:
    # Whose safe-contact answers stand for a customer: their latest report's (decision 0014).
    return AsbCase.objects.filter(customer_id=customer_id).order_by("-opened_at", "-pk")


def safe_contact_case_for_customer(customer_id: int) -> AsbCase | None:
    """The case whose safe-contact answers stand for this customer: their latest report."""
    return _latest_report_first(customer_id).select_related("team__lead", "assignee").first()


def portal_is_unsafe_for(customer_id: int) -> Exists:
    """A condition (no query of its own): this customer's standing safe-contact answers say
    messages in their online account are not safe."""
    latest = _latest_report_first(customer_id).values("pk")[:1]
    return Exists(AsbCase.objects.filter(pk=Subquery(latest), may_use_portal=False))


@dataclass(frozen=True)
class ReporterPage:
    case: AsbCase
    next_due_at: dt.datetime | None
    actions: list[AsbAction]
    diary: list[DiaryEntry]
    timeline: list
    help: list[tuple[str, str]]
    files: list


def reporter_page(case: AsbCase) -> ReporterPage:
    """What the reporter's page shows: status, the date of the next step from the running
    clock, the action plan, the next review date, the diary, every update and who can help.

    The next step's date is the case's ``next_due_at``: the sla services keep it, with every
    change to a clock, as the earliest step still to do (the rule the clocks' own query would
    apply), so the page reads no clock."""
    return ReporterPage(
        case=case,
        next_due_at=case.next_due_at if case.closed_at is None else None,
        actions=actions_for_case(case),
        diary=diary_for_case(case),
        timeline=customer_timeline(case),
        help=help_for(case.kind),
        files=list(attachments_for_case(case, customer_view=True)),
    )


# Who else can help, by kind of case: (name, how to reach them).
_POLICE = ("Police", "In an emergency call 999. Otherwise call 101 or report online.")
_VICTIM_SUPPORT = ("Victim Support", "Free and confidential: call 08 08 16 89 111, any time.")
HELP_BY_KIND: dict[str, list[tuple[str, str]]] = {
    AsbKind.ASB: [
        _POLICE,
        ("Mediation", "We can refer you and your neighbour to a free mediation service."),
        _VICTIM_SUPPORT,
        ("Your council's environmental health team", "For noise at night and other nuisance."),
    ],
    AsbKind.HATE_CRIME: [
        _POLICE,
        ("True Vision", "Report a hate crime online, anonymously if you wish."),
        ("Stop Hate UK", "24-hour helpline: 0800 138 1625."),
        _VICTIM_SUPPORT,
    ],
    AsbKind.DOMESTIC_ABUSE: [
        _POLICE,
        ("National Domestic Abuse Helpline", "Free, 24 hours: 0808 2000 247."),
        ("Men's Advice Line", "0808 801 0327."),
        ("Galop (LGBT+ domestic abuse)", "0800 999 5428."),
        _VICTIM_SUPPORT,
    ],
}


def help_for(kind: str) -> list[tuple[str, str]]:
    return HELP_BY_KIND.get(kind, [_POLICE, _VICTIM_SUPPORT])


# -- staff -------------------------------------------------------------------------------------


def other_reports_about_same_home(case: AsbCase) -> QuerySet[AsbCase]:
    """Other cases linked to the same alleged perpetrator's tenancy, for the ASB officer."""
    if case.other_party_tenancy_id is None:
        return AsbCase.objects.none()
    return (
        AsbCase.objects.filter(other_party_tenancy_id=case.other_party_tenancy_id)
        .exclude(pk=case.pk)
        .order_by("-opened_at")
        .only("pk", "reference", "kind", "status", "opened_at", "closed_at")
    )


def anonymous_reports_open() -> QuerySet[AnonymousReport]:
    return AnonymousReport.objects.filter(closed_at__isnull=True).order_by(
        F("next_due_at").asc(nulls_last=True), "received_at", "pk"
    )


# -- measures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AsbMeasures:
    year: ReportingYear
    homes: int
    cases_opened: int
    hate_cases_opened: int
    nm01_1: Decimal | None
    nm01_2: Decimal | None
    acknowledged_due: int
    acknowledged_on_time: int
    acknowledged_on_time_percent: Decimal | None
    open_with_overdue_actions: int
    satisfaction_answers: int
    satisfied: int
    satisfied_percent: Decimal | None


def asb_measures(year: ReportingYear, *, now: dt.datetime | None = None) -> AsbMeasures:
    """The year's ASB figures, counted as the regulator defines them (TSM NM01).

    NM01(1): ASB cases opened in the year, hate cases included, per 1,000 homes counted for
    the TSMs; NM01(2): those involving hate incidents. Domestic abuse reports are not ASB
    under the 2014 Act and are not counted in NM01 (docs/decisions/0015). A report made without
    signing in is a case too: the regulator counts cases, not accounts. Figures only: no
    reporter is named.
    """
    now = now or timezone.now()
    nm01 = Q(kind__in=[AsbKind.ASB, AsbKind.HATE_CRIME])
    hate = Q(kind=AsbKind.HATE_CRIME)
    # One read per table: the cases, the reports made without signing in, the clocks.
    opened_in_year = year.within("opened_at")
    answered_in_year = year.within("satisfaction_at")
    cases = AsbCase.objects.filter(opened_in_year | answered_in_year).aggregate(
        opened=Count("pk", filter=opened_in_year & nm01),
        hate=Count("pk", filter=opened_in_year & hate),
        answers=Count("pk", filter=answered_in_year),
        satisfied=Count("pk", filter=answered_in_year & Q(satisfaction__in=SATISFIED)),
    )
    received_in_year = year.within("received_at")
    anonymous = AnonymousReport.objects.filter(received_in_year).aggregate(
        opened=Count("pk", filter=nm01),
        hate=Count("pk", filter=hate),
    )
    # Every report's acknowledgement is a clock, made with or without signing in.
    types = ContentType.objects.get_for_models(AsbCase, AnonymousReport)
    acknowledgement = Q(
        commitment__code__in=sorted(set(ACKNOWLEDGE_CODE.values())),
        content_type__in=[types[AsbCase].pk, types[AnonymousReport].pk],
    )
    ack_clock_due = acknowledgement & year.within("due_at") & Q(due_at__lte=now)
    # An action still to do (the rule of ``sla.models.STILL_TO_DO``) past its time, on a case
    # that is still open.
    overdue_action = (
        Q(content_type=types[AsbCase].pk, commitment__code=ACTION_CODE, due_at__lte=now)
        & STILL_TO_DO
        & Q(object_id__in=AsbCase.objects.filter(closed_at__isnull=True).values("pk"))
    )
    clocks = Deadline.objects.filter(ack_clock_due | overdue_action).aggregate(
        ack_due=Count("pk", filter=ack_clock_due),
        ack_on_time=Count(
            "pk", filter=ack_clock_due & Q(met_at__isnull=False, met_at__lte=F("due_at"))
        ),
        overdue_cases=Count("object_id", filter=overdue_action, distinct=True),
    )
    opened = cases["opened"] + anonymous["opened"]
    hate_opened = cases["hate"] + anonymous["hate"]
    ack_due = clocks["ack_due"]
    ack_on_time = clocks["ack_on_time"]
    homes = homes_counted_for_tsms(year).count()
    return AsbMeasures(
        year=year,
        homes=homes,
        cases_opened=opened,
        hate_cases_opened=hate_opened,
        nm01_1=per_thousand(opened, homes),
        nm01_2=per_thousand(hate_opened, homes),
        acknowledged_due=ack_due,
        acknowledged_on_time=ack_on_time,
        acknowledged_on_time_percent=percent(ack_on_time, ack_due),
        open_with_overdue_actions=clocks["overdue_cases"],
        satisfaction_answers=cases["answers"],
        satisfied=cases["satisfied"],
        satisfied_percent=percent(cases["satisfied"], cases["answers"]),
    )


def asb_officers() -> QuerySet:
    """Active staff holding the ASB role: who may own an action."""
    return (
        User.objects.filter(is_active=True, is_staff=True, groups__name=Role.ASB.label)
        .distinct()
        .order_by("first_name", "last_name")
    )


def tenancy_by_reference(reference: str) -> Tenancy | None:
    return Tenancy.objects.filter(reference=reference.strip()).first()


def customer_for_staff(customer_id: int) -> Customer | None:
    """The person an ASB officer logs a report for (any household: the officer's role is
    checked by the page)."""
    return Customer.objects.select_related("tenancy__property").filter(pk=customer_id).first()


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "asb.AsbCase": "every report the person made themselves (never a report about them: "
        "the person reported must not learn who reported them)",
        "asb.AsbAction": "the action plan of each of their reports",
        "asb.DiaryEntry": "every incident added to the diary of their reports",
    },
    holds_none={
        "asb.AnonymousReport": "made by someone not signed in: it belongs to no customer and "
        "is never matched to one by the details it holds (docs/decisions/0015), so holding "
        "those details opens nothing",
    },
)


def _other_party(case: AsbCase) -> tuple[str, ...]:
    """The household and address a report is about, for the data-protection officer to
    redact from the reporter's copy."""
    names: list[str] = [case.other_party_address]
    tenancy = case.other_party_tenancy
    if tenancy is not None:
        names.append(str(tenancy.property))
        names.append(tenancy.reference)
        names.extend(member.full_name for member in tenancy.customers.all())
    return tuple(name for name in names if name)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """The reports this person made, with their action plans and diaries.

    Only cases whose ``customer`` (the reporter) is this person: a report about their household
    (``other_party_tenancy``) is never read, so the person reported learns nothing of it or of
    who made it. The other party a report names is listed in ``third_parties`` on each of its
    records, to be redacted before the reporter's pack is released."""
    cases = list(
        AsbCase.objects.filter(customer=customer)
        .select_related("team", "assignee", "logged_by", "other_party_tenancy__property")
        .prefetch_related("other_party_tenancy__customers")
        .order_by("opened_at", "pk")
    )
    reference = {case.pk: case.reference for case in cases}
    other_party = {case.pk: _other_party(case) for case in cases}
    records = [
        personal_data.record_of(
            case,
            title=f"{case.reference}: {case.get_kind_display()}",
            exclude=personal_data.CASE_LINKS_NOT_SHOWN,
            third_parties=(
                *personal_data.staff_names(case.assignee, case.logged_by),
                *other_party[case.pk],
            ),
        )
        for case in cases
    ]
    records += [
        personal_data.record_of(
            action,
            title=f"{reference[action.case_id]}: {action.description}",
            # The case is named in the title; its clock is in casework's part.
            exclude=("case", "deadline"),
            third_parties=(*personal_data.staff_names(action.owner), *other_party[action.case_id]),
        )
        for action in AsbAction.objects.filter(case_id__in=reference)
        .select_related("owner")
        .order_by("case_id", "due_on", "pk")
    ]
    records += [
        personal_data.record_of(
            entry,
            title=f"{reference[entry.case_id]}: what happened",
            exclude=("case",),
            third_parties=(
                *personal_data.staff_names(entry.added_by),
                *other_party[entry.case_id],
            ),
        )
        for entry in DiaryEntry.objects.filter(case_id__in=reference)
        .select_related("added_by")
        .order_by("case_id", "happened_on", "pk")
    ]
    return personal_data.Part(area="Reports of anti-social behaviour", records=tuple(records))
