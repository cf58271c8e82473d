"""Keeping in Touch in a real browser: axe-core on every customer page (0 violations at WCAG 2.2
AA), with and without form errors; an enquiry and a chat without JavaScript; and the chat with
JavaScript, where the test server has no WebSocket so the page falls back to polling, a message
reaches the adviser within seconds, shows as text, and a failed send can be retried."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from enquiries import services
from enquiries.models import ChatMessage, Enquiry
from kernel.formatting import LONDON
from kernel.roles import Role
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.enquiries.factories import book_visit, request_callback, start_chat, submit_enquiry
from tests.factories import CustomerWithLoginFactory, StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

MONDAY_10AM = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
SATURDAY = dt.datetime(2026, 3, 7, 11, 0, tzinfo=LONDON)


@pytest.fixture
def open_hours(time_machine):
    """Monday morning, the clock running: the chat is staffed."""
    time_machine.move_to(MONDAY_10AM, tick=True)


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def adviser(db):
    return StaffFactory(roles=[Role.CUSTOMER_SERVICES], first_name="Priya", last_name="Shah")


@pytest.fixture
def records(tenant, adviser, open_hours):
    answered = submit_enquiry(tenant, subject="Visitor parking")
    services.enquiry_answer(enquiry=answered, answer="Permits are free.", actor=adviser)
    ended = start_chat(tenant, message="Is my boiler service on Friday?")
    services.chat_pick_up(chat=ended, adviser=adviser)
    services.chat_end(chat=ended, actor=adviser)
    book_visit(tenant, adviser)
    return {
        "open": submit_enquiry(tenant, subject="Adding my partner to the tenancy"),
        "answered": answered,
        "callback": request_callback(tenant),
        "ended_chat": ended,
    }


def test_every_keeping_in_touch_page_is_accessible(page, live_server, tenant, records):
    page.goto(reverse("enquiries:contact_us"))
    assert_accessible(page)
    sign_in_with_cookie(page, tenant.user, live_server.url)
    waiting = start_chat(tenant)
    pages = [
        reverse("enquiries:contact_us"),
        reverse("enquiries:enquiry_list"),
        reverse("enquiries:enquiry_new"),
        reverse("enquiries:enquiry_detail", args=[records["open"].reference]),
        reverse("enquiries:enquiry_detail", args=[records["answered"].reference]),
        reverse("enquiries:callback_new"),
        reverse("enquiries:callback_done", args=[records["callback"].reference]),
        reverse("enquiries:chat_detail", args=[waiting.reference]),
        reverse("enquiries:chat_detail", args=[records["ended_chat"].reference]),
        reverse("enquiries:visit_list"),
    ]
    for url in pages:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    services.chat_end(chat=waiting, actor=tenant.user)
    response = page.goto(reverse("enquiries:chat_start"))
    assert response.status == 200
    assert_accessible(page)


def test_the_closed_chat_page_is_accessible(page, live_server, tenant, time_machine):
    time_machine.move_to(SATURDAY, tick=True)
    sign_in_with_cookie(page, tenant.user, live_server.url)

    page.goto(reverse("enquiries:chat_start"))

    expect(page.get_by_role("heading", name="Web chat is closed")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("enquiries:enquiry_new", "Send your enquiry"),
        ("enquiries:callback_new", "Ask for a call back"),
        ("enquiries:chat_start", "Start the chat"),
    ],
)
def test_a_form_with_its_errors_is_accessible(page, live_server, tenant, open_hours, name, button):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse(name))
    if name == "enquiries:callback_new":
        page.get_by_label("Phone number to call").fill("")
    page.get_by_role("button", name=button, exact=True).click()
    page.locator(".govuk-error-summary").wait_for()

    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_an_enquiry_sent_without_javascript(
    page_without_javascript, live_server, tenant, open_hours
):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("enquiries:enquiry_new"))
    page.get_by_label("Moving home").check()
    page.get_by_label("Summary").fill("Downsizing")
    page.get_by_label("Your enquiry").fill("Can I move to a smaller flat?")
    page.get_by_role("button", name="Send your enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Downsizing")
    enquiry = Enquiry.objects.get()
    assert enquiry.topic == "moving"


def test_a_chat_without_javascript_is_a_form_and_a_refresh(
    page_without_javascript, live_server, tenant, adviser, open_hours
):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("enquiries:chat_start"))
    page.get_by_label("What would you like to ask?").fill("Hello, anyone there?")
    page.get_by_role("button", name="Start the chat").click()
    expect(page.get_by_text("Waiting for an adviser")).to_be_visible()

    chat = ChatMessage.objects.get().chat
    services.chat_pick_up(chat=chat, adviser=adviser)
    page.get_by_role("button", name="Refresh to see new messages").click()
    expect(page.get_by_text("You are chatting with Priya.").first).to_be_visible()

    page.get_by_label("Your message").fill("Thanks!")
    page.get_by_role("button", name="Send").click()
    assert chat.messages.filter(body="Thanks!").count() == 1
    expect(page.get_by_text("Thanks!")).to_be_visible()


def test_a_message_reaches_the_adviser_within_seconds_and_is_shown_as_text(
    browser, live_server, tenant, adviser, open_hours
):
    customer_context = browser.new_context(base_url=live_server.url)
    adviser_context = browser.new_context(base_url=live_server.url)
    customer, staff = customer_context.new_page(), adviser_context.new_page()
    try:
        chat = start_chat(tenant)
        services.chat_pick_up(chat=chat, adviser=adviser)
        sign_in_with_cookie(customer, tenant.user, live_server.url)
        sign_in_with_cookie(staff, adviser, live_server.url)
        customer.goto(reverse("enquiries:chat_detail", args=[chat.reference]))
        staff.goto(reverse("enquiries:staff_chat", args=[chat.reference]))

        customer.get_by_label("Your message").fill('<img src=x onerror="window.hacked=1">')
        customer.get_by_role("button", name="Send").click()

        shown = staff.locator("[data-chat-log] li").filter(has_text="<img src=x")
        shown.wait_for(timeout=5000)
        assert staff.evaluate("window.hacked") is None
        assert staff.locator("[data-chat-log] img").count() == 0

        staff.get_by_label("Your message").fill("Hello Amina, how can I help?")
        staff.get_by_role("button", name="Send").click()
        customer.locator("[data-chat-log] li").filter(
            has_text="Hello Amina, how can I help?"
        ).wait_for(timeout=5000)
        expect(customer.get_by_text("Priya", exact=True).first).to_be_visible()
    finally:
        customer_context.close()
        adviser_context.close()


def test_a_message_that_fails_to_send_is_marked_and_can_be_retried(
    page, live_server, tenant, open_hours
):
    chat = start_chat(tenant)
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("enquiries:chat_detail", args=[chat.reference]))

    page.context.set_offline(True)
    page.get_by_label("Your message").fill("Sent while offline")
    page.get_by_role("button", name="Send").click()
    page.get_by_text(re.compile("^Not sent")).wait_for(timeout=5000)
    assert chat.messages.filter(body="Sent while offline").count() == 0

    page.context.set_offline(False)
    page.get_by_role("button", name="Try sending again").click()
    page.locator("[data-message-id]").filter(has_text="Sent while offline").wait_for(timeout=5000)
    assert chat.messages.filter(body="Sent while offline").count() == 1
    assert page.get_by_text(re.compile("^Not sent")).count() == 0


def test_an_enquiry_typed_before_the_connection_dropped_is_still_there(
    page, live_server, tenant, open_hours
):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("enquiries:enquiry_new"))
    page.get_by_label("My neighbourhood").check()
    page.get_by_label("Summary").fill("Broken street light")
    page.get_by_label("Your enquiry").fill("The light outside number 4 has been out for weeks.")

    # The connection drops as the form is sent: the browser shows its own error page.
    def drop_the_post(route):
        if route.request.method == "POST":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/contact-us/enquiries/new/", drop_the_post)
    page.get_by_role("button", name="Send your enquiry").click()
    page.wait_for_load_state()
    page.unroute("**/contact-us/enquiries/new/")
    page.goto(reverse("enquiries:enquiry_new"))

    assert page.get_by_label("Summary").input_value() == "Broken street light"
    assert page.get_by_label("Your enquiry").input_value() == (
        "The light outside number 4 has been out for weeks."
    )
    assert page.get_by_label("My neighbourhood").is_checked()
    assert not Enquiry.objects.exists()
