"""The one step framework: every step a case type lists has a handler and a page that renders
for a case where it applies; an unknown step is a 404 that writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Model
from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from asb.models import AsbCase, Risk
from asb.services import action_add, asb_acknowledge, close_ask
from casework.models import CaseEvent
from casework.steps import StepContext, StepSet, registered_step_sets
from complaints.models import Complaint, ComplaintStatus, Outcome
from dataprotection.models import DataRequest
from enquiries.models import Enquiry
from kernel.formatting import LONDON
from kernel.roles import Role
from neighbourhoods.models import NeighbourhoodReport
from neighbourhoods.services import report_create
from rent.models import ArrearsCase, RentAccount, SuspensePayment
from repairs import services as repair_services
from repairs.models import PlannedWork, PlannedWorkStatus, Repair, RepairStatus
from safety.models import SafetyReport
from safety.services import safety_report_create
from tests.asb.factories import report as asb_report
from tests.complaints.factories import ComplaintFactory
from tests.dataprotection.factories import data_protection_officer, requests_in_every_state
from tests.enquiries.factories import log_enquiry, submit_enquiry
from tests.factories import BlockFactory, CustomerFactory, PropertyFactory, StaffFactory
from tests.lettings.factories import lettings_officer, records_for_every_step
from tests.rent.factories import account_in_arrears, held_payment
from tests.repairs import conftest as repairs_fixtures
from tests.repairs.conftest import report
from tests.repairs.factories import ProgrammeFactory
from tests.repairs.test_staff_steps import SIGNIFICANT

pytestmark = pytest.mark.usefixtures("frozen", "repairs_team")

# The repairs personas and slots, shared rather than copied.
frozen = repairs_fixtures.frozen
repairs_team = repairs_fixtures.repairs_team
carpentry_slot = repairs_fixtures.carpentry_slot
new_build_tenant = repairs_fixtures.new_build_tenant


def _repairs(tenant_a, new_build_tenant, carpentry_slot, officer) -> list[Model]:
    booked = report(tenant_a, slot=carpentry_slot)
    defect = report(new_build_tenant, "inside.plaster")
    reported_hazard = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    investigated = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    repair_services.hazard_record_investigation(
        hazard=investigated.hazard,
        actor=officer,
        finding="significant",
        findings="Failed extractor fan.",
        further_works_needed=True,
    )
    works_started = report(tenant_a, "hazard.damp", hazard=SIGNIFICANT)
    repair_services.hazard_record_investigation(
        hazard=works_started.hazard,
        actor=officer,
        finding="significant",
        findings="Failed extractor fan.",
        further_works_needed=True,
    )
    repair_services.hazard_record_further_works(
        hazard=works_started.hazard, actor=officer, physically_started=True
    )
    return [booked, defect, reported_hazard, investigated, works_started]


def _planned_works() -> list[Model]:
    programme = ProgrammeFactory()
    statuses = list(PlannedWorkStatus)
    homes = [CustomerFactory().tenancy.property for _ in statuses]
    repair_services.programme_add_homes(programme=programme, homes=homes)
    works = list(PlannedWork.objects.order_by("pk"))
    for work, status in zip(works, statuses, strict=True):
        PlannedWork.objects.filter(pk=work.pk).update(status=status)
    return works


def _complaints() -> list[Model]:
    cases: list[Model] = []
    for status in ComplaintStatus:
        if status.startswith("stage2"):
            cases.append(ComplaintFactory(status=status, stage=2, escalated_at=timezone.now()))
        else:
            cases.append(ComplaintFactory(status=status))
    cases.append(
        ComplaintFactory(status=ComplaintStatus.STAGE1_RESPONDED, stage1_outcome=Outcome.UPHELD)
    )
    return cases


def _asb_cases(customer, officer) -> list[Model]:
    received = asb_report(customer)
    with_action = asb_report(customer)
    asb_acknowledge(case=with_action, actor=officer, contacted_by="phone", risk=Risk.STANDARD)
    action_add(
        case=with_action,
        actor=officer,
        description="Visit the block",
        owner=officer,
        due_on=timezone.now().astimezone(LONDON).date() + dt.timedelta(days=7),
    )
    closing = asb_report(customer)
    asb_acknowledge(case=closing, actor=officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=closing, actor=officer)
    return [received, with_action, closing]


@pytest.fixture
def cases_by_model(tenant_a, new_build_tenant, carpentry_slot, repairs_officer):
    """At least one case of every registered model for every step it lists."""
    return {
        Repair: _repairs(tenant_a, new_build_tenant, carpentry_slot, repairs_officer),
        PlannedWork: _planned_works(),
        Complaint: _complaints(),
        Enquiry: [
            submit_enquiry(tenant_a),
            log_enquiry(tenant_a, repairs_officer, channel="phone"),
        ],
        **records_for_every_step(lettings_officer()),
        NeighbourhoodReport: [_neighbourhood_report()],
        DataRequest: requests_in_every_state(tenant_a, data_protection_officer()),
        AsbCase: _asb_cases(tenant_a, StaffFactory(roles=[Role.ASB])),
        SafetyReport: [
            safety_report_create(customer=tenant_a, kind="fire", details="Bin fire"),
            safety_report_create(
                customer=tenant_a, kind="alteration", alteration_kind="walls", details="Arch"
            ),
        ],
        **_rent(),
    }


def _neighbourhood_report() -> NeighbourhoodReport:
    resident = CustomerFactory(tenancy__property=PropertyFactory(block=BlockFactory()))
    return report_create(
        customer=resident, kind="graffiti", place="block", where="Door", details="Paint"
    )


def _rent() -> dict[type[Model], list[Model]]:
    account, arrears = account_in_arrears()
    return {ArrearsCase: [arrears], RentAccount: [account], SuspensePayment: [held_payment()]}


def _step_url(model: type[Model], pk, name: str) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_step", args=[pk, name])


def _first_case_where_available(step_set: StepSet, cases, name: str, actor):
    for case in cases:
        fresh = step_set.model._default_manager.get(pk=case.pk)
        ctx = StepContext(case=fresh, actor=actor, state=step_set.load_state(fresh))
        if step_set.steps[name].available(ctx):
            return fresh
    return None


def test_every_listed_step_has_a_handler_and_a_page_that_renders(client, cases_by_model):
    # Sensitive cases (ASB) are seen by the ASB role alone, superusers included (decision 0003);
    # requests about a person's own data by the data-protection role alone.
    superuser = StaffFactory(is_superuser=True, roles=[Role.ASB, Role.DATA_PROTECTION])
    client.force_login(superuser)
    step_sets = registered_step_sets()
    assert {s.model for s in step_sets} >= {Repair, PlannedWork, Complaint, Enquiry}
    assert set(cases_by_model) == {s.model for s in step_sets}, "a registered model lacks cases"

    for step_set in step_sets:
        for name, step in step_set.steps.items():
            assert callable(step.run), f"{step_set.model.__name__}.{name} has no handler"
            assert issubclass(step.form_class, BaseForm)
            case = _first_case_where_available(
                step_set, cases_by_model[step_set.model], name, superuser
            )
            assert case is not None, f"no case where {step_set.model.__name__}.{name} applies"

            response = client.get(_step_url(step_set.model, case.pk, name))

            assert response.status_code == 200, f"{step_set.model.__name__}.{name}"
            assert escape(step.title) in response.content.decode()


def test_the_change_page_lists_the_steps_that_apply(client, repairs_officer, tenant_a):
    repair = report(tenant_a)
    client.force_login(repairs_officer)

    page = client.get(reverse("admin:repairs_repair_change", args=[repair.pk])).content.decode()

    assert _step_url(Repair, repair.pk, "assign") in page
    assert _step_url(Repair, repair.pk, "no_access") not in page


def test_an_unknown_step_is_not_found_and_writes_nothing(client, repairs_officer, tenant_a):
    repair = report(tenant_a)
    events = CaseEvent.objects.count()
    client.force_login(repairs_officer)

    response = client.post(_step_url(Repair, repair.pk, "demolish"), {"reason": "x"})

    assert response.status_code == 404
    repair.refresh_from_db()
    assert repair.status == RepairStatus.REPORTED and repair.closed_at is None
    assert CaseEvent.objects.count() == events


def test_a_refusal_is_shown_on_the_form_with_what_was_typed(client, repairs_officer, tenant_a):
    repair = report(tenant_a)
    events = CaseEvent.objects.count()
    client.force_login(repairs_officer)

    response = client.post(_step_url(Repair, repair.pk, "note"), {"note": "   "})

    assert response.status_code == 200
    assert "Write the note." in response.content.decode()
    assert CaseEvent.objects.count() == events


def test_staff_without_the_role_cannot_open_a_step(client, tenant_a):
    repair = report(tenant_a)
    client.force_login(StaffFactory(roles=[Role.COMPLAINTS]))

    assert client.get(_step_url(Repair, repair.pk, "note")).status_code == 403


def test_a_step_page_refuses_other_methods(client, repairs_officer, tenant_a):
    repair = report(tenant_a)
    client.force_login(repairs_officer)

    assert client.put(_step_url(Repair, repair.pk, "note")).status_code == 405


def test_a_step_on_an_id_that_is_not_an_id_is_not_found(client, repairs_officer):
    client.force_login(repairs_officer)

    response = client.get(
        reverse("admin:repairs_repair_step", kwargs={"object_id": "abc", "step": "note"})
    )

    assert response.status_code == 404
