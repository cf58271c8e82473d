"""The customer's Keeping in Touch pages: who may see each one (owner, another household,
anonymous, staff, wrong method), forms that keep what was typed, and text shown escaped."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from enquiries import services
from enquiries.models import CallBack, ChatMessage, ChatSession, Enquiry
from kernel.formatting import LONDON
from notifications.models import Message
from sla.services import closure_day_add
from tests.enquiries.factories import book_visit, request_callback, start_chat, submit_enquiry


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def records(tenant_a, monday):
    """One of each of tenant A's records that has its own page."""
    return {
        "enquiry": submit_enquiry(tenant_a, subject="<script>alert(1)</script>"),
        "callback": request_callback(tenant_a),
        "chat": start_chat(tenant_a, message="<img src=x onerror=alert(1)>"),
    }


# (url name, record it belongs to or None, the method that works, a method that does not)
CUSTOMER_URLS = [
    ("enquiries:enquiry_list", None, "get", "post"),
    ("enquiries:enquiry_new", None, "get", "put"),
    ("enquiries:enquiry_detail", "enquiry", "get", "post"),
    ("enquiries:enquiry_add_file", "enquiry", "post", "get"),
    ("enquiries:callback_new", None, "get", "put"),
    ("enquiries:callback_done", "callback", "get", "post"),
    ("enquiries:chat_start", None, "get", "put"),
    ("enquiries:chat_detail", "chat", "get", "post"),
    ("enquiries:chat_messages", "chat", "get", "post"),
    ("enquiries:chat_send", "chat", "post", "get"),
    ("enquiries:chat_end", "chat", "post", "get"),
    ("enquiries:chat_leave_enquiry", "chat", "post", "get"),
    ("enquiries:visit_list", None, "get", "post"),
]


def _url(name, record_key, records):
    if record_key is None:
        return reverse(name)
    return reverse(name, kwargs={"reference": records[record_key].reference})


@pytest.mark.parametrize(("name", "record_key", "method", "wrong"), CUSTOMER_URLS)
def test_the_owner_may_use_every_page(client, tenant_a, records, name, record_key, method, wrong):
    client.force_login(tenant_a.user)

    response = getattr(client, method)(_url(name, record_key, records))

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    ("name", "record_key", "method", "wrong"), [u for u in CUSTOMER_URLS if u[1] is not None]
)
def test_another_household_gets_404_and_changes_nothing(
    client, tenant_b, records, name, record_key, method, wrong
):
    client.force_login(tenant_b.user)
    counts = (
        Enquiry.objects.count(),
        ChatMessage.objects.count(),
        ChatSession.objects.filter(closed_at__isnull=True).count(),
    )

    response = getattr(client, method)(_url(name, record_key, records))

    assert response.status_code == 404
    assert (
        Enquiry.objects.count(),
        ChatMessage.objects.count(),
        ChatSession.objects.filter(closed_at__isnull=True).count(),
    ) == counts


@pytest.mark.parametrize(("name", "record_key", "method", "wrong"), CUSTOMER_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, records, name, record_key, method, wrong):
    response = getattr(client, method)(_url(name, record_key, records))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "record_key", "method", "wrong"), CUSTOMER_URLS)
def test_staff_are_refused_the_customer_pages(
    client, adviser, records, name, record_key, method, wrong
):
    client.force_login(adviser)

    assert getattr(client, method)(_url(name, record_key, records)).status_code == 403


@pytest.mark.parametrize(("name", "record_key", "method", "wrong"), CUSTOMER_URLS)
def test_the_wrong_method_is_refused(client, tenant_a, records, name, record_key, method, wrong):
    client.force_login(tenant_a.user)

    assert getattr(client, wrong)(_url(name, record_key, records)).status_code == 405


def test_a_joint_tenant_sees_the_households_enquiries(client, joint_tenant_a, records):
    client.force_login(joint_tenant_a.user)

    response = client.get(reverse("enquiries:enquiry_list"))

    assert records["enquiry"].reference in response.content.decode()


def test_the_list_shows_nothing_of_another_household(client, tenant_b, records):
    client.force_login(tenant_b.user)

    body = client.get(reverse("enquiries:enquiry_list")).content.decode()

    assert records["enquiry"].reference not in body
    assert records["callback"].reference not in body
    assert records["chat"].reference not in body


def test_contact_us_is_public_and_says_whether_chat_is_open(client, db, monday):
    response = client.get(reverse("enquiries:contact_us"))

    assert response.status_code == 200
    assert "Start a web chat" in response.content.decode()
    assert client.post(reverse("enquiries:contact_us")).status_code == 405


def test_customer_text_is_escaped_on_every_page(client, tenant_a, records):
    client.force_login(tenant_a.user)

    for url in (
        reverse("enquiries:enquiry_list"),
        _url("enquiries:enquiry_detail", "enquiry", records),
        _url("enquiries:chat_detail", "chat", records),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<img src=x" not in body
    detail = client.get(_url("enquiries:enquiry_detail", "enquiry", records)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


# --- sending an enquiry ---------------------------------------------------------------------


def test_sending_an_enquiry_opens_it_and_shows_it(client_a, tenant_a, monday):
    response = client_a.post(
        reverse("enquiries:enquiry_new"),
        {
            "topic": "rent",
            "subject": "Rent statement",
            "details": "Please send my statement.",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:enquiry_detail", args=[enquiry.reference])
    assert enquiry.customer == tenant_a
    assert enquiry.topic == "rent"


def test_a_missing_answer_shows_the_error_summary_and_keeps_what_was_typed(client_a, monday):
    response = client_a.post(
        reverse("enquiries:enquiry_new"),
        {
            "topic": "rent",
            "subject": "",
            "details": "My words <b>stay</b>",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter a summary of your enquiry" in body
    assert "My words &lt;b&gt;stay&lt;/b&gt;" in body
    assert not Enquiry.objects.exists()


def test_a_double_submit_makes_one_enquiry(client_a, monday):
    data = {
        "topic": "general",
        "subject": "Hedge",
        "details": "Who cuts the hedge?",
        "idempotency_key": str(uuid.uuid4()),
    }

    client_a.post(reverse("enquiries:enquiry_new"), data)
    client_a.post(reverse("enquiries:enquiry_new"), data)

    assert Enquiry.objects.count() == 1


def test_a_refused_upload_keeps_the_enquiry_and_says_so(client_a, monday):
    response = client_a.post(
        reverse("enquiries:enquiry_new"),
        {
            "topic": "general",
            "subject": "Fence",
            "details": "The fence blew down",
            "idempotency_key": str(uuid.uuid4()),
            "file": SimpleUploadedFile("fence.exe", b"MZ\x90\x00", content_type="image/png"),
        },
        follow=True,
    )

    enquiry = Enquiry.objects.get()
    assert enquiry.details == "The fence blew down"
    body = response.content.decode()
    assert "could not add your file" in body
    assert "JPG, PNG or PDF" in body


def test_a_photo_can_be_added_to_the_enquiry_afterwards(client_a, tenant_a, monday):
    enquiry = submit_enquiry(tenant_a)

    response = client_a.post(
        reverse("enquiries:enquiry_add_file", args=[enquiry.reference]),
        {"file": SimpleUploadedFile("fence.png", _png())},
    )

    assert response.status_code == 302
    assert enquiry.events.filter(kind="attachment").count() == 1


def test_a_refused_file_added_afterwards_shows_the_error(client_a, tenant_a, monday):
    enquiry = submit_enquiry(tenant_a)

    response = client_a.post(
        reverse("enquiries:enquiry_add_file", args=[enquiry.reference]),
        {"file": SimpleUploadedFile("notes.txt", b"hello")},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not enquiry.events.filter(kind="attachment").exists()


# --- call backs ------------------------------------------------------------------------------


def test_asking_for_a_call_back_lands_it_in_the_queue_with_a_clock(client_a, tenant_a, monday):
    response = client_a.post(
        reverse("enquiries:callback_new"),
        {
            "phone": "07700 900123",
            "reason": "My service charge",
            "preferred_date_0": "4",
            "preferred_date_1": "3",
            "preferred_date_2": "2026",
            "preferred_time": "afternoon",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    callback = CallBack.objects.get()
    assert response.status_code == 302
    assert callback.preferred_date == dt.date(2026, 3, 4)
    assert callback.deadlines.get().started_at == dt.datetime(2026, 3, 4, 0, 0, tzinfo=LONDON)
    # Confirmed at once, before anyone picks it up: the reference and the day we will call.
    message = Message.objects.get(idempotency_key=f"callback:{callback.pk}:requested")
    assert message.customer == tenant_a
    assert callback.reference in message.body
    assert "We will call you on Wednesday 4 March 2026" in message.body


def test_a_call_back_with_no_day_is_confirmed_with_the_contact_back_date(
    client_a, tenant_a, time_machine
):
    # Friday 27 March 2026: 3 working days run over the weekend the clocks go forward.
    time_machine.move_to(dt.datetime(2026, 3, 27, 16, 0, tzinfo=LONDON), tick=False)

    client_a.post(
        reverse("enquiries:callback_new"),
        {
            "phone": "07700 900123",
            "reason": "My service charge",
            "preferred_time": "any",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    callback = CallBack.objects.get()
    message = Message.objects.get(idempotency_key=f"callback:{callback.pk}:requested")
    assert callback.reference in message.body
    assert "We will call you by Wednesday 1 April 2026" in message.body


@pytest.mark.parametrize(("phone", "day"), [("call me", "4"), ("07700 900123", "1")])
def test_a_bad_phone_number_or_a_past_day_is_refused_keeping_the_reason(
    client_a, monday, phone, day
):
    response = client_a.post(
        reverse("enquiries:callback_new"),
        {
            "phone": phone,
            "reason": "Keep this reason",
            "preferred_date_0": day,
            "preferred_date_1": "3",
            "preferred_date_2": "2026",
            "preferred_time": "any",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200
    assert "Keep this reason" in response.content.decode()
    assert not CallBack.objects.exists()


@pytest.mark.parametrize(
    ("day", "month"),
    [
        ("25", "12"),  # Christmas Day, a Friday
        ("28", "12"),  # the substitute Boxing Day, a Monday
        ("24", "12"),  # a closure day the managers added
        ("26", "12"),  # a Saturday
    ],
)
def test_a_call_back_on_a_day_the_office_is_closed_is_refused(
    client_a, tenant_a, time_machine, day, month
):
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=LONDON), tick=False)
    closure_day_add(day=dt.date(2026, 12, 24), reason="Christmas Eve shutdown")

    response = client_a.post(
        reverse("enquiries:callback_new"),
        {
            "phone": "07700 900123",
            "reason": "Keep this reason",
            "preferred_date_0": day,
            "preferred_date_1": month,
            "preferred_date_2": "2026",
            "preferred_time": "any",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "We are closed on" in page and "December 2026" in page
    assert "Keep this reason" in page
    assert not CallBack.objects.exists()
    assert not Message.objects.exists()


def test_the_call_back_service_refuses_a_bank_holiday_whoever_asks(tenant_a, adviser, monday):
    with pytest.raises(ValidationError):
        request_callback(tenant_a, actor=adviser, preferred_date=dt.date(2026, 4, 3))  # Good Friday

    assert not CallBack.objects.exists()
    assert request_callback(tenant_a, preferred_date=dt.date(2026, 4, 7)).pk


# --- chat ------------------------------------------------------------------------------------


def test_starting_a_chat_without_javascript(client_a, tenant_a, monday):
    response = client_a.post(
        reverse("enquiries:chat_start"), {"message": "Hello", "idempotency_key": str(uuid.uuid4())}
    )

    chat = ChatSession.objects.get()
    assert response["Location"] == reverse("enquiries:chat_detail", args=[chat.reference])
    page = client_a.get(response["Location"]).content.decode()
    assert "Waiting for an adviser" in page


def test_outside_service_hours_the_customer_is_told_and_offered_an_enquiry(client_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 7, 11, 0, tzinfo=LONDON), tick=False)

    response = client_a.get(reverse("enquiries:chat_start"))

    body = response.content.decode()
    assert "Web chat is closed" in body
    assert "Monday 9 March" in body
    assert reverse("enquiries:enquiry_new") in body


def test_a_message_sent_as_the_chat_closes_is_kept_for_an_enquiry(client_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 0, 5, tzinfo=LONDON), tick=False)

    client_a.post(
        reverse("enquiries:chat_start"),
        {"message": "Can I swap my parking bay?", "idempotency_key": str(uuid.uuid4())},
    )
    form_page = client_a.get(reverse("enquiries:enquiry_new")).content.decode()

    assert not ChatSession.objects.exists()
    assert "Can I swap my parking bay?" in form_page


def test_sending_a_message_without_javascript_redirects_back_to_the_chat(
    client_a, tenant_a, monday
):
    chat = start_chat(tenant_a)

    response = client_a.post(
        reverse("enquiries:chat_send", args=[chat.reference]),
        {"body": "Anyone there?", "client_token": str(uuid.uuid4())},
    )

    assert response.status_code == 302
    assert chat.messages.filter(body="Anyone there?").exists()


def test_sending_a_message_by_script_returns_it_as_json(client_a, tenant_a, monday):
    chat = start_chat(tenant_a)
    token = str(uuid.uuid4())

    response = client_a.post(
        reverse("enquiries:chat_send", args=[chat.reference]),
        {"body": "<b>hi</b>", "client_token": token},
        HTTP_ACCEPT="application/json",
    )

    message = response.json()["message"]
    assert message["body"] == "<b>hi</b>"
    assert message["client_token"] == token
    assert message["sender"] == "customer"


def test_a_failed_send_by_script_reports_the_error(client_a, tenant_a, monday):
    chat = start_chat(tenant_a)

    response = client_a.post(
        reverse("enquiries:chat_send", args=[chat.reference]),
        {"body": "", "client_token": str(uuid.uuid4())},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == ["Enter a message"]


def test_polling_returns_only_newer_messages_and_the_adviser_name(
    client_a, tenant_a, adviser, monday
):
    chat = start_chat(tenant_a)
    first_id = chat.messages.get().pk
    services.chat_pick_up(chat=chat, adviser=adviser)

    data = client_a.get(
        reverse("enquiries:chat_messages", args=[chat.reference]), {"after": first_id}
    ).json()

    assert [m["body"] for m in data["messages"]] == ["You are chatting with Priya."]
    assert data["state"]["adviser"] == "Priya"
    assert data["state"]["status"] == "active"


def test_an_ended_chat_can_be_read_again_later(client_a, tenant_a, adviser, monday):
    chat = start_chat(tenant_a, message="Thanks for your help")
    services.chat_pick_up(chat=chat, adviser=adviser)
    services.chat_end(chat=chat, actor=adviser)

    body = client_a.get(reverse("enquiries:chat_detail", args=[chat.reference])).content.decode()

    assert "Thanks for your help" in body
    assert "This chat has ended" in body
    assert 'id="chat-form"' not in body


def test_leaving_an_enquiry_instead_of_waiting_keeps_the_customers_words(
    client_a, tenant_a, monday
):
    chat = start_chat(tenant_a, message="Is there a waiting list for garages?")

    response = client_a.post(reverse("enquiries:chat_leave_enquiry", args=[chat.reference]))

    assert response["Location"] == reverse("enquiries:enquiry_new")
    chat.refresh_from_db()
    assert chat.closed_at is not None
    assert (
        "Is there a waiting list for garages?"
        in client_a.get(response["Location"]).content.decode()
    )


# --- home visits -----------------------------------------------------------------------------


def test_the_customer_sees_their_visit_with_the_officers_name(client_a, tenant_a, adviser, monday):
    book_visit(tenant_a, adviser)

    body = client_a.get(reverse("enquiries:visit_list")).content.decode()

    assert "Priya Shah" in body
    assert "Check the new kitchen" in body


def test_another_household_does_not_see_the_visit(client, tenant_a, tenant_b, adviser, monday):
    book_visit(tenant_a, adviser)
    client.force_login(tenant_b.user)

    body = client.get(reverse("enquiries:visit_list")).content.decode()

    assert "Check the new kitchen" not in body


def test_each_record_shows_its_status_in_words(client_a, tenant_a, adviser, records):
    services.enquiry_acknowledge(enquiry=records["enquiry"], actor=adviser)

    listing = client_a.get(reverse("enquiries:enquiry_list")).content.decode()
    detail = client_a.get(
        reverse("enquiries:enquiry_detail", args=[records["enquiry"].reference])
    ).content.decode()
    callback = client_a.get(
        reverse("enquiries:callback_done", args=[records["callback"].reference])
    ).content.decode()

    assert "Acknowledged" in listing and "Acknowledged" in detail
    assert "waiting for an adviser" in listing
    assert "Requested" in callback
