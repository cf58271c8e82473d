"""Reads for letting homes and moving, each scoped to who asks: the public sees open adverts and
schemes; an applicant only their own applications; the shortlist and every applicant's data
are for the lettings team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from casework.selectors import open_deadlines_for_case
from kernel import personal_data
from kernel.figures import percent, rounded
from kernel.reporting import ReportingYear
from lettings.models import (
    OFFER_IN_PROGRESS,
    Advert,
    AdvertStatus,
    Application,
    ApplicationStatus,
    LettableStandardItem,
    LettingScheme,
    MutualExchange,
    SettlingIn,
    StandardItemKind,
    Void,
    VoidCheck,
)
from sla import calendar
from sla.models import Commitment, Deadline
from tenancy.models import Customer, HouseholdRole

OFFER_NOTIFY = "lettings.offer.notify"
VIEWING_NOTICE = "lettings.viewing.notice"

# Housing costs (rent and service charge) up to this share of the household's income are
# affordable: the pre-tenancy assessment's rule, one statement of it.
AFFORDABLE_SHARE_PERCENT = 40
ADVERTS_PER_PAGE = 20


def affordable(*, weekly_income_pence: int, weekly_cost_pence: int) -> bool:
    return weekly_cost_pence * 100 <= weekly_income_pence * AFFORDABLE_SHARE_PERCENT


def viewing_notice_hours() -> int:
    """The notice a viewing needs, from the catalogue (managers may lengthen it), 24 if the
    row is missing: the statutory minimum."""
    amount = (
        Commitment.objects.filter(code=VIEWING_NOTICE, is_active=True)
        .values_list("amount", flat=True)
        .first()
    )
    return max(amount or 24, 24)


def lead_tenant_of(tenancy_id: int) -> Customer | None:
    return (
        Customer.objects.filter(tenancy_id=tenancy_id)
        .exclude(household_role=HouseholdRole.MEMBER)
        .select_related("tenancy__property")
        .order_by("household_role", "pk")
        .first()
    )


# --------------------------------------------------------------------------------------------
# Empty homes
# --------------------------------------------------------------------------------------------


def lettable_standard_missing(void: Void) -> list[LettableStandardItem]:
    done = set(VoidCheck.objects.filter(void=void).values_list("item_id", flat=True))
    return [
        item for item in LettableStandardItem.objects.filter(is_active=True) if item.pk not in done
    ]


def has_open_void(property_id: int) -> bool:
    return Void.objects.filter(property_id=property_id, let_on__isnull=True).exists()


def voids_empty() -> QuerySet[Void]:
    """Homes still empty, longest empty first (the lettings queue)."""
    return (
        Void.objects.filter(let_on__isnull=True)
        .select_related("property")
        .order_by("keys_returned_on", "pk")
    )


def safety_records_for_void(void: Void) -> list[VoidCheck]:
    """The gas and electrical records given to the new tenant before they move in."""
    return list(
        VoidCheck.objects.filter(
            void=void, item__kind__in=[StandardItemKind.GAS, StandardItemKind.ELECTRICAL]
        ).select_related("item")
    )


# --------------------------------------------------------------------------------------------
# Public: schemes and adverts
# --------------------------------------------------------------------------------------------


def schemes_public() -> QuerySet[LettingScheme]:
    return LettingScheme.objects.filter(is_active=True)


def adverts_open(now: dt.datetime | None = None) -> QuerySet[Advert]:
    """Adverts still taking interest, closing soonest first."""
    now = now or timezone.now()
    return (
        Advert.objects.filter(status=AdvertStatus.OPEN, closes_at__gt=now)
        .only(
            "id",
            "title",
            "area",
            "bedrooms",
            "property_type",
            "rent_weekly_pence",
            "service_charge_weekly_pence",
            "is_adapted",
            "closes_at",
            "status",
        )
        .order_by("closes_at", "id")
    )


def advert_public(advert_id: int) -> Advert:
    """An advert anyone may read while it takes interest, or 404."""
    advert = Advert.objects.filter(pk=advert_id, status=AdvertStatus.OPEN).first()
    if advert is None:
        raise Http404
    return advert


# --------------------------------------------------------------------------------------------
# Applicants
# --------------------------------------------------------------------------------------------


def applications_for_customer(customer: Customer) -> QuerySet[Application]:
    """The applicant's own applications (never the household's: each applicant's data is
    their own), newest first."""
    return (
        Application.objects.filter(customer=customer)
        .select_related("advert")
        .order_by("-opened_at", "-pk")
    )


def access_application(customer: Customer, reference: str) -> Application:
    """The applicant's own application by reference, or 404 for anyone else's."""
    application = (
        Application.objects.select_related("advert", "customer")
        .filter(reference=reference.strip().upper(), customer=customer)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_interest_exists(customer: Customer, advert: Advert) -> bool:
    return Application.objects.filter(customer=customer, advert=advert).exists()


def access_move_in(customer: Customer) -> SettlingIn:
    """The household's move-in record (its newest), or 404 if they did not move in through
    a letting."""
    if customer.tenancy_id is None:
        raise Http404
    settling_in = (
        SettlingIn.objects.select_related(
            "application__advert__void", "tenancy__property", "customer"
        )
        .filter(tenancy_id=customer.tenancy_id)
        .order_by("-opened_at")
        .first()
    )
    if settling_in is None:
        raise Http404
    return settling_in


def settling_in_for_staff(pk: int) -> SettlingIn:
    """A settling-in case for the lettings team, or 404."""
    settling_in = (
        SettlingIn.objects.select_related("tenancy__property", "customer").filter(pk=pk).first()
    )
    if settling_in is None:
        raise Http404
    return settling_in


def next_steps(case: Application | SettlingIn) -> list[Deadline]:
    """The running clocks the customer is shown, with their due dates."""
    return list(open_deadlines_for_case(case)) if case.is_open else []


# --------------------------------------------------------------------------------------------
# Staff: shortlist and queue
# --------------------------------------------------------------------------------------------

SHORTLIST_STATUSES = (ApplicationStatus.INTERESTED, ApplicationStatus.SHORTLISTED)


def shortlist_for_advert(advert: Advert, *, limit: int = 50) -> list[Application]:
    """Applicants still in the running, in the scheme's priority order: for an adapted home
    those who need one first, then band (A first), band date (earlier first) and who asked
    first. Staff only."""
    order = ["band", "band_date", "opened_at", "pk"]
    if advert.is_adapted:
        order.insert(0, "-needs_adapted_home")
    return list(
        Application.objects.filter(advert=advert, status__in=SHORTLIST_STATUSES)
        .select_related("customer")
        .order_by(*order)[:limit]
    )


def advert_for_staff(advert_id: int) -> Advert:
    advert = Advert.objects.select_related("property").filter(pk=advert_id).first()
    if advert is None:
        raise Http404
    return advert


def offer_due_at(advert: Advert) -> dt.datetime | None:
    """When the selected applicant must be told by: 7 calendar days (the catalogue's amount)
    from the advert closing."""
    if advert.closed_at is None:
        return None
    commitment = Commitment.objects.filter(code=OFFER_NOTIFY).first()
    if commitment is None:
        return None
    return calendar.due_at(commitment.clock, commitment.amount, advert.closed_at)


@dataclass(frozen=True)
class AdvertAwaitingOffer:
    advert: Advert
    interest: int
    due_at: dt.datetime | None


def adverts_awaiting_offer(limit: int = 50) -> list[AdvertAwaitingOffer]:
    """Closed adverts with no offer in progress, the longest closed first: each must have its
    applicant told within 7 days of closing."""
    adverts = (
        Advert.objects.filter(status=AdvertStatus.CLOSED)
        .exclude(applications__status__in=OFFER_IN_PROGRESS)
        .annotate(
            interest=Count(
                "applications",
                filter=Q(applications__status__in=SHORTLIST_STATUSES),
            )
        )
        .order_by("closed_at", "pk")[:limit]
    )
    commitment = Commitment.objects.filter(code=OFFER_NOTIFY).first()
    return [
        AdvertAwaitingOffer(
            advert=advert,
            interest=advert.interest,
            due_at=calendar.due_at(commitment.clock, commitment.amount, advert.closed_at)
            if commitment and advert.closed_at
            else None,
        )
        for advert in adverts
    ]


def applications_in_progress(limit: int = 50) -> QuerySet[Application]:
    """Offers being worked, the soonest due first."""
    return (
        Application.objects.filter(
            status__in=[s for s in OFFER_IN_PROGRESS if s != ApplicationStatus.SIGNED_UP]
        )
        .select_related("advert", "customer")
        .order_by(F("next_due_at").asc(nulls_last=True), "opened_at")[:limit]
    )


# --------------------------------------------------------------------------------------------
# Measures (the manager dashboard)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LettingsMeasures:
    average_days_empty: Decimal | None
    homes_let: int
    offers_on_time: Decimal | None
    offers: int
    viewings_with_notice: Decimal | None
    viewings: int
    settling_in_visits_on_time: Decimal | None
    settling_in_visits: int
    exchanges_on_time: Decimal | None
    exchanges_decided: int
    new_tenant_satisfaction: Decimal | None
    new_tenant_answers: int


MEASURED_CLOCKS = (OFFER_NOTIFY, "lettings.settling_in_visit", "exchange.decision")


def _met_on_time(since: dt.datetime, until: dt.datetime) -> dict[str, tuple[int, int]]:
    """For each measured clock, (met on time, met) between ``since`` and ``until``: one query."""
    on_time = Q(met_at__lte=F("due_at"))
    aggregates = {}
    for index, code in enumerate(MEASURED_CLOCKS):
        aggregates[f"total_{index}"] = Count("id", filter=Q(commitment__code=code))
        aggregates[f"on_time_{index}"] = Count("id", filter=Q(commitment__code=code) & on_time)
    rows = Deadline.objects.filter(
        commitment__code__in=MEASURED_CLOCKS, met_at__gte=since, met_at__lt=until
    ).aggregate(**aggregates)
    return {
        code: (rows[f"on_time_{index}"], rows[f"total_{index}"])
        for index, code in enumerate(MEASURED_CLOCKS)
    }


def lettings_measures(*, since: dt.datetime, until: dt.datetime) -> LettingsMeasures:
    """The lettings measures for events between ``since`` and ``until``: average days empty
    key to key (homes let in the period), offers told within 7 days, viewings with the
    notice, settling-in visits on time, exchanges decided within 42 days, and the share of
    new tenants satisfied with their new home."""
    start_day, end_day = timezone.localdate(since), timezone.localdate(until)
    # Days are counted in Python: date arithmetic in SQL has no spelling common to every
    # database, and a period lets hundreds of homes, not millions.
    days_empty = [
        void.days_empty()
        for void in Void.objects.filter(let_on__gte=start_day, let_on__lt=end_day).only(
            "let_on", "keys_returned_on"
        )
    ]
    homes_let = len(days_empty)
    average_days = rounded(Decimal(sum(days_empty)) / homes_let) if homes_let else None
    clocks = _met_on_time(since, until)
    offers_on_time, offers = clocks[OFFER_NOTIFY]
    notice = dt.timedelta(hours=viewing_notice_hours())
    viewings = Application.objects.filter(
        viewing_notice_at__gte=since, viewing_notice_at__lt=until, viewing_at__isnull=False
    ).aggregate(
        total=Count("id"),
        with_notice=Count(
            "id",
            filter=Q(viewing_at__gte=F("viewing_notice_at") + notice),
        ),
    )
    visits_on_time, visits = clocks["lettings.settling_in_visit"]
    exchanges_on_time, exchanges = clocks["exchange.decision"]
    answers = SettlingIn.objects.filter(
        satisfaction_at__gte=since, satisfaction_at__lt=until
    ).aggregate(total=Count("id"), satisfied=Count("id", filter=Q(satisfaction__gte=4)))
    return LettingsMeasures(
        average_days_empty=average_days,
        homes_let=homes_let,
        offers_on_time=percent(offers_on_time, offers),
        offers=offers,
        viewings_with_notice=percent(viewings["with_notice"], viewings["total"]),
        viewings=viewings["total"],
        settling_in_visits_on_time=percent(visits_on_time, visits),
        settling_in_visits=visits,
        exchanges_on_time=percent(exchanges_on_time, exchanges),
        exchanges_decided=exchanges,
        new_tenant_satisfaction=percent(answers["satisfied"], answers["total"]),
        new_tenant_answers=answers["total"],
    )


@dataclass(frozen=True)
class LettingsYearMeasures:
    """The lettings measures of one reporting year, as the manager dashboard shows them."""

    year: ReportingYear
    measures: LettingsMeasures


def lettings_measures_for_year(year: ReportingYear) -> LettingsYearMeasures:
    """The year's lettings measures (``lettings_measures`` from 1 April to 31 March, London
    time): five queries whatever the number of homes, applications or exchanges."""
    return LettingsYearMeasures(
        year=year, measures=lettings_measures(since=year.start_at, until=year.end_at)
    )


def exchange_for_staff(pk: int) -> MutualExchange | None:
    return MutualExchange.objects.filter(pk=pk).first()


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "lettings.Application": "every home the person applied for: their application, "
        "assessment, offer, viewing and sign-up",
        "lettings.SettlingIn": "their first weeks in a new home: the visit and their view of it",
        "lettings.MutualExchange": "every exchange they applied for, its checks and decision",
        "lettings.Void": "when and why their former home came back to us (the home's own "
        "guide, and the next tenancy's start, are not theirs)",
    },
    holds_none={
        "lettings.LettableStandardItem": "the checklist of the lettable standard",
        "lettings.VoidCheck": "checks of an empty home against the standard, by staff",
        "lettings.VoidRepair": "work ordered on an empty home",
        "lettings.LettingScheme": "the councils' schemes we let homes through",
        "lettings.Advert": "a home advertised to let: the home, not who applied",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """This person's applications, settling-in, mutual exchanges, and the return of a home
    whose tenancy was theirs. Only cases whose ``customer`` is this person; the other tenant of
    an exchange is offered to the data-protection officer to redact.

    Signing up makes the applicant the lead tenant of a new household (a new ``Customer`` row,
    their sign-in moved to it, for a tenant moving home; their own row, for an applicant who had
    no household), so the application that led to their settling-in is theirs under either
    row."""
    exclude = personal_data.CASE_LINKS_NOT_SHOWN
    records = personal_data.records_of(
        Application.objects.filter(Q(customer=customer) | Q(settling_in__customer=customer))
        .select_related("team", "assignee", "advert", "viewing_with", "new_tenancy")
        .order_by("opened_at", "pk"),
        title=lambda a: f"{a.reference}: {a.advert.title}",
        exclude=exclude,
        staff=lambda a: (a.assignee, a.viewing_with),
    )
    records += personal_data.records_of(
        SettlingIn.objects.filter(customer=customer)
        .select_related("team", "assignee", "application", "visited_by")
        .order_by("opened_at", "pk"),
        title=lambda s: f"{s.reference}: {s.display_title}",
        exclude=exclude,
        staff=lambda s: (s.assignee, s.visited_by),
    )
    records += [
        personal_data.record_of(
            exchange,
            title=f"{exchange.reference}: mutual exchange",
            exclude=exclude,
            third_parties=(
                *personal_data.staff_names(exchange.assignee),
                exchange.partner_name,
                exchange.partner_address,
                exchange.partner_landlord_contact,
                exchange.partner_tenancy_reference,
            ),
        )
        for exchange in MutualExchange.objects.filter(customer=customer)
        .select_related("team", "assignee")
        .order_by("opened_at", "pk")
    ]
    # An applicant with no household left no home of ours (and every home that came back
    # without a recorded tenancy is nobody's to read).
    returned_homes = (
        Void.objects.filter(former_tenancy_id=customer.tenancy_id)
        if customer.tenancy_id is not None
        else Void.objects.none()
    )
    records += personal_data.records_of(
        returned_homes.select_related("property", "former_tenancy", "signed_off_by").order_by(
            "keys_returned_on", "pk"
        ),
        title=lambda v: f"Your home at {v.property} came back to us",
        exclude=("property", "heating_and_appliances", "utilities", "let_on"),
        staff=lambda v: (v.signed_off_by,),
    )
    return personal_data.Part(
        area="Applying for a home, moving in and exchanges", records=tuple(records)
    )
