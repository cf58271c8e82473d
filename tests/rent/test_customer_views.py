"""The tenant's rent pages: who may see them, what they say, and the statements' figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from rent.direct_debit import MemoryDirectDebitBackend
from rent.models import DirectDebitInstruction, InstructionStatus, SupportRequest
from rent.services import charges_post_due, household_access_set, payments_import
from tenancy.models import HouseholdRole
from tests.factories import CustomerWithLoginFactory

pytestmark = pytest.mark.django_db

CUSTOMER_GET_URLS = [
    "rent:account",
    "rent:statement_pdf",
    "rent:statement_csv",
    "rent:how_to_pay",
    "rent:direct_debit",
    "rent:struggling",
    "rent:household_access",
]
NOW = "2026-04-20 10:00 +01:00"
STATEMENT_QUERY = "?start_0=1&start_1=4&start_2=2026&end_0=30&end_1=4&end_2=2026"


@pytest.fixture
def charged(account_a):
    # Tenant A's tenancy started Monday 6 April 2020: posts every week to 20 April 2026
    # would be long; start the account's charges this month instead.
    tenancy = account_a.tenancy
    tenancy.start_date = dt.date(2026, 4, 6)
    tenancy.save()
    charges_post_due(today=dt.date(2026, 4, 20))
    payments_import(
        filename="bank.csv",
        content=(
            "date,reference,amount,transaction_id,method\n"
            f"2026-04-08,{tenancy.reference},105.50,T1,card\n"
            f"2026-04-15,{tenancy.reference},50.00,T2,housing_benefit\n"
        ).encode(),
        actor=None,
    )
    account_a.refresh_from_db()
    # 3 weeks of 10550 = 31650, paid 15550: owes 16100.
    assert account_a.balance_pence == 16100
    return account_a


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", CUSTOMER_GET_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, account_a):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", CUSTOMER_GET_URLS)
def test_staff_are_refused(client, name, income_officer):
    client.force_login(income_officer)
    assert client.get(reverse(name)).status_code == 403


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", CUSTOMER_GET_URLS)
def test_the_owner_sees_each_page(client_a, name, charged):
    assert client_a.get(reverse(name)).status_code == 200


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", ["rent:account", "rent:how_to_pay", "rent:statement_csv"])
def test_wrong_method_is_rejected(client_a, name, charged):
    assert client_a.post(reverse(name)).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_balance_is_said_plainly_with_the_next_charge(client_a, charged):
    response = client_a.get(reverse("rent:account"))
    page = response.content.decode()
    assert "You owe £161.00" in page
    assert "Your account is behind" in page
    # The next week starts Monday 27 April: £100.00 + £5.50.
    assert "£105.50 on Monday 27 April 2026" in page


@time_machine.travel(NOW, tick=False)
def test_a_tenant_in_credit_is_told_so(client, tenant_b, account_b):
    payments_import(
        filename="b.csv",
        content=(
            "date,reference,amount,transaction_id\n"
            f"2026-04-01,{account_b.tenancy.reference},20.00,TB1\n"
        ).encode(),
        actor=None,
    )
    client.force_login(tenant_b.user)
    assert "You are £20.00 in credit" in client.get(reverse("rent:account")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_household_sees_only_its_own_account(client, charged, tenant_b, account_b):
    client.force_login(tenant_b.user)
    page = client.get(reverse("rent:account")).content.decode()
    assert charged.tenancy.reference not in page
    line_free_letter = client.get(reverse("rent:notice_letter", args=[999]))
    assert line_free_letter.status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_customer_whose_home_has_no_rent_account_gets_404(client, tenant_b):
    client.force_login(tenant_b.user)
    assert client.get(reverse("rent:account")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_joint_tenant_sees_the_account(client, joint_tenant_a, charged):
    client.force_login(joint_tenant_a.user)
    assert "You owe £161.00" in client.get(reverse("rent:account")).content.decode()
    # Only the lead tenant chooses who else may see it.
    assert client.get(reverse("rent:household_access")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_household_member_sees_it_only_when_the_lead_tenant_allows(client, tenant_a, charged):
    member = CustomerWithLoginFactory(tenancy=tenant_a.tenancy, household_role=HouseholdRole.MEMBER)
    client.force_login(member.user)
    assert client.get(reverse("rent:account")).status_code == 404
    household_access_set(account=charged, by=tenant_a, allowed=True)
    assert client.get(reverse("rent:account")).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_lead_tenant_allows_the_household_through_the_form(client_a, charged):
    response = client_a.post(reverse("rent:household_access"), {"allowed": "yes"})
    assert response.status_code == 302
    charged.refresh_from_db()
    assert charged.household_may_see


@time_machine.travel(NOW, tick=False)
def test_the_pdf_statement_holds_the_figures(client_a, charged):
    response = client_a.get(reverse("rent:statement_pdf") + STATEMENT_QUERY)
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Balance brought forward" in text
    assert "£105.50" in text
    assert "Charged in the period: £316.50" in text
    assert "Paid in the period: £155.50" in text
    assert "£161.00" in text


@time_machine.travel(NOW, tick=False)
def test_the_csv_statement_holds_the_figures_as_text_a_spreadsheet_cannot_run(client_a, charged):
    response = client_a.get(reverse("rent:statement_csv") + STATEMENT_QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Date"
    assert rows[1][1:] == ["Balance brought forward", "", "", "", "0.00"]
    assert rows[-1][-1] == "161.00"
    charged_total = sum(int(r[3].replace(".", "")) for r in rows[2:] if r[3])
    assert charged_total == 31650


@time_machine.travel(NOW, tick=False)
def test_hostile_statement_dates_show_the_default_period(client_a, charged):
    response = client_a.get(reverse("rent:account") + "?start_0=%00&start_1=99&start_2=x")
    assert response.status_code == 200


@time_machine.travel(NOW, tick=False)
def test_the_page_reads_a_fixed_number_of_queries(client_a, charged, django_assert_max_num_queries):
    # Session, user, customer, account, direct debit, next charge's free weeks, notices,
    # statement (brought forward and rows): nine,
    # the same however long the history.
    with django_assert_max_num_queries(9):
        client_a.get(reverse("rent:account"))
    with time_machine.travel("2026-06-01 10:00 +01:00", tick=False):
        charges_post_due(today=dt.date(2026, 6, 1))
        with django_assert_max_num_queries(9):
            client_a.get(reverse("rent:account"))


@time_machine.travel(NOW, tick=False)
def test_setting_up_a_direct_debit_keeps_only_the_last_digits(client_a, charged, tenant_a):
    response = client_a.post(
        reverse("rent:direct_debit"),
        {
            "account_holder": "A Khan",
            "sort_code": "08-99-99",
            "account_number": "66374958",
            "collection_day": "5",
            "confirm_only_signatory": "on",
        },
    )
    assert response.status_code == 302
    instruction = DirectDebitInstruction.objects.get()
    assert instruction.account_number_ending == "58"
    assert instruction.sort_code == "089999"
    assert MemoryDirectDebitBackend.lodged[0].account_number == "66374958"
    page = client_a.get(reverse("rent:account")).content.decode()
    assert "66374958" not in page
    assert "ending 58" in page
    assert "66374958" not in client_a.get(reverse("rent:direct_debit")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_changed_direct_debit_replaces_the_old_one(client_a, charged):
    data = {
        "account_holder": "A Khan",
        "sort_code": "089999",
        "account_number": "66374958",
        "collection_day": "5",
        "confirm_only_signatory": "on",
    }
    client_a.post(reverse("rent:direct_debit"), data)
    client_a.post(
        reverse("rent:direct_debit"), {**data, "sort_code": "202959", "account_number": "63748472"}
    )
    statuses = sorted(DirectDebitInstruction.objects.values_list("status", flat=True))
    assert statuses == [InstructionStatus.ACTIVE, InstructionStatus.REPLACED]
    assert MemoryDirectDebitBackend.lodged[1].replaces == "MEM-1"


@time_machine.travel(NOW, tick=False)
def test_bank_details_that_fail_the_modulus_check_are_refused_and_nothing_lodged(client_a, charged):
    response = client_a.post(
        reverse("rent:direct_debit"),
        {
            "account_holder": "A Khan",
            "sort_code": "089999",
            "account_number": "66374959",
            "collection_day": "5",
            "confirm_only_signatory": "on",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "do not match a UK bank account" in page
    assert 'value="A Khan"' in page
    assert not DirectDebitInstruction.objects.exists()
    assert MemoryDirectDebitBackend.lodged == []


@time_machine.travel(NOW, tick=False)
def test_a_provider_refusal_records_nothing(client_a, charged):
    MemoryDirectDebitBackend.fail_next = True
    response = client_a.post(
        reverse("rent:direct_debit"),
        {
            "account_holder": "A Khan",
            "sort_code": "089999",
            "account_number": "66374958",
            "collection_day": "5",
            "confirm_only_signatory": "on",
        },
    )
    assert "could not set up your Direct Debit" in response.content.decode()
    assert not DirectDebitInstruction.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_asking_for_a_call_when_struggling_is_recorded_once(client_a, charged):
    form = client_a.get(reverse("rent:struggling")).context["form"]
    data = {
        "kind": "call",
        "phone": "07700 900123",
        "best_time": "mornings",
        "note": "",
        "idempotency_key": str(form.initial["idempotency_key"]),
    }
    assert client_a.post(reverse("rent:struggling"), data).status_code == 302
    assert client_a.post(reverse("rent:struggling"), data).status_code == 302
    assert SupportRequest.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_call_request_without_a_number_is_refused_and_nothing_written(client_a, charged):
    response = client_a.post(
        reverse("rent:struggling"), {"kind": "call", "phone": "", "idempotency_key": ""}
    )
    assert "Enter a phone number we can call you on" in response.content.decode()
    assert not SupportRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_tenant_follows_their_arrears_case_and_another_household_cannot(
    client, client_a, charged, tenant_b
):
    from rent.models import ArrearsCase

    case = ArrearsCase.objects.get(account=charged)
    url = reverse("casework:case_detail", args=[case.reference])
    page = client_a.get(url).content.decode()
    assert "We will be in touch" in page
    client.force_login(tenant_b.user)
    assert client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_ten_digit_account_number_is_refused_with_what_to_give_instead(client_a, charged):
    response = client_a.post(
        reverse("rent:direct_debit"),
        {
            "account_holder": "A Khan",
            "sort_code": "089999",
            "account_number": "0166374958",
            "collection_day": "5",
            "confirm_only_signatory": "on",
        },
    )
    assert "use the 8 digit number your bank gives for Direct Debits" in response.content.decode()
    assert not DirectDebitInstruction.objects.exists()
    assert MemoryDirectDebitBackend.lodged == []


def _offered(html: str, name: str) -> str:
    """The value a date part of the period form is drawn with."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag is not None, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_period_first_offered_is_the_last_three_months_on_each_day(client_a, charged):
    with time_machine.travel(NOW, tick=False):
        first = client_a.get(reverse("rent:account")).content.decode()
    # Early next morning, less than a day later.
    with time_machine.travel("2026-04-21 07:00 +01:00", tick=False):
        next_day = client_a.get(reverse("rent:account")).content.decode()

    # 20 April: from 19 January; 21 April: from 20 January, each to the day itself.
    assert [_offered(first, n) for n in ("start_0", "start_1", "end_0", "end_1")] == [
        "19",
        "1",
        "20",
        "4",
    ]
    assert [_offered(next_day, n) for n in ("start_0", "start_1", "end_0", "end_1")] == [
        "20",
        "1",
        "21",
        "4",
    ]
