"""The stock register: which homes the regulator's per-1,000-homes measures count at the end
of a reporting year, and how the register is filled from a housing system's export."""

from __future__ import annotations

import datetime as dt

import pytest
import tablib
from django.db import IntegrityError, transaction

from kernel.reporting import ReportingYear
from tenancy.admin import PropertyResource
from tenancy.models import Ownership, Property, StockClass, Tenure
from tenancy.selectors import homes_counted_for_tsms
from tests.factories import PropertyFactory

pytestmark = pytest.mark.django_db

YEAR = ReportingYear(2026)
HEADERS = ["uprn", "address_line_1", "town", "postcode", "property_type", "bedrooms", "patch"]


def test_the_tsms_count_low_cost_homes_we_own_on_31_march():
    rented = PropertyFactory()
    shared_ownership = PropertyFactory(tenure=Tenure.SHARED_OWNERSHIP)
    bought_on_the_last_day = PropertyFactory(joined_stock_on=dt.date(2027, 3, 31))
    sold_after_the_year = PropertyFactory(left_stock_on=dt.date(2027, 4, 1))
    sold_on_the_last_day = PropertyFactory(left_stock_on=dt.date(2027, 3, 31))
    PropertyFactory(joined_stock_on=dt.date(2027, 4, 1))
    PropertyFactory(tenure=Tenure.LEASEHOLD)
    PropertyFactory(tenure=Tenure.SHARED_OWNERSHIP, stock_class=StockClass.NOT_LOW_COST)
    PropertyFactory(tenure=Tenure.GENERAL_NEEDS, stock_class=StockClass.NOT_LOW_COST)
    PropertyFactory(ownership=Ownership.MANAGED)

    assert set(homes_counted_for_tsms(YEAR)) == {
        rented,
        shared_ownership,
        bought_on_the_last_day,
        sold_after_the_year,
    }
    assert set(homes_counted_for_tsms(ReportingYear(2025))) == {
        rented,
        shared_ownership,
        sold_after_the_year,
        sold_on_the_last_day,
    }


def test_a_rented_home_cannot_be_classed_as_home_ownership():
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(tenure=Tenure.GENERAL_NEEDS, stock_class=StockClass.LOW_COST_HOME_OWNERSHIP)
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(tenure=Tenure.LEASEHOLD, stock_class=StockClass.LOW_COST_RENTAL)

    assert not Property.objects.exists()


def test_a_home_cannot_leave_the_stock_before_it_joined():
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyFactory(joined_stock_on=dt.date(2026, 5, 1), left_stock_on=dt.date(2026, 4, 1))

    assert not Property.objects.exists()


def _row(n: int) -> list[str]:
    return [f"20000000{n}", f"{n} Weir Road", "Riverton", "rv1 1aa", "house", "2", "North"]


def test_an_import_without_stock_columns_classes_each_home_by_its_tenure():
    dataset = tablib.Dataset(headers=[*HEADERS, "tenure"])
    dataset.append([*_row(1), Tenure.GENERAL_NEEDS])
    dataset.append([*_row(2), Tenure.SHARED_OWNERSHIP])
    dataset.append([*_row(3), Tenure.LEASEHOLD])

    result = PropertyResource().import_data(dataset, raise_errors=True)

    assert not result.has_errors()
    classes = dict(Property.objects.values_list("uprn", "stock_class"))
    assert classes == {
        "200000001": StockClass.LOW_COST_RENTAL,
        "200000002": StockClass.LOW_COST_HOME_OWNERSHIP,
        "200000003": StockClass.NOT_LOW_COST,
    }
    assert set(Property.objects.values_list("ownership", flat=True)) == {Ownership.OWNED}


def test_an_import_keeps_the_stock_class_ownership_and_dates_it_is_given():
    dataset = tablib.Dataset(
        headers=[*HEADERS, "tenure", "stock_class", "ownership", "joined_stock_on"]
    )
    dataset.append(
        [*_row(4), Tenure.SHARED_OWNERSHIP, StockClass.NOT_LOW_COST, "managed", "2027-04-02"]
    )

    PropertyResource().import_data(dataset, raise_errors=True)

    home = Property.objects.get(uprn="200000004")
    assert home.stock_class == StockClass.NOT_LOW_COST
    assert home.ownership == Ownership.MANAGED
    assert home.joined_stock_on == dt.date(2027, 4, 2)
    assert home.left_stock_on is None


def test_an_import_refuses_a_rented_home_classed_as_home_ownership():
    dataset = tablib.Dataset(headers=[*HEADERS, "tenure", "stock_class"])
    dataset.append([*_row(5), Tenure.GENERAL_NEEDS, StockClass.LOW_COST_HOME_OWNERSHIP])

    result = PropertyResource().import_data(dataset)

    assert result.has_errors() or result.has_validation_errors()
    assert not Property.objects.exists()


def test_the_admin_explains_a_class_the_tenure_contradicts_and_keeps_the_home(client, manager):
    home = PropertyFactory()
    client.force_login(manager)
    form = client.get(f"/admin/tenancy/property/{home.pk}/change/").context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "id"}
    data.update(tenure=Tenure.LEASEHOLD, stock_class=StockClass.LOW_COST_RENTAL)

    response = client.post(f"/admin/tenancy/property/{home.pk}/change/", data)

    assert response.status_code == 200
    assert "nor a home sold on a lease as low-cost rental" in response.content.decode()
    home.refresh_from_db()
    assert home.tenure == Tenure.GENERAL_NEEDS
