"""Staff find the customer they are speaking to by whatever the caller gives them."""

import datetime as dt

import pytest

from tenancy.selectors import customer_search
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina():
    return CustomerFactory(first_name="Amina", last_name="Khan", email="amina@example.org")


@pytest.mark.parametrize("query", ["Khan", "amina", "Amina Khan", "amina@example.org", "  khan  "])
def test_a_caller_is_found_by_name_or_email(amina, query):
    CustomerFactory(first_name="Ben", last_name="Okafor")

    assert customer_search(query) == [amina]


def test_a_caller_is_found_by_tenancy_reference_and_by_postcode_however_typed(amina):
    assert customer_search(amina.tenancy.reference.lower()) == [amina]
    postcode = amina.tenancy.property.postcode.replace(" ", "").lower()
    assert amina in customer_search(postcode)


def test_a_former_tenant_is_found_unless_only_current_tenancies_are_wanted(amina):
    amina.tenancy.end_date = dt.date(2026, 1, 31)
    amina.tenancy.save()

    assert customer_search("Khan") == [amina]
    assert customer_search("Khan", current_only=True) == []


def test_an_empty_search_finds_nobody(amina):
    assert customer_search("   ") == []
