"""Someone who has never been one of our tenants applies for a home online: an account with no
household (docs/decisions/0030), through interest, the form, the assessment, the offer and the
sign-up that makes them the lead tenant; and every other page shut to them with a clear page,
never a server error."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import get_resolver, reverse
from django.utils import timezone

from casework.access import access_case_for_customer
from casework.models import CaseEvent
from casework.selectors import household_timeline
from kernel.access import view_access
from lettings import services
from lettings.models import Application, ApplicationStatus, SettlingIn
from notifications.models import Message
from tenancy.models import Customer, HouseholdRole
from tenancy.selectors import customer_ids_in_household
from tenancy.services import customer_create_applicant
from tests.factories import UserFactory
from tests.lettings import factories as f
from tests.url_walk import concrete_path, walk

S = ApplicationStatus
PASSWORD = "kettle lantern orchard 42"
NO_HOUSEHOLD = "This page is for our tenants"


def make_applicant(first_name: str = "Robin", email: str = "") -> Customer:
    """A person with a portal login and no household, as the sign-up page makes them."""
    user = UserFactory(email=email or f"{first_name.lower()}@example.org")
    customer = customer_create_applicant(
        first_name=first_name,
        last_name="Okafor",
        date_of_birth=dt.date(1995, 4, 2),
        email="",
        user=user,
    )
    # As if the address had been confirmed (``customer_use_confirmed_email``).
    Customer.objects.filter(pk=customer.pk).update(email=user.email)
    return Customer.objects.select_related("user").get(pk=customer.pk)


@pytest.fixture
def applicant(db):
    return make_applicant()


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant.user)
    return client


def _sign_up(client, **overrides) -> object:
    data = {
        "first_name": "Robin",
        "last_name": "Okafor",
        "date_of_birth_0": "2",
        "date_of_birth_1": "4",
        "date_of_birth_2": "1995",
        "email": "robin@example.org",
        "password": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:register_applicant"), data)


def _express_interest(client, advert) -> Application:
    page = client.get(reverse("lettings:interest", args=[advert.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("lettings:interest", args=[advert.pk]),
        {"idempotency_key": page.context["form"].initial["idempotency_key"]},
    )
    assert response.status_code == 302
    return Application.objects.get(reference=response["Location"].rstrip("/").split("/")[-1])


# --- the whole journey ----------------------------------------------------------------------


def test_a_person_who_was_never_a_tenant_applies_online_and_becomes_the_lead_tenant(
    client, advert, officer, frozen
):
    # Signing up: an account with no household, its address confirmed by the link.
    assert _sign_up(client)["Location"] == reverse("accounts:register_done")
    person = Customer.objects.get(user__email="robin@example.org")
    assert person.tenancy_id is None
    assert person.household_role == HouseholdRole.APPLICANT
    assert person.date_of_birth == dt.date(1995, 4, 2)
    assert person.email == ""  # not until the address is confirmed
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[0].body).group(0)
    client.post(link.split("testserver", 1)[1])
    person.refresh_from_db()
    assert person.email == "robin@example.org"
    signed_in = client.post(
        reverse("account_login"), {"login": "robin@example.org", "password": PASSWORD}
    )
    assert signed_in["Location"] == reverse("lettings:application_list")

    # Interest, then selected once the advert closes, told in the portal and by email.
    application = _express_interest(client, advert)
    assert application.customer_id == person.pk
    assert application.tenancy_id is None and application.property_id is None
    f.close(advert, frozen)
    f.offered(application, officer)
    assert Message.objects.filter(
        customer=person, subject__startswith="You have been selected", to_address=person.email
    ).exists()
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "You have been selected" in inbox

    # The online application, the assessment, the viewing and the offer accepted.
    form_url = reverse("lettings:application_form", args=[application.reference])
    response = client.post(
        form_url,
        {
            "household_summary": "Just me",
            "weekly_income": "450.00",
            "previous_addresses": "Flat 2, 9 Quay Street, 2021 to now",
            "consent_given": "on",
            "accepts_tenancy_terms": "on",
        },
    )
    assert response.status_code == 302
    f.viewing_booked(f.assessed(Application.objects.get(pk=application.pk), officer), officer)
    detail = client.get(reverse("lettings:application_detail", args=[application.reference]))
    assert "viewing" in detail.content.decode().lower()
    client.post(
        reverse("lettings:application_decision", args=[application.reference]),
        {"decision": "accept"},
    )
    application.refresh_from_db()
    assert application.status == S.ACCEPTED

    # The sign-up: the same person becomes the lead tenant of the new household.
    f.rent_requested(application, officer)
    people_before = Customer.objects.count()
    settling_in = services.application_sign_up(
        application=application, actor=officer, tenancy_start_date=timezone.localdate()
    )
    person.refresh_from_db()
    assert Customer.objects.count() == people_before  # no second record of them
    assert person.tenancy_id == settling_in.tenancy_id
    assert person.household_role == HouseholdRole.LEAD_TENANT
    assert settling_in.customer_id == person.pk
    assert list(settling_in.tenancy.customers.all()) == [person]
    assert client.get(reverse("lettings:move_in")).status_code == 200
    assert client.get(reverse("portal:your_home")).status_code == 200


def test_the_applicants_record_becomes_the_lead_tenant_even_without_a_login(
    advert, officer, frozen
):
    person = customer_create_applicant(
        first_name="Sam",
        last_name="Reyes",
        date_of_birth=dt.date(1990, 1, 1),
        email="sam@example.org",
    )
    application = f.interest(person, advert)
    f.close(advert, frozen)
    f.viewing_booked(f.assessed(f.form_sent(f.offered(application, officer)), officer), officer)
    f.rent_requested(f.accepted(Application.objects.get(pk=application.pk), officer), officer)

    settling_in = services.application_sign_up(
        application=application, actor=officer, tenancy_start_date=timezone.localdate()
    )

    person.refresh_from_db()
    assert person.tenancy_id == settling_in.tenancy_id
    assert Customer.objects.filter(first_name="Sam", last_name="Reyes").count() == 1


# --- privacy --------------------------------------------------------------------------------


def test_an_applicant_sees_only_their_own_applications(client, advert, applicant, frozen):
    mine = f.interest(applicant, advert)
    other = make_applicant("Kit")
    theirs = f.interest(other, advert)
    client.force_login(applicant.user)

    listing = client.get(reverse("lettings:application_list")).content.decode()
    other_page = client.get(reverse("lettings:application_detail", args=[theirs.reference]))

    assert mine.reference in listing
    assert theirs.reference not in listing
    assert other_page.status_code == 404


def test_cases_without_a_household_are_never_one_household(advert, applicant, tenant_a, frozen):
    """Two applicants share no household: every read by household finds nothing of another's."""
    other = make_applicant("Kit")
    theirs = f.interest(other, advert)
    f.interest(applicant, advert)

    assert customer_ids_in_household(applicant) == [applicant.pk]
    assert household_timeline(applicant.tenancy) == []
    for user in (applicant.user, tenant_a.user):
        with pytest.raises(Http404):
            access_case_for_customer(user, theirs.reference)


def test_an_applicants_own_case_is_theirs_by_reference(advert, applicant):
    mine = f.interest(applicant, advert)

    assert access_case_for_customer(applicant.user, mine.reference).pk == mine.pk


def test_the_household_pages_tell_an_applicant_what_they_can_use(applicant_client):
    response = applicant_client.get(reverse("rent:account"))
    body = response.content.decode()

    assert response.status_code == 403
    assert NO_HOUSEHOLD in body
    assert reverse("lettings:application_list") in body
    assert reverse("notifications:inbox") in body


def _household_routes() -> list[str]:
    """Every page declared ``@customer_required`` (with or without a current tenancy)."""
    return sorted(
        route
        for route, view, namespaces in walk(get_resolver().url_patterns)
        if view_access(view, namespaces) in ("customer", "customer:current-tenancy")
    )


def _written() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions", "django_celery_beat")
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_household_page_refuses_an_applicant_and_writes_nothing(
    applicant_client, advert, applicant, method
):
    application = f.interest(applicant, advert)
    values = {"reference": application.reference}
    before = _written()

    answers = {}
    for route in _household_routes():
        response = getattr(applicant_client, method)(concrete_path(route, values))
        answers[route] = (response.status_code, NO_HOUSEHOLD in response.content.decode())

    assert {route: a for route, a in answers.items() if a != (403, True)} == {}
    assert _written() == before


def test_no_page_gives_an_applicant_a_server_error(client, advert, applicant, officer, frozen):
    """Every route, with the applicant's own application as the reference: the pages open to
    them answer, the rest refuse, and none fails."""
    application = f.interest(applicant, advert)
    f.close(advert, frozen)
    f.offered(application, officer)
    client.force_login(applicant.user)
    client.raise_request_exception = False
    values = {"reference": application.reference, "advert_id": str(advert.pk)}

    errors = []
    for route, _view, _ns in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(concrete_path(route, values))
            if response.status_code >= 500:
                errors.append(f"{method} {route} {response.status_code}")

    assert errors == []


@pytest.mark.parametrize(
    "name",
    [
        "lettings:application_list",
        "notifications:inbox",
        "tenancy:your_details",
        "lettings:advert_list",
        "portal:home",
    ],
)
def test_the_pages_open_to_an_applicant_answer(applicant_client, name):
    response = applicant_client.get(reverse(name))

    assert response.status_code == 200
    assert "Your applications" in response.content.decode()  # their own menu


def test_an_applicant_signing_in_lands_on_their_applications(client, applicant):
    applicant.user.set_password(PASSWORD)
    applicant.user.save()
    assert EmailAddress.objects.filter(user=applicant.user, verified=True).exists()

    response = client.post(
        reverse("account_login"), {"login": applicant.user.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("lettings:application_list")


def test_an_applicant_updates_their_contact_details(applicant_client, applicant):
    response = applicant_client.post(
        reverse("tenancy:your_details"),
        {"email": applicant.email, "preferred_channel": "portal", "mobile": "07700 900456"},
    )

    applicant.refresh_from_db()
    assert response.status_code == 302
    assert applicant.mobile == "07700 900456"


# --- refused actions write nothing ----------------------------------------------------------


def test_an_applicant_cannot_apply_to_exchange_a_home_they_do_not_have(applicant_client, applicant):
    from lettings.models import MutualExchange

    response = applicant_client.post(reverse("lettings:exchange_new"), {"partner_name": "Jo"})

    assert response.status_code == 403
    assert not MutualExchange.objects.exists()


def test_a_case_about_a_home_cannot_be_opened_for_an_applicant(applicant):
    from django.core.exceptions import ValidationError

    from casework.services import case_open
    from complaints.models import Complaint

    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError, match="has none with us"):
        case_open(model=Complaint, customer=applicant, received_by="portal", status="received")

    assert not Complaint.objects.exists()
    assert CaseEvent.objects.count() == events


def test_an_applicant_and_a_household_are_never_one_record(db, tenant_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=tenant_a.pk).update(household_role=HouseholdRole.APPLICANT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(
            tenancy=None,
            household_role=HouseholdRole.LEAD_TENANT,
            first_name="No",
            last_name="Home",
            date_of_birth=dt.date(1990, 1, 1),
        )
    assert Customer.objects.count() == 1


def test_an_applicant_without_an_account_needs_an_email(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="needs an email"):
        customer_create_applicant(
            first_name="Sam", last_name="Reyes", date_of_birth=dt.date(1990, 1, 1), email=" "
        )
    assert not Customer.objects.exists()


def test_a_message_to_an_applicant_with_no_email_waits_in_their_inbox(applicant):
    from notifications.services import choose_route

    Customer.objects.filter(pk=applicant.pk).update(email="", preferred_channel="letter")
    applicant.refresh_from_db()

    route = choose_route(applicant)

    assert (route.channel, route.to_address) == ("portal", "")


# --- staff pages with an applicant's application ----------------------------------------------


def test_staff_see_an_applicants_application_everywhere_they_work(client, advert, applicant):
    from kernel.roles import Role
    from tests.factories import StaffFactory

    application = f.interest(applicant, advert)
    staff = StaffFactory(roles=list(Role))
    client.force_login(staff)

    found = client.get(reverse("workspace:find"), {"q": application.reference})
    by_name = client.get(reverse("workspace:find"), {"q": "Okafor"})
    pages = [
        reverse("lettings:staff_queue"),
        reverse("lettings:staff_shortlist", args=[advert.pk]),
        reverse("admin:lettings_application_change", args=[application.pk]),
        reverse("admin:lettings_application_changelist"),
        reverse("admin:tenancy_customer_change", args=[applicant.pk]),
        reverse("admin:tenancy_customer_changelist"),
        reverse("workspace:my_work"),
    ]

    assert found["Location"] == reverse("admin:lettings_application_change", args=[application.pk])
    assert "Applicant: no home with us" in by_name.content.decode()
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)


def test_settling_in_opens_on_the_new_household_not_as_a_case_without_one(
    advert, applicant, officer, frozen
):
    application = f.interest(applicant, advert)
    f.close(advert, frozen)
    f.viewing_booked(f.assessed(f.form_sent(f.offered(application, officer)), officer), officer)
    f.rent_requested(f.accepted(Application.objects.get(pk=application.pk), officer), officer)

    services.application_sign_up(
        application=application, actor=officer, tenancy_start_date=timezone.localdate()
    )

    settling_in = SettlingIn.objects.get()
    application.refresh_from_db()
    assert settling_in.tenancy_id == application.new_tenancy_id
    assert CaseEvent.objects.filter(tenancy=settling_in.tenancy).exists()


# --- what we hold about an applicant (subject access) ---------------------------------------


def test_every_apps_part_of_an_applicants_pack_holds_their_own_records_only(
    advert, applicant, tenant_a, frozen
):
    """Each app's part (``kernel/personal_data.py``) answers for a person with no household,
    and none reads another applicant's records as "theirs" by their missing household."""
    from dataprotection.selectors import part_functions, records_of_the_same_person

    mine = f.interest(applicant, advert)
    other = make_applicant("Kit")
    theirs = f.interest(other, advert)

    parts = {
        label: part_for(record)
        for label, part_for in part_functions()
        for record in records_of_the_same_person(applicant)
    }
    keys = {record.key for part in parts.values() for record in part.records}
    text = " ".join(
        value for part in parts.values() for r in part.records for _name, value in r.fields
    )

    assert f"lettings.Application:{mine.pk}" in keys
    assert f"lettings.Application:{theirs.pk}" not in keys
    assert f"tenancy.Customer:{applicant.pk}" in keys
    assert f"tenancy.Customer:{other.pk}" not in keys
    assert "Kit" not in text
    assert tenant_a.tenancy.reference not in text


def test_an_applicants_list_of_applications_is_a_fixed_number_of_queries(
    applicant_client, applicant, officer, frozen, django_assert_max_num_queries
):
    for _ in range(3):
        f.interest(applicant, f.advert_for(f.sign_off(f.empty_home(), officer)))

    with django_assert_max_num_queries(5):
        response = applicant_client.get(reverse("lettings:application_list"))

    assert response.content.decode().count("LET-") >= 3
