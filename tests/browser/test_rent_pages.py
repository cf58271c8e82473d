"""The rent account in a real browser: axe-core on every customer page (0 violations at WCAG
2.2 AA, desktop and 320 px), with and without form errors, and a Direct Debit set up without
JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kernel.formatting import LONDON
from rent.models import DirectDebitInstruction, ServiceChargeCost
from rent.services import account_open, charges_post_due, direct_debit_set_up, payments_import
from tenancy.models import HouseholdRole, Tenure
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.factories import CustomerWithLoginFactory, PropertyFactory, TenancyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

MONDAY = dt.datetime(2026, 4, 20, 10, 0, tzinfo=LONDON)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY, tick=True)


@pytest.fixture
def tenant(frozen):
    customer = CustomerWithLoginFactory(
        first_name="Amina",
        last_name="Khan",
        tenancy=TenancyFactory(start_date=dt.date(2026, 4, 6)),
    )
    account = account_open(tenancy=customer.tenancy, rent_pence=10000, service_charge_pence=550)
    charges_post_due(today=dt.date(2026, 4, 20))
    payments_import(
        filename="bank.csv",
        content=(
            "date,reference,amount,transaction_id\n"
            f"2026-04-08,{customer.tenancy.reference},105.50,T1\n"
        ).encode(),
        actor=None,
    )
    return customer, account


@pytest.fixture
def leaseholder(frozen):
    home = PropertyFactory(tenure=Tenure.LEASEHOLD)
    customer = CustomerWithLoginFactory(
        tenancy=TenancyFactory(property=home, tenancy_type="lease"),
        household_role=HouseholdRole.LEASEHOLDER,
    )
    account = account_open(
        tenancy=customer.tenancy, rent_pence=0, service_charge_pence=9500, frequency="monthly"
    )
    ServiceChargeCost.objects.create(
        account=account,
        description="Lift maintenance",
        incurred_on=dt.date(2025, 9, 15),
        amount_pence=61000,
    )
    return customer


def test_every_rent_page_is_accessible(page, live_server, tenant):
    customer, _account = tenant
    sign_in_with_cookie(page, customer.user, live_server.url)
    for name in [
        "rent:account",
        "rent:how_to_pay",
        "rent:direct_debit",
        "rent:struggling",
        "rent:household_access",
    ]:
        page.goto(reverse(name))
        assert_accessible(page)
    page.goto(reverse("rent:account"))
    expect(page.locator("#balance")).to_have_text("You owe £211.00")


def test_the_leaseholders_page_with_actual_costs_is_accessible(page, live_server, leaseholder):
    sign_in_with_cookie(page, leaseholder.user, live_server.url)
    page.goto(reverse("rent:account"))
    expect(page.get_by_role("heading", name="Your service charge")).to_be_visible()
    expect(page.get_by_text("Lift maintenance")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("rent:direct_debit", "Set up Direct Debit"),
        ("rent:struggling", "Send"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, name, button):
    customer, _account = tenant
    sign_in_with_cookie(page, customer.user, live_server.url)
    page.goto(reverse(name))
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_a_statement_period_with_a_bad_date_is_accessible(page, live_server, tenant):
    customer, _account = tenant
    sign_in_with_cookie(page, customer.user, live_server.url)
    page.goto(
        reverse("rent:account") + "?start_0=31&start_1=2&start_2=2026&end_0=1&end_1=1&end_2=2026"
    )
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)


def test_a_direct_debit_set_up_without_javascript(page_without_javascript, live_server, tenant):
    page = page_without_javascript
    customer, _account = tenant
    sign_in_with_cookie(page, customer.user, live_server.url)
    page.goto(reverse("rent:direct_debit"))
    page.get_by_label("Name on the account").fill("A Khan")
    page.get_by_label("Sort code").fill("08 99 99")
    page.get_by_label("Account number").fill("66374958")
    page.get_by_label("Which day of the month").select_option("15")
    page.get_by_label("I am the account holder").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Set up Direct Debit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your rent account")
    expect(page.get_by_text("Direct Debit from the account ending 58")).to_be_visible()
    assert DirectDebitInstruction.objects.get().collection_day == 15


def _paying_by_direct_debit(customer, account):
    direct_debit_set_up(
        account=account,
        customer=customer,
        account_holder="A Khan",
        sort_code="089999",
        account_number="66374958",
        collection_day=5,
    )


def test_a_direct_debit_cancelled_without_javascript(page_without_javascript, live_server, tenant):
    page = page_without_javascript
    customer, account = tenant
    _paying_by_direct_debit(customer, account)
    sign_in_with_cookie(page, customer.user, live_server.url)
    page.goto(reverse("rent:account"))
    page.get_by_role("link", name="Cancel your Direct Debit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Are you sure you want to cancel your Direct Debit?"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, cancel my Direct Debit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Direct Debit is cancelled")
    expect(page.get_by_role("heading", name="Other ways to pay")).to_be_visible()
    assert DirectDebitInstruction.objects.get().status == "cancelled"


def test_the_direct_debit_cancel_pages_are_accessible(page, live_server, tenant):
    customer, account = tenant
    _paying_by_direct_debit(customer, account)
    sign_in_with_cookie(page, customer.user, live_server.url)
    page.goto(reverse("rent:direct_debit_cancel"))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel my Direct Debit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your Direct Debit is cancelled")
    assert_accessible(page)
