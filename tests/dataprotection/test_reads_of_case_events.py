"""Opening an event of a confidential record in the admin is a read of the record: logged
against the case, in the person's "who has looked" answer (never another household's), with
the same banner as the case itself; an ordinary case's event is neither logged nor marked."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.models import CaseEvent, SensitiveCaseRead
from dataprotection.models import DataRequest
from tests.asb.factories import report
from tests.dataprotection.factories import ask
from tests.enquiries.factories import submit_enquiry

pytestmark = pytest.mark.django_db

ANSWER = "dataprotection:who_has_looked"
BANNER = "Confidential record."


def _event_page(case) -> str:
    event = CaseEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(case), object_id=case.pk
    ).first()
    assert event is not None
    return reverse("admin:casework_caseevent_change", args=[event.pk])


def _open(client, staff, url: str) -> str:
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _answer(client, customer) -> str:
    client.force_login(customer.user)
    response = client.get(reverse(ANSWER))
    assert response.status_code == 200
    return response.content.decode()


def test_an_asb_cases_event_is_logged_marked_and_in_the_reporters_answer(
    client, tenant_a, tenant_b, asb_officer
):
    case = report(tenant_a)
    page = _open(client, asb_officer, _event_page(case))
    assert BANNER in page
    reads = SensitiveCaseRead.objects.filter(user=asb_officer, object_id=case.pk)
    assert reads.count() == 1
    assert reads.get().content_type == ContentType.objects.get_for_model(case)
    assert case.reference in _answer(client, tenant_a)
    assert case.reference not in _answer(client, tenant_b)


def test_a_data_requests_event_is_logged_marked_and_in_the_persons_answer(
    client, tenant_a, tenant_b, officer
):
    request = ask(tenant_a)
    page = _open(client, officer, _event_page(request))
    assert BANNER in page
    reads = SensitiveCaseRead.objects.filter(
        user=officer, content_type=ContentType.objects.get_for_model(DataRequest)
    )
    assert list(reads.values_list("object_id", flat=True)) == [request.pk]
    answer = _answer(client, tenant_a)
    assert request.reference in answer
    assert "A member of our Data protection team" in answer
    assert request.reference not in _answer(client, tenant_b)


def test_an_ordinary_cases_event_is_neither_logged_nor_marked(
    client, tenant_a, customer_services_officer
):
    enquiry = submit_enquiry(tenant_a, subject="The boiler")
    page = _open(client, customer_services_officer, _event_page(enquiry))
    assert BANNER not in page
    assert not SensitiveCaseRead.objects.exists()
