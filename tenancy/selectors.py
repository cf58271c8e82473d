"""Reads of homes and households, always scoped to what the asking person may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from kernel import personal_data
from kernel.reporting import ReportingYear
from tenancy.models import (
    Customer,
    HouseholdRole,
    Ownership,
    Property,
    StockClass,
    Tenancy,
    normalise_postcode,
)


def customer_for_user(user) -> Customer | None:
    if not user.is_authenticated:
        return None
    return getattr(user, "customer", None)


def access_customer(user) -> Customer:
    """The signed-in customer, with or without a household (an applicant), with any tenancy
    and property loaded, or 404. For the pages an applicant may use (``@applicant_required``)."""
    if not user.is_authenticated:
        raise Http404
    customer = Customer.objects.select_related("tenancy__property__block").filter(user=user).first()
    if customer is None:
        raise Http404
    return customer


def access_customer_household(user) -> Customer:
    """The signed-in customer with tenancy and property loaded, or 404, also for an applicant
    with no household: a household's page never opens without one."""
    customer = access_customer(user)
    if not customer.has_household:
        raise Http404
    return customer


def household_members(tenancy: Tenancy) -> QuerySet[Customer]:
    return tenancy.customers.order_by("household_role", "first_name")


def customer_ids_in_household(customer: Customer) -> list[int]:
    """Everyone whose records this customer may see: their own household (an applicant, who
    has none, only themselves; never every other person without a household)."""
    if not customer.has_household:
        return [customer.pk]
    return list(
        Customer.objects.filter(tenancy_id=customer.household_id).values_list("id", flat=True)
    )


def customer_find_for_registration(
    *, tenancy_reference: str, postcode: str, date_of_birth: dt.date
) -> Customer | None:
    """The one customer without an account matching all three facts, else None.

    The caller must not reveal which fact failed to match.
    """
    matches = list(
        Customer.objects.filter(
            tenancy__reference__iexact=tenancy_reference.strip(),
            tenancy__property__postcode=normalise_postcode(postcode),
            date_of_birth=date_of_birth,
            user__isnull=True,
            tenancy__end_date__isnull=True,
        )
        .exclude(household_role=HouseholdRole.MEMBER)
        .select_related("tenancy")[:2]
    )
    return matches[0] if len(matches) == 1 else None


def customer_search(
    query: str, *, current_only: bool = False, applicants: bool = False, limit: int = 25
) -> list[Customer]:
    """Customers for staff taking a call: by tenancy reference, postcode, email or name
    ("Khan", "Amina", "Amina Khan"). ``current_only`` leaves out ended tenancies (a repair is
    for a home someone lives in; a former tenant may still complain). Applicants with no
    household only when ``applicants`` is asked for: the other searches pick a household to
    open its case."""
    query = query.strip()
    if not query:
        return []
    found = Customer.objects.filter(
        Q(tenancy__reference__iexact=query)
        | Q(tenancy__property__postcode=normalise_postcode(query))
        | Q(email__iexact=query)
        | Q(last_name__istartswith=query)
        | Q(first_name__istartswith=query)
    )
    if " " in query:
        first, _, last = query.partition(" ")
        found = found | Customer.objects.filter(
            first_name__iexact=first, last_name__istartswith=last.strip()
        )
    if current_only:
        found = found.filter(tenancy__isnull=False, tenancy__end_date__isnull=True)
    elif not applicants:
        found = found.filter(tenancy__isnull=False)
    return list(
        found.select_related("tenancy__property")
        .order_by("last_name", "first_name")
        .distinct()[:limit]
    )


def homes_counted_for_tsms(year: ReportingYear) -> QuerySet[Property]:
    """The homes the Tenant Satisfaction Measures count for ``year``: the denominator of every
    rate per 1,000 homes (CH01, NM01).

    The regulator counts the low-cost rental and low-cost home ownership homes the landlord
    owns at the end of the reporting year (31 March), so not outright leaseholds or market
    rent homes, not homes managed for another owner, not homes that joined the stock after
    31 March, and not homes that left it on or before that day. A home held since before our
    records began (no date it joined) is counted. The answer for a past year does not change
    with what happened to the stock since.
    """
    year_end = year.ends
    return Property.objects.filter(
        Q(joined_stock_on__isnull=True) | Q(joined_stock_on__lte=year_end),
        Q(left_stock_on__isnull=True) | Q(left_stock_on__gt=year_end),
        stock_class__in=[StockClass.LOW_COST_RENTAL, StockClass.LOW_COST_HOME_OWNERSHIP],
        ownership=Ownership.OWNED,
    )


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "tenancy.Customer": "the person's own record: names, date of birth, contact details and "
        "preferences, reasonable adjustments, vulnerability notes, safe contact",
        "tenancy.Tenancy": "their tenancy: reference, type, start and end",
        "tenancy.Property": "the home of their tenancy",
    },
    holds_none={
        "tenancy.Block": "a building: name, address, storeys; no person",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """The person's own record, their tenancy and home, and who else is in the household (names
    only, offered for redaction: they are other people's data)."""
    customer = Customer.objects.select_related("tenancy__property").get(pk=customer.pk)
    tenancy = customer.tenancy
    if tenancy is None:
        # An applicant: their own record is all this app holds about them.
        own = personal_data.record_of(
            customer, title=f"Your details: {customer.full_name}", exclude=("user", "tenancy")
        )
        return personal_data.Part(area="Your home and household", records=(own,))
    others = [member.full_name for member in household_members(tenancy).exclude(pk=customer.pk)]
    records: tuple[personal_data.Record, ...] = (
        personal_data.record_of(
            customer, title=f"Your details: {customer.full_name}", exclude=("user", "tenancy")
        ),
        personal_data.record_of(
            tenancy,
            title=f"Your tenancy {tenancy.reference}",
            exclude=("property",),
            third_parties=tuple(others),
        ),
        personal_data.record_of(
            tenancy.property,
            title=f"Your home: {tenancy.property.full_address}",
            exclude=("block",),
        ),
    )
    if others:
        household = personal_data.Record(
            key=f"tenancy.Tenancy:{tenancy.pk}:household",
            kind="Household",
            title="The other people in your household",
            fields=tuple(("Name", name) for name in others),
            third_parties=tuple(others),
        )
        records = (*records, household)
    return personal_data.Part(area="Your home and household", records=records)
