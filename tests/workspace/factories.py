"""Cases of every registered type for the workspace's tests, opened through each service area's
own services as a customer or an officer would open them."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from asb.models import AsbCase
from casework.access import registered_case_models
from casework.models import Case
from complaints.models import Complaint
from dataprotection.models import DataRequest
from enquiries.models import CallBack, ChatSession, Enquiry
from lettings import services as lettings_services
from lettings.models import Application, MutualExchange, SettlingIn
from neighbourhoods.models import NeighbourhoodReport
from neighbourhoods.services import report_create
from rent.models import ArrearsCase
from repairs.models import Repair
from safety.models import SafetyReport
from safety.services import safety_report_create
from tests.asb.factories import report as report_asb
from tests.complaints.factories import receive
from tests.dataprotection.factories import ask
from tests.enquiries.factories import request_callback, start_chat, submit_enquiry
from tests.factories import BlockFactory, CustomerFactory, PropertyFactory
from tests.lettings.factories import (
    accepted,
    advert_for,
    assessed,
    empty_home,
    form_sent,
    interest,
    lettings_officer,
    offer_in_a_new_home,
    rent_requested,
    sign_off,
    viewing_booked,
)
from tests.rent.factories import account_in_arrears
from tests.repairs.conftest import report


def _application(customer) -> Application:
    return interest(customer, advert_for(sign_off(empty_home(), lettings_officer())))


def _mutual_exchange(customer) -> MutualExchange:
    return lettings_services.exchange_apply(
        customer=customer,
        partner_name="Jo Bloggs",
        partner_address="4 Elm Road",
        partner_landlord="Riverton Homes Trust",
    )


def _moved_to(case: Case, customer) -> Case:
    """Some cases are opened by a household other than ``customer``'s (a new tenancy at
    sign-up, a resident of a block): these tests want each case in ``customer``'s household."""
    type(case)._default_manager.filter(pk=case.pk).update(
        customer=customer, tenancy_id=customer.tenancy_id, property_id=customer.tenancy.property_id
    )
    return type(case)._default_manager.get(pk=case.pk)


def _neighbourhood_report(customer) -> NeighbourhoodReport:
    resident = CustomerFactory(tenancy__property=PropertyFactory(block=BlockFactory()))
    report = report_create(
        customer=resident, kind="graffiti", place="block", where="Door", details="Paint"
    )
    return _moved_to(report, customer)


def _settling_in(customer) -> SettlingIn:
    officer = lettings_officer()
    application = offer_in_a_new_home(officer)
    application = rent_requested(
        accepted(viewing_booked(assessed(form_sent(application), officer), officer), officer),
        officer,
    )
    settling_in = lettings_services.application_sign_up(
        application=application, actor=officer, tenancy_start_date=timezone.localdate()
    )
    return _moved_to(settling_in, customer)


# Building safety and rent: a household's report of a fire, and the arrears case the charges
# run opens when the household falls two weeks behind.
def _safety_report(customer) -> SafetyReport:
    return safety_report_create(customer=customer, kind="fire", details="A pan caught fire")


def _arrears_case(customer) -> ArrearsCase:
    return account_in_arrears(customer)[1]


# One way to open a case of each registered case model. A service area that registers a new
# case model adds its own here, so every test of "a case of every type" covers it.
OPENERS: dict[type[Case], Callable[..., Case]] = {
    Repair: report,
    Complaint: receive,
    Enquiry: submit_enquiry,
    CallBack: request_callback,
    ChatSession: start_chat,
    Application: _application,
    MutualExchange: _mutual_exchange,
    SettlingIn: _settling_in,
    NeighbourhoodReport: _neighbourhood_report,
    AsbCase: report_asb,
    DataRequest: ask,
    SafetyReport: _safety_report,
    ArrearsCase: _arrears_case,
}


def one_case_of_every_type(customer) -> dict[type[Case], Case]:
    """A case of every registered case model for ``customer``'s household. Fails loudly for a
    registered model nobody has taught these tests to open."""
    missing = [e.model.__name__ for e in registered_case_models() if e.model not in OPENERS]
    assert not missing, f"Add an opener for {', '.join(missing)} to tests/workspace/factories.py"
    return {e.model: OPENERS[e.model](customer) for e in registered_case_models()}


def reload(case: Case) -> Case:
    return type(case)._default_manager.get(pk=case.pk)
