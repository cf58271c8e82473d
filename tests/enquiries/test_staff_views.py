"""Staff pages: who may open each (the right role, another role, a customer, nobody signed in,
the wrong method), and the actions officers take on enquiries, call backs, chats and visits."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from casework.models import CaseEvent, Team
from complaints.models import Complaint
from enquiries import services
from enquiries.models import (
    CallBack,
    CallBackOutcome,
    ChatSession,
    ChatStatus,
    Enquiry,
    EnquiryStatus,
    HomeVisit,
    VisitStatus,
)
from kernel.formatting import LONDON
from kernel.roles import Role
from notifications.models import Message
from sla import calendar
from sla.models import ClosureDay
from tests.enquiries.factories import (
    book_visit,
    log_enquiry,
    request_callback,
    start_chat,
    submit_enquiry,
)
from tests.factories import StaffFactory


@pytest.fixture
def staff_without_role(db):
    return StaffFactory(roles=[], first_name="No", last_name="Role")


@pytest.fixture
def world(tenant_a, adviser, monday):
    return {
        "customer": tenant_a,
        "enquiry": submit_enquiry(tenant_a),
        "callback": request_callback(tenant_a),
        "chat": start_chat(tenant_a),
        "visit": book_visit(tenant_a, adviser),
    }


def _kwargs(arg, world):
    if arg is None:
        return {}
    if arg == "customer":
        return {"customer_id": world["customer"].pk}
    if arg == "visit":
        return {"pk": world["visit"].pk}
    return {"reference": world[arg].reference}


# (url name, argument, method that works, wrong method, a role-holder refused with 403)
STAFF_URLS = [
    ("enquiries:staff_home", None, "get", "post", "customer"),
    ("enquiries:staff_customer_search", None, "get", "post", "customer"),
    ("enquiries:staff_log_contact", "customer", "get", "put", "staff_without_role"),
    ("enquiries:staff_callback_new", "customer", "get", "put", "repairs_officer"),
    ("enquiries:staff_visit_book", "customer", "get", "put", "staff_without_role"),
    ("enquiries:staff_callback_queue", None, "get", "post", "repairs_officer"),
    ("enquiries:staff_callback", "callback", "get", "put", "repairs_officer"),
    ("enquiries:staff_chat_queue", None, "get", "post", "repairs_officer"),
    ("enquiries:staff_chat_queue_json", None, "get", "post", "repairs_officer"),
    ("enquiries:staff_chat", "chat", "get", "post", "repairs_officer"),
    ("enquiries:staff_chat_pick_up", "chat", "post", "get", "repairs_officer"),
    ("enquiries:staff_chat_messages", "chat", "get", "post", "repairs_officer"),
    ("enquiries:staff_chat_send", "chat", "post", "get", "repairs_officer"),
    ("enquiries:staff_chat_end", "chat", "post", "get", "repairs_officer"),
    ("enquiries:staff_chat_convert", "chat", "post", "get", "repairs_officer"),
    ("enquiries:staff_visit_list", None, "get", "post", "staff_without_role"),
    ("enquiries:staff_visit", "visit", "get", "post", "staff_without_role"),
    ("enquiries:staff_visit_late", "visit", "post", "get", "staff_without_role"),
    ("enquiries:staff_visit_no_access", "visit", "post", "get", "staff_without_role"),
    ("enquiries:staff_visit_complete", "visit", "post", "get", "staff_without_role"),
    ("enquiries:staff_visit_cancel", "visit", "post", "get", "staff_without_role"),
    ("enquiries:staff_call_import", None, "get", "put", "repairs_officer"),
    ("enquiries:staff_dashboard", None, "get", "post", "adviser_only"),
]


@pytest.fixture
def refused(request, tenant_b, staff_without_role, repairs_officer, second_adviser):
    return {
        "customer": tenant_b.user,
        "staff_without_role": staff_without_role,
        "repairs_officer": repairs_officer,
        "adviser_only": second_adviser,
    }


def _allowed_user(name, adviser, manager):
    return manager if name == "enquiries:staff_dashboard" else adviser


@pytest.mark.parametrize(("name", "arg", "method", "wrong", "who"), STAFF_URLS)
def test_the_right_role_may_use_every_staff_page(
    client, world, adviser, manager, name, arg, method, wrong, who
):
    client.force_login(_allowed_user(name, adviser, manager))

    response = getattr(client, method)(reverse(name, kwargs=_kwargs(arg, world)))

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("name", "arg", "method", "wrong", "who"), STAFF_URLS)
def test_other_roles_and_customers_get_403(client, world, refused, name, arg, method, wrong, who):
    client.force_login(refused[who])
    before = (Enquiry.objects.count(), Message.objects.count())

    response = getattr(client, method)(reverse(name, kwargs=_kwargs(arg, world)))

    assert response.status_code == 403
    assert (Enquiry.objects.count(), Message.objects.count()) == before


@pytest.mark.parametrize(("name", "arg", "method", "wrong", "who"), STAFF_URLS)
def test_nobody_signed_in_is_sent_to_sign_in(client, world, name, arg, method, wrong, who):
    response = getattr(client, method)(reverse(name, kwargs=_kwargs(arg, world)))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "arg", "method", "wrong", "who"), STAFF_URLS)
def test_the_wrong_method_is_refused_on_staff_pages(
    client, world, adviser, manager, name, arg, method, wrong, who
):
    client.force_login(_allowed_user(name, adviser, manager))

    assert getattr(client, wrong)(reverse(name, kwargs=_kwargs(arg, world))).status_code == 405


def test_a_specialist_team_sees_only_the_enquiries_referred_to_it(
    client, world, adviser, income_officer
):
    enquiry = world["enquiry"]
    url = _step(enquiry, "answer")
    client.force_login(income_officer)
    assert client.get(url).status_code == 404

    services.enquiry_refer(enquiry=enquiry, team=Team.objects.get(name="Income"), actor=adviser)

    assert client.get(url).status_code == 200


def test_an_officer_cannot_open_another_officers_visit(client, world, income_officer):
    client.force_login(income_officer)

    response = client.get(reverse("enquiries:staff_visit", args=[world["visit"].pk]))

    assert response.status_code == 404


# An enquiry is worked in the admin, one page per step (casework's step framework).
ENQUIRY_STEPS = ["acknowledge", "refer", "extend", "contact_back", "answer", "complaint"]


def _step(enquiry, name: str) -> str:
    return reverse("admin:enquiries_enquiry_step", args=[enquiry.pk, name])


def _enquiry_page(enquiry) -> str:
    return reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])


@pytest.mark.parametrize("step", ENQUIRY_STEPS)
def test_an_adviser_may_open_every_enquiry_step(client, world, adviser, step):
    client.force_login(adviser)

    assert client.get(_step(world["enquiry"], step)).status_code in (200, 302)


@pytest.mark.parametrize("step", ENQUIRY_STEPS)
def test_staff_without_a_role_get_403_on_enquiry_steps(client, world, staff_without_role, step):
    client.force_login(staff_without_role)
    before = (Enquiry.objects.count(), Message.objects.count())

    response = client.post(_step(world["enquiry"], step))

    assert response.status_code == 403
    assert (Enquiry.objects.count(), Message.objects.count()) == before


@pytest.mark.parametrize("step", ENQUIRY_STEPS)
def test_nobody_signed_in_is_sent_to_sign_in_from_enquiry_steps(client, world, step):
    before = (CaseEvent.objects.count(), Message.objects.count())

    response = client.post(_step(world["enquiry"], step))

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert (CaseEvent.objects.count(), Message.objects.count()) == before


@pytest.mark.parametrize("step", ENQUIRY_STEPS)
def test_the_wrong_method_is_refused_on_enquiry_steps(client, world, adviser, step):
    client.force_login(adviser)

    assert client.put(_step(world["enquiry"], step)).status_code == 405


# --- logging and working enquiries -----------------------------------------------------------


def test_logging_a_phone_call_resolved_now(client, adviser, tenant_a, monday):
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_log_contact", args=[tenant_a.pk]),
        {
            "channel": "phone",
            "received_at": "2026-03-02T09:50",
            "topic": "rent",
            "subject": "Rent day",
            "details": "Which day is rent taken?",
            "resolved_now": "on",
            "answer": "The 1st of the month.",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    enquiry = Enquiry.objects.get()
    assert response["Location"] == _enquiry_page(enquiry)
    assert enquiry.resolved_at_first_contact is True
    assert enquiry.opened_at == dt.datetime(2026, 3, 2, 9, 50, tzinfo=LONDON)
    assert enquiry.logged_by == adviser


def test_resolved_now_without_the_answer_is_refused_keeping_the_details(
    client, adviser, tenant_a, monday
):
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_log_contact", args=[tenant_a.pk]),
        {
            "channel": "phone",
            "received_at": "2026-03-02T09:50",
            "topic": "rent",
            "subject": "Rent day",
            "details": "Keep these details",
            "resolved_now": "on",
            "answer": "",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    body = response.content.decode()
    assert "Enter the answer given to the customer" in body
    assert "Keep these details" in body
    assert not Enquiry.objects.exists()


def test_logging_a_letter_and_referring_it_at_once(client, adviser, tenant_a, monday):
    client.force_login(adviser)
    lettings = Team.objects.get(name="Lettings")

    client.post(
        reverse("enquiries:staff_log_contact", args=[tenant_a.pk]),
        {
            "channel": "letter",
            "received_at": "2026-03-02T09:00",
            "topic": "moving",
            "subject": "Transfer",
            "details": "I need a ground floor flat.",
            "team": lettings.pk,
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    enquiry = Enquiry.objects.get()
    assert enquiry.team == lettings
    assert enquiry.status == EnquiryStatus.REFERRED


def test_the_staff_search_finds_a_customer_by_tenancy_reference(client, adviser, tenant_a, monday):
    client.force_login(adviser)

    body = client.get(
        reverse("enquiries:staff_customer_search"), {"q": tenant_a.tenancy.reference}
    ).content.decode()

    assert tenant_a.full_name in body
    assert reverse("enquiries:staff_log_contact", args=[tenant_a.pk]) in body


def test_answering_from_the_staff_page(client, world, adviser):
    client.force_login(adviser)
    enquiry = world["enquiry"]

    response = client.post(
        _step(enquiry, "answer"),
        {"answer": "Here is your answer."},
    )

    enquiry.refresh_from_db()
    assert response.status_code == 302
    assert enquiry.status == EnquiryStatus.ANSWERED


def test_an_empty_answer_shows_the_error_and_writes_nothing(client, world, adviser):
    client.force_login(adviser)
    enquiry = world["enquiry"]

    response = client.post(_step(enquiry, "answer"), {"answer": ""})

    enquiry.refresh_from_db()
    assert "Enter the answer" in response.content.decode()
    assert enquiry.status == EnquiryStatus.RECEIVED


def test_answering_a_closed_enquiry_again_is_refused(client, world, adviser):
    client.force_login(adviser)
    enquiry = world["enquiry"]
    services.enquiry_answer(enquiry=enquiry, answer="First answer", actor=adviser)

    client.post(
        _step(enquiry, "answer"),
        {"answer": "Second answer"},
        follow=True,
    )

    enquiry.refresh_from_db()
    assert enquiry.answer == "First answer"


def test_turning_an_enquiry_into_a_complaint_from_the_staff_page(client, world, adviser):
    client.force_login(adviser)
    enquiry = world["enquiry"]

    client.post(
        _step(enquiry, "complaint"),
        {"choice": "accepted", "summary": "Unhappy with the wait"},
    )

    complaint = Complaint.objects.get()
    assert complaint.opened_at == enquiry.opened_at
    assert complaint.subject == "Unhappy with the wait"


# --- call backs ------------------------------------------------------------------------------


def test_a_call_back_with_no_answer_stays_in_the_queue_and_the_customer_is_told(
    client, world, adviser
):
    client.force_login(adviser)
    callback = world["callback"]

    client.post(
        reverse("enquiries:staff_callback", args=[callback.reference]),
        {"outcome": CallBackOutcome.NO_ANSWER},
    )

    callback.refresh_from_db()
    assert callback.is_open
    assert callback.attempts == 1
    assert Message.objects.filter(subject__startswith="We tried to call you").exists()
    assert (
        callback.reference in client.get(reverse("enquiries:staff_callback_queue")).content.decode()
    )


def test_a_call_back_resolved_on_the_call_meets_its_clock(client, world, adviser):
    client.force_login(adviser)
    callback = world["callback"]

    client.post(
        reverse("enquiries:staff_callback", args=[callback.reference]),
        {"outcome": CallBackOutcome.RESOLVED, "note": "Explained the statement"},
    )

    callback.refresh_from_db()
    assert callback.closed_at is not None
    assert callback.outcome == CallBackOutcome.RESOLVED
    assert callback.deadlines.get().met_on_time is True


def test_a_call_back_needing_follow_up_opens_an_enquiry_with_the_note(client, world, adviser):
    client.force_login(adviser)
    callback = world["callback"]

    response = client.post(
        reverse("enquiries:staff_callback", args=[callback.reference]),
        {"outcome": CallBackOutcome.FOLLOW_UP, "note": "Needs a refund"},
    )

    follow_up = Enquiry.objects.exclude(pk=world["enquiry"].pk).get()
    assert response["Location"] == _enquiry_page(follow_up)
    assert "Needs a refund" in follow_up.details
    assert set(follow_up.deadlines.values_list("commitment__code", flat=True)) == {
        "enquiry.contact_back"
    }


def test_staff_log_a_call_back_at_a_busy_time_and_the_customer_is_told(
    client, adviser, tenant_a, monday
):
    client.force_login(adviser)

    client.post(
        reverse("enquiries:staff_callback_new", args=[tenant_a.pk]),
        {
            "phone": "07700 900555",
            "reason": "Wants to discuss arrears",
            "preferred_time": "any",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    callback = CallBack.objects.get()
    assert callback.logged_by == adviser
    assert Message.objects.filter(customer=tenant_a, subject__contains=callback.reference).exists()


def test_staff_cannot_log_a_call_back_for_christmas_day(client, adviser, tenant_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_callback_new", args=[tenant_a.pk]),
        {
            "phone": "07700 900555",
            "reason": "Wants to discuss arrears",
            "preferred_date_0": "25",
            "preferred_date_1": "12",
            "preferred_date_2": "2026",
            "preferred_time": "any",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200
    assert "We are closed on Friday 25 December 2026" in response.content.decode()
    assert not CallBack.objects.exists()


# --- chat ------------------------------------------------------------------------------------


def test_an_adviser_picks_up_a_chat_from_the_queue(client, world, adviser):
    client.force_login(adviser)
    chat = world["chat"]
    assert chat.reference in client.get(reverse("enquiries:staff_chat_queue")).content.decode()

    response = client.post(reverse("enquiries:staff_chat_pick_up", args=[chat.reference]))

    chat.refresh_from_db()
    assert response["Location"] == reverse("enquiries:staff_chat", args=[chat.reference])
    assert chat.status == ChatStatus.ACTIVE and chat.assignee == adviser


def test_the_customer_is_told_the_first_name_of_the_adviser_who_joins(
    client, world, adviser, tenant_a
):
    client.force_login(adviser)
    chat = world["chat"]

    client.post(reverse("enquiries:staff_chat_pick_up", args=[chat.reference]))
    client.force_login(tenant_a.user)
    page = client.get(reverse("enquiries:chat_detail", args=[chat.reference])).content.decode()
    polled = client.get(reverse("enquiries:chat_messages", args=[chat.reference])).json()

    assert "You are chatting with Priya." in page
    assert "Shah" not in page and "Customer services" not in page
    assert polled["state"]["adviser"] == "Priya"


def test_an_adviser_with_no_first_name_cannot_answer_a_chat(client, world):
    nameless = StaffFactory(roles=[Role.CUSTOMER_SERVICES], first_name="", last_name="")
    client.force_login(nameless)
    chat = world["chat"]
    events = CaseEvent.objects.count()

    response = client.post(
        reverse("enquiries:staff_chat_pick_up", args=[chat.reference]), follow=True
    )

    assert "Add your first name" in response.content.decode()
    chat.refresh_from_db()
    assert chat.status == ChatStatus.WAITING and chat.assignee is None
    assert CaseEvent.objects.count() == events
    assert not chat.messages.filter(sender="system").exists()


def test_a_second_adviser_picking_up_is_told_it_is_taken(client, world, adviser, second_adviser):
    services.chat_pick_up(chat=world["chat"], adviser=adviser)
    client.force_login(second_adviser)

    response = client.post(
        reverse("enquiries:staff_chat_pick_up", args=[world["chat"].reference]), follow=True
    )

    assert "already picked up" in response.content.decode()
    assert ChatSession.objects.get().assignee == adviser


def test_the_queue_json_lists_waiting_chats_with_their_wait(
    client, world, adviser, time_machine, monday
):
    client.force_login(adviser)
    time_machine.move_to(monday + dt.timedelta(seconds=45), tick=False)

    chats = client.get(reverse("enquiries:staff_chat_queue_json")).json()["chats"]

    assert chats == [
        {
            "reference": world["chat"].reference,
            "customer": world["customer"].full_name,
            "status": "waiting",
            "status_label": "Waiting for an adviser",
            "adviser": "",
            "waiting_seconds": 45,
        }
    ]


def test_an_adviser_turns_the_chat_into_an_enquiry(client, world, adviser):
    client.force_login(adviser)
    chat = world["chat"]
    services.chat_pick_up(chat=chat, adviser=adviser)

    client.post(
        reverse("enquiries:staff_chat_convert", args=[chat.reference]),
        {"into": "enquiry", "summary": "Boiler service date"},
    )

    made = Enquiry.objects.exclude(pk=world["enquiry"].pk).get()
    assert made.subject == "Boiler service date"
    assert "boiler service" in made.details


def test_a_repair_from_a_chat_needs_the_problem_and_the_place(client, world, adviser):
    client.force_login(adviser)
    chat = world["chat"]

    response = client.post(
        reverse("enquiries:staff_chat_convert", args=[chat.reference]),
        {"into": "repair", "summary": "Leak"},
    )

    body = response.content.decode()
    assert "Choose the problem to repair" in body
    assert "Select where the problem is" in body


# --- home visits -----------------------------------------------------------------------------


def test_booking_a_visit_tells_the_customer_the_time_and_the_officers_name(
    client, adviser, tenant_a, monday
):
    client.force_login(adviser)

    client.post(
        reverse("enquiries:staff_visit_book", args=[tenant_a.pk]),
        {
            "purpose": "Tenancy check",
            "officer": adviser.pk,
            "starts_at": "2026-03-04T10:00",
            "ends_at": "2026-03-04T12:00",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    visit = HomeVisit.objects.get()
    assert visit.starts_at == dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
    message = Message.objects.get(customer=tenant_a)
    assert "Priya Shah" in message.body
    assert "between 10am and midday" in message.body
    assert "identification" in message.body


@pytest.mark.parametrize(
    ("day", "what"),
    [("2026-04-03", "Good Friday"), ("2026-03-07", "a Saturday")],
)
def test_a_visit_on_a_day_the_office_is_closed_is_refused_and_nothing_is_sent(
    client, adviser, tenant_a, monday, day, what
):
    client.force_login(adviser)

    response = client.post(
        reverse("enquiries:staff_visit_book", args=[tenant_a.pk]),
        {
            "purpose": "Tenancy check",
            "officer": adviser.pk,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T12:00",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200, what
    assert "We do not visit on that day" in response.content.decode()
    assert 'value="Tenancy check"' in response.content.decode()
    assert not HomeVisit.objects.exists()
    assert not Message.objects.filter(customer=tenant_a).exists()


def test_a_closure_day_the_managers_added_refuses_a_visit_too(client, adviser, tenant_a, monday):
    ClosureDay.objects.create(date=dt.date(2026, 3, 5), reason="Staff training")
    calendar.reset_cache()
    client.force_login(adviser)

    client.post(
        reverse("enquiries:staff_visit_book", args=[tenant_a.pk]),
        {
            "purpose": "Tenancy check",
            "officer": adviser.pk,
            "starts_at": "2026-03-05T10:00",
            "ends_at": "2026-03-05T12:00",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert not HomeVisit.objects.exists()


def test_running_late_tells_the_customer_the_new_time(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]
    new_time = visit.starts_at + dt.timedelta(minutes=150)

    client.post(
        reverse("enquiries:staff_visit_late", args=[visit.pk]),
        {"expected_at": new_time.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")},
    )

    visit.refresh_from_db()
    assert visit.status == VisitStatus.RUNNING_LATE
    assert visit.late_told_at is not None
    late = Message.objects.get(subject="We are running late for your home visit")
    assert new_time.astimezone(LONDON).strftime("%H:%M") in late.body


def test_no_one_in_records_the_card_and_messages_the_customer(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]

    client.post(reverse("enquiries:staff_visit_no_access", args=[visit.pk]), {"notes": ""})

    visit.refresh_from_db()
    assert visit.status == VisitStatus.NO_ACCESS
    assert visit.card_left_at is not None
    assert Message.objects.filter(subject="We called but you were out").exists()


def test_a_visit_is_recorded_with_the_identification_check(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]

    client.post(
        reverse("enquiries:staff_visit_complete", args=[visit.pk]), {"identification_shown": "yes"}
    )

    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED
    assert visit.identification_shown is True


def test_identification_not_shown_needs_a_reason(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]

    response = client.post(
        reverse("enquiries:staff_visit_complete", args=[visit.pk]),
        {"identification_shown": "no", "notes": ""},
    )

    visit.refresh_from_db()
    assert "Say why the identification was not shown" in response.content.decode()
    assert visit.status == VisitStatus.BOOKED


def test_a_finished_visit_cannot_be_marked_late(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]
    services.visit_complete(visit=visit, actor=adviser, identification_shown=True)
    messages_before = Message.objects.count()

    client.post(
        reverse("enquiries:staff_visit_late", args=[visit.pk]), {"expected_at": "2026-03-03T15:00"}
    )

    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED
    assert Message.objects.count() == messages_before


def test_a_visit_logged_contact_counts_as_a_home_visit(client, adviser, tenant_a, monday):
    enquiry = log_enquiry(tenant_a, adviser, channel="home_visit")

    assert enquiry.at_home_visit is True


def test_cancelling_a_visit_tells_the_customer_why(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]

    client.post(
        reverse("enquiries:staff_visit_cancel", args=[visit.pk]), {"reason": "Officer is ill"}
    )

    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    message = Message.objects.get(subject="Your home visit is cancelled")
    assert "Officer is ill" in message.body


def test_cancelling_without_a_reason_is_refused(client, world, adviser):
    client.force_login(adviser)
    visit = world["visit"]

    response = client.post(reverse("enquiries:staff_visit_cancel", args=[visit.pk]), {"reason": ""})

    visit.refresh_from_db()
    assert "Enter the reason" in response.content.decode()
    assert visit.status == VisitStatus.BOOKED
