"""The household's safety page and certificates, and the compliance team's pages: owner allowed,
another household 404, anonymous to sign in, staff without the role refused, wrong method
rejected, and a refused form that writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kernel.reporting import ReportingYear
from kernel.roles import Role
from safety.models import AccessAttempt, CheckRecord, ComplianceCheck, RemedialWork
from safety.selectors import safety_measures
from safety.services import access_attempt_record, check_register
from tests.factories import BlockFactory, CustomerFactory, PropertyFactory, StaffFactory
from tests.safety.factories import CLEAN_PDF, ContractorFactory, pdf, pdf_with_script, record

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def certificate(boiler_check):
    return record(boiler_check, dt.date(2026, 6, 1))


# --- the household --------------------------------------------------------------------------


def test_the_household_sees_its_checks_dates_and_certificate(client_a, certificate, tenant_a):
    page = client_a.get(reverse("safety:your_safety")).content.decode()

    assert "Gas safety check (boiler)" in page
    assert "Last done Monday 1 June 2026" in page
    assert "Next due by Tuesday 1 June 2027" in page
    assert reverse("safety:certificate", kwargs={"record_id": certificate.pk}) in page


def test_a_check_never_done_shows_no_record_rather_than_not_due(client_a, boiler_check):
    page = client_a.get(reverse("safety:your_safety")).content.decode()

    assert "No record of this check yet." in page


def test_the_block_assessment_summary_is_shown_without_its_document(client, db):
    from tests.factories import CustomerWithLoginFactory, PropertyFactory, TenancyFactory

    block = BlockFactory()
    resident = CustomerWithLoginFactory(
        tenancy=TenancyFactory(property=PropertyFactory(block=block))
    )
    fra = check_register(check_type="fire_risk", block=block, risk="normal")
    kept = record(fra, dt.date(2026, 2, 1), outcome="actions_needed")
    client.force_login(resident.user)

    page = client.get(reverse("safety:your_safety")).content.decode()

    assert "Fire risk assessment" in page and "done, with actions to take" in page
    assert reverse("safety:certificate", kwargs={"record_id": kept.pk}) not in page
    assert (
        client.get(reverse("safety:certificate", kwargs={"record_id": kept.pk})).status_code == 404
    )


def test_the_household_downloads_its_certificate_as_a_pdf(client_a, certificate):
    response = client_a.get(reverse("safety:certificate", kwargs={"record_id": certificate.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == CLEAN_PDF


def test_another_household_gets_404_for_the_certificate(client, certificate, tenant_b):
    client.force_login(tenant_b.user)

    response = client.get(reverse("safety:certificate", kwargs={"record_id": certificate.pk}))

    assert response.status_code == 404


def test_another_household_does_not_see_the_checks(client, certificate, tenant_b):
    client.force_login(tenant_b.user)

    page = client.get(reverse("safety:your_safety")).content.decode()

    assert "Gas safety check" not in page


@pytest.mark.parametrize("name", ["safety:your_safety", "safety:certificate"])
def test_anonymous_visitors_are_sent_to_sign_in(client, certificate, name):
    kwargs = {"record_id": certificate.pk} if name == "safety:certificate" else {}

    response = client.get(reverse(name, kwargs=kwargs))

    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_cannot_use_the_customer_pages(client, certificate, compliance_officer):
    client.force_login(compliance_officer)

    assert client.get(reverse("safety:your_safety")).status_code == 403


def test_the_customer_pages_refuse_other_methods(client_a, certificate):
    assert client_a.post(reverse("safety:your_safety")).status_code == 405
    url = reverse("safety:certificate", kwargs={"record_id": certificate.pk})
    assert client_a.delete(url).status_code == 405


def test_your_home_links_to_the_safety_page(client_a):
    page = client_a.get(reverse("portal:your_home")).content.decode()

    assert reverse("safety:your_safety") in page


def test_the_safety_page_costs_a_fixed_number_of_queries(
    client_a, boiler_check, tenant_a, django_assert_max_num_queries
):
    for day in (1, 2, 3):
        record(boiler_check, dt.date(2026, 6, day))
    fire = check_register(check_type="gas", home=tenant_a.tenancy.property, appliance="gas_fire")
    record(fire, dt.date(2026, 5, 1))
    client_a.get(reverse("safety:your_safety"))

    # The session (none where Redis holds it), the user, the household, its checks (each with
    # its booked visit), and their latest records: however many checks and records.
    with django_assert_max_num_queries(5):
        page = client_a.get(reverse("safety:your_safety")).content.decode()

    assert "Last done Wednesday 3 June 2026" in page and "Last done Friday 1 May 2026" in page


# --- the compliance team ----------------------------------------------------------------------


def _staff_urls(check, certificate, remedial=None):
    urls = [
        ("get", reverse("safety:overdue")),
        ("get", reverse("safety:measures")),
        ("get", reverse("safety:import")),
        ("get", reverse("safety:check", kwargs={"check_id": check.pk})),
        ("get", reverse("safety:record_new", kwargs={"check_id": check.pk})),
        ("get", reverse("safety:staff_certificate", kwargs={"record_id": certificate.pk})),
        ("post", reverse("safety:access_attempt", kwargs={"check_id": check.pk})),
    ]
    if remedial is not None:
        urls.append(("post", reverse("safety:remedial_done", kwargs={"remedial_id": remedial.pk})))
    return urls


def test_the_compliance_team_opens_its_pages(client, boiler_check, certificate, compliance_officer):
    client.force_login(compliance_officer)

    for method, url in _staff_urls(boiler_check, certificate)[:6]:
        assert getattr(client, method)(url).status_code == 200, url


def test_staff_without_the_role_and_customers_are_refused(
    client, boiler_check, certificate, repairs_officer, tenant_a
):
    remedial_record = record(boiler_check, dt.date(2026, 6, 2), outcome="at_risk")
    remedial = RemedialWork.objects.get(record=remedial_record)
    for user in (repairs_officer, tenant_a.user):
        client.force_login(user)
        for method, url in _staff_urls(boiler_check, certificate, remedial):
            assert getattr(client, method)(url).status_code == 403, url
    assert not AccessAttempt.objects.exists()
    remedial.refresh_from_db()
    assert remedial.completed_at is None


def test_anonymous_visitors_are_sent_to_sign_in_from_staff_pages(client, boiler_check, certificate):
    for method, url in _staff_urls(boiler_check, certificate):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_a_manager_sees_the_measures_but_not_the_register(
    client, boiler_check, certificate, manager
):
    client.force_login(manager)

    assert client.get(reverse("safety:measures")).status_code == 200
    assert client.get(reverse("safety:overdue")).status_code == 403


def test_the_staff_pages_refuse_other_methods(
    client, boiler_check, certificate, compliance_officer
):
    client.force_login(compliance_officer)

    assert client.post(reverse("safety:overdue")).status_code == 405
    assert (
        client.get(
            reverse("safety:access_attempt", kwargs={"check_id": boiler_check.pk})
        ).status_code
        == 405
    )
    assert (
        client.put(reverse("safety:record_new", kwargs={"check_id": boiler_check.pk})).status_code
        == 405
    )


def test_an_unknown_check_is_not_found(client, compliance_officer):
    client.force_login(compliance_officer)

    assert client.get(reverse("safety:check", kwargs={"check_id": 999999})).status_code == 404


def _record_post(contractor, certificate_file, **overrides):
    data = {
        "done_on_0": "1",
        "done_on_1": "6",
        "done_on_2": "2026",
        "outcome": "pass",
        "contractor": str(contractor.pk),
        "engineer_name": "Pat Engineer",
        "engineer_registration": contractor.gas_safe_number,
        "certificate": certificate_file,
    }
    data.update(overrides)
    return data


def test_the_team_records_a_check_with_its_certificate(client, boiler_check, compliance_officer):
    contractor = ContractorFactory()
    client.force_login(compliance_officer)

    response = client.post(
        reverse("safety:record_new", kwargs={"check_id": boiler_check.pk}),
        _record_post(contractor, pdf()),
    )

    assert response.status_code == 302
    kept = CheckRecord.objects.get()
    assert kept.recorded_by == compliance_officer and kept.certificate_name == "lgsr.pdf"
    boiler_check.refresh_from_db()
    assert boiler_check.next_due_at is not None


def test_a_pdf_with_a_script_is_refused_with_the_officers_answers_kept(
    client, boiler_check, compliance_officer
):
    contractor = ContractorFactory()
    client.force_login(compliance_officer)

    response = client.post(
        reverse("safety:record_new", kwargs={"check_id": boiler_check.pk}),
        _record_post(contractor, pdf(pdf_with_script()), engineer_name="Robin Kept"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "active content" in page
    assert 'value="Robin Kept"' in page
    assert not CheckRecord.objects.exists()


def test_a_registration_that_does_not_match_is_refused(client, boiler_check, compliance_officer):
    contractor = ContractorFactory()
    client.force_login(compliance_officer)

    response = client.post(
        reverse("safety:record_new", kwargs={"check_id": boiler_check.pk}),
        _record_post(contractor, pdf(), engineer_registration="000000"),
    )

    assert "does not match" in response.content.decode()
    assert not CheckRecord.objects.exists()


def test_the_import_page_dry_run_lists_rejected_rows(client, compliance_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(compliance_officer)
    csv = SimpleUploadedFile(
        "checks.csv",
        b"uprn,block,check_type,appliance,done_on,outcome\n404,,water,,2025-01-01,satisfactory\n",
    )

    response = client.post(reverse("safety:import"), {"spreadsheet": csv, "dry_run": "on"})

    page = response.content.decode()
    assert "Line 2: no home has the UPRN" in page
    assert not ComplianceCheck.objects.exists()


def test_the_no_access_step_is_recorded_and_a_step_out_of_order_is_shown(
    client, boiler_check, compliance_officer
):
    client.force_login(compliance_officer)
    url = reverse("safety:access_attempt", kwargs={"check_id": boiler_check.pk})

    refused = client.post(url, {"stage": "second_letter"})
    assert "must follow" in refused.content.decode()
    assert not AccessAttempt.objects.exists()

    assert client.post(url, {"stage": "first_letter", "note": "Card left"}).status_code == 302
    assert AccessAttempt.objects.get().note == "Card left"


def test_the_team_records_remedial_work_done(client, boiler_check, compliance_officer):
    kept = record(boiler_check, dt.date(2026, 6, 2), outcome="at_risk")
    remedial = RemedialWork.objects.get(record=kept)
    client.force_login(compliance_officer)

    response = client.post(reverse("safety:remedial_done", kwargs={"remedial_id": remedial.pk}))

    assert response.status_code == 302
    remedial.refresh_from_db()
    assert remedial.completed_at is not None


def test_the_overdue_list_shows_never_done_checks_and_why(client, boiler_check, compliance_officer):
    client.force_login(compliance_officer)

    page = client.get(reverse("safety:overdue")).content.decode()

    assert "Never done" in page and "No contact yet" in page


def test_the_dashboard_links_to_the_building_safety_measures(client, manager):
    client.force_login(manager)

    page = client.get(reverse("performance:dashboard")).content.decode()

    assert reverse("safety:measures") in page


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, db):
    officer = StaffFactory(roles=[Role.COMPLIANCE], authenticator=False)
    client.force_login(officer)

    response = client.get(reverse("safety:overdue"))

    assert response.status_code == 302 and "totp" in response["Location"]


def test_the_dashboard_shows_bs01_to_bs05_overdue_checks_and_the_pipeline(
    client, manager, django_assert_max_num_queries
):
    in_date, never_done = (CustomerFactory().tenancy.property for _ in range(2))
    PropertyFactory()  # all electric: no gas check applies, not counted in BS01
    boiler = check_register(check_type="gas", home=in_date, appliance="boiler")
    record(boiler, dt.date(2026, 5, 1))
    unrecorded = check_register(check_type="gas", home=never_done, appliance="boiler")
    access_attempt_record(check=unrecorded, stage="first_letter", note="", actor=None)
    block = BlockFactory(height_metres=9, storeys=3, has_lift=False)
    PropertyFactory(block=block)
    PropertyFactory(block=block)
    fra = check_register(check_type="fire_risk", block=block, risk="normal")
    record(fra, dt.date(2025, 1, 5), outcome="satisfactory")  # reviewed yearly: overdue
    client.force_login(manager)

    with django_assert_max_num_queries(4):
        safety = safety_measures(year=ReportingYear(2026), now=timezone.now())
    page = client.get(reverse("performance:dashboard")).content.decode()

    figures = {m.code: (m.homes_requiring, m.homes_compliant) for m in safety.measures}
    assert figures == {
        "BS01": (2, 1),
        "BS02": (2, 0),
        "BS03": (0, 0),
        "BS04": (0, 0),
        "BS05": (0, 0),
    }
    overdue = {value: count for value, _, count in safety.overdue_by_type}
    assert (overdue["gas"], overdue["fire_risk"], overdue["water"]) == (1, 1, 0)
    assert ("No access: first letter sent", 1) in safety.pipeline
    table = page[page.index('id="building-safety-measures"') :]
    assert "BS01 Homes with every required gas safety check done" in table
    assert "50.0%" in table and "No homes" in table
    assert "No access: first letter sent" in page[page.index('id="no-access-pipeline"') :]
