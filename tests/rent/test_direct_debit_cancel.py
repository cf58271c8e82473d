"""A tenant cancels their Direct Debit in the portal: a confirm step, the provider told through
the backend, the tenant told what happens next; nobody else's instruction, and only a tenant."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Message
from rent.direct_debit import MemoryDirectDebitBackend
from rent.models import DirectDebitInstruction, InstructionStatus
from rent.services import BankDetailsRefused, account_open, direct_debit_cancel, direct_debit_set_up
from tenancy.models import HouseholdRole
from tests.factories import CustomerWithLoginFactory

pytestmark = pytest.mark.django_db

NOW = "2026-04-20 10:00 +01:00"


@pytest.fixture(autouse=True)
def _clear_cancellations():
    MemoryDirectDebitBackend.cancelled.clear()
    yield
    MemoryDirectDebitBackend.cancelled.clear()


@pytest.fixture
def paying(account_a, tenant_a):
    with time_machine.travel("2026-04-01 10:00 +01:00", tick=False):
        direct_debit_set_up(
            account=account_a,
            customer=tenant_a,
            account_holder="A Khan",
            sort_code="089999",
            account_number="66374958",
            collection_day=5,
        )
    return account_a


def active(account):
    return DirectDebitInstruction.objects.filter(account=account, status=InstructionStatus.ACTIVE)


@time_machine.travel(NOW, tick=False)
def test_the_tenant_confirms_and_the_instruction_is_cancelled_with_the_provider(
    client_a, paying, tenant_a
):
    page = client_a.get(reverse("rent:direct_debit_cancel")).content.decode()
    assert "Are you sure you want to cancel your Direct Debit?" in page
    assert "ending 58" in page
    assert "Your rent is still due" in page
    assert not MemoryDirectDebitBackend.cancelled, "looking at the page cancels nothing"

    response = client_a.post(reverse("rent:direct_debit_cancel"))
    assert response.status_code == 302
    assert response["Location"] == reverse("rent:direct_debit_cancelled")
    instruction = DirectDebitInstruction.objects.get(account=paying)
    assert instruction.status == InstructionStatus.CANCELLED
    assert instruction.cancelled_by == tenant_a
    assert instruction.ended_at is not None
    assert [c.provider_reference for c in MemoryDirectDebitBackend.cancelled] == ["MEM-1"]
    message = Message.objects.get(customer=tenant_a, subject__contains="cancelled")
    assert "Your rent is still due" in message.body

    done = client_a.get(reverse("rent:direct_debit_cancelled")).content.decode()
    assert "Your Direct Debit is cancelled" in done
    assert "What happens next" in done
    assert "20 April 2026" in done
    assert reverse("rent:how_to_pay") in done
    assert "66374958" not in done
    account_page = client_a.get(reverse("rent:account")).content.decode()
    assert "You do not pay by Direct Debit" in account_page


@time_machine.travel(NOW, tick=False)
def test_the_account_page_and_the_direct_debit_page_lead_to_cancelling(client_a, paying):
    cancel = reverse("rent:direct_debit_cancel")
    assert cancel in client_a.get(reverse("rent:account")).content.decode()
    assert cancel in client_a.get(reverse("rent:direct_debit")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_with_no_direct_debit_there_is_nothing_to_cancel(client_a, account_a):
    assert client_a.get(reverse("rent:direct_debit_cancel"))["Location"] == reverse(
        "rent:direct_debit"
    )
    assert client_a.post(reverse("rent:direct_debit_cancel")).status_code == 302
    assert client_a.get(reverse("rent:direct_debit_cancelled"))["Location"] == reverse(
        "rent:account"
    )
    assert not DirectDebitInstruction.objects.exists()
    assert MemoryDirectDebitBackend.cancelled == []


@time_machine.travel(NOW, tick=False)
def test_another_household_cannot_cancel_it_and_nothing_is_written(client, paying, tenant_b):
    account_open(tenancy=tenant_b.tenancy, rent_pence=9000)
    client.force_login(tenant_b.user)
    # Tenant B's own account has no instruction: the page offers nothing of tenant A's.
    response = client.post(reverse("rent:direct_debit_cancel"))
    assert response["Location"] == reverse("rent:direct_debit")
    assert client.get(reverse("rent:direct_debit_cancelled"))["Location"] == reverse("rent:account")
    assert active(paying).count() == 1
    assert MemoryDirectDebitBackend.cancelled == []
    assert not Message.objects.filter(customer=tenant_b).exists()
    # And the service refuses outright, whoever calls it.
    with pytest.raises(BankDetailsRefused):
        direct_debit_cancel(account=paying, customer=tenant_b)
    assert active(paying).count() == 1
    assert MemoryDirectDebitBackend.cancelled == []


@time_machine.travel(NOW, tick=False)
def test_a_household_member_who_may_see_the_account_cannot_cancel_or_set_up(
    client, paying, tenant_a
):
    member = CustomerWithLoginFactory(tenancy=tenant_a.tenancy, household_role=HouseholdRole.MEMBER)
    paying.household_may_see = True
    paying.save()
    client.force_login(member.user)
    assert client.get(reverse("rent:account")).status_code == 200
    assert (
        reverse("rent:direct_debit_cancel")
        not in client.get(reverse("rent:account")).content.decode()
    )
    assert client.get(reverse("rent:direct_debit_cancel")).status_code == 404
    assert client.post(reverse("rent:direct_debit_cancel")).status_code == 404
    assert client.post(reverse("rent:direct_debit"), {}).status_code == 404
    with pytest.raises(BankDetailsRefused):
        direct_debit_cancel(account=paying, customer=member)
    assert active(paying).count() == 1
    assert MemoryDirectDebitBackend.cancelled == []


@time_machine.travel(NOW, tick=False)
def test_a_joint_tenant_may_cancel(client, paying, joint_tenant_a):
    client.force_login(joint_tenant_a.user)
    assert client.post(reverse("rent:direct_debit_cancel")).status_code == 302
    assert DirectDebitInstruction.objects.get().cancelled_by == joint_tenant_a


@time_machine.travel(NOW, tick=False)
def test_a_provider_refusal_cancels_nothing(client_a, paying):
    MemoryDirectDebitBackend.fail_next = True
    response = client_a.post(reverse("rent:direct_debit_cancel"))
    assert response.status_code == 200
    assert "could not cancel your Direct Debit" in response.content.decode()
    assert active(paying).count() == 1
    assert not Message.objects.filter(subject__contains="cancelled").exists()


@time_machine.travel(NOW, tick=False)
def test_a_second_cancel_writes_nothing_more(client_a, paying):
    client_a.post(reverse("rent:direct_debit_cancel"))
    client_a.post(reverse("rent:direct_debit_cancel"))
    assert len(MemoryDirectDebitBackend.cancelled) == 1
    assert DirectDebitInstruction.objects.get().ended_at.date() == dt.date(2026, 4, 20)


@time_machine.travel(NOW, tick=False)
def test_the_income_team_sees_the_cancellation_with_the_account(client, paying, income_officer):
    client.force_login(income_officer)
    direct_debit_cancel(account=paying, customer=paying.tenancy.customers.get())
    page = client.get(reverse("admin:rent_rentaccount_change", args=[paying.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cancelled" in text
    assert "******58" in text
    assert "66374958" not in text


@time_machine.travel(NOW, tick=False)
def test_a_pack_offers_the_other_joint_tenant_who_cancelled_for_redaction(
    paying, tenant_a, joint_tenant_a
):
    from rent import selectors

    direct_debit_cancel(account=paying, customer=joint_tenant_a)
    lead = next(
        r
        for r in selectors.personal_data_for(tenant_a).records
        if r.key.startswith("rent.DirectDebit")
    )
    assert lead.third_parties == (joint_tenant_a.full_name,)
    joint = next(
        r
        for r in selectors.personal_data_for(joint_tenant_a).records
        if r.key.startswith("rent.DirectDebit")
    )
    assert set(joint.third_parties) == {"A Khan", tenant_a.full_name}
