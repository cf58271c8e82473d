"""Web chat: service hours, the 2-minute acknowledgement, the adviser's first name, messages
stored once however often they are retried, the end of a chat, and a chat made into a case."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from casework.models import CaseLink, ReceivedBy
from casework.services import InvalidTransition
from complaints.models import Complaint
from enquiries import services
from enquiries.hours import chat_is_open, chat_service_hours
from enquiries.models import ChatMessage, ChatSender, ChatSession, ChatStatus, Enquiry
from enquiries.selectors import chat_transcript_text, open_chat_for_customer
from kernel.formatting import LONDON
from sla.models import Deadline
from tests.enquiries.factories import start_chat


def _clock(chat) -> Deadline:
    return Deadline.objects.for_case(chat).get(commitment__code="webchat.acknowledge")


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (dt.datetime(2026, 3, 2, 7, 59, tzinfo=LONDON), False),  # Monday, before 8am
        (dt.datetime(2026, 3, 2, 8, 0, tzinfo=LONDON), True),
        (dt.datetime(2026, 3, 2, 17, 59, tzinfo=LONDON), True),
        (dt.datetime(2026, 3, 2, 18, 0, tzinfo=LONDON), False),  # closes at 6pm
        (dt.datetime(2026, 3, 7, 11, 0, tzinfo=LONDON), False),  # Saturday
        (dt.datetime(2026, 4, 3, 11, 0, tzinfo=LONDON), False),  # Good Friday
        (dt.datetime(2026, 7, 1, 17, 30, tzinfo=LONDON), True),  # summer time: 16:30 UTC
    ],
)
def test_the_chat_is_open_in_its_service_hours_only(db, moment, open_):
    assert chat_is_open(moment) is open_


def test_service_hours_come_from_the_setting(db, settings):
    settings.CHAT_SERVICE_HOURS = {"days": [5], "opens": "09:00", "closes": "12:00"}

    assert chat_is_open(dt.datetime(2026, 3, 7, 10, 0, tzinfo=LONDON)) is True
    assert chat_is_open(dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)) is False
    assert chat_service_hours().describe() == "Saturday, 9am to 12pm (not on bank holidays)"


def test_the_next_opening_skips_the_weekend(db):
    friday_evening = dt.datetime(2026, 3, 6, 19, 0, tzinfo=LONDON)

    assert chat_service_hours().next_opening(friday_evening) == dt.datetime(
        2026, 3, 9, 8, 0, tzinfo=LONDON
    )


def test_starting_a_chat_puts_it_on_the_queue_with_a_two_minute_clock(tenant_a, monday):
    chat = start_chat(tenant_a, message="Hello <b>there</b>")

    chat.refresh_from_db()
    assert chat.status == ChatStatus.WAITING
    assert chat.received_by == ReceivedBy.WEBCHAT
    assert chat.team.name == "Customer services"
    assert _clock(chat).due_at == monday + dt.timedelta(minutes=2)
    first = chat.messages.get()
    assert first.sender == ChatSender.CUSTOMER
    assert first.body == "Hello <b>there</b>"  # kept as typed; escaped wherever it is shown


def test_outside_service_hours_no_chat_is_opened(tenant_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 7, 11, 0, tzinfo=LONDON), tick=False)

    with pytest.raises(services.ChatClosed) as refused:
        start_chat(tenant_a)

    assert refused.value.opens_at == dt.datetime(2026, 3, 9, 8, 0, tzinfo=LONDON)
    assert not ChatSession.objects.exists()
    assert not ChatMessage.objects.exists()


def test_an_adviser_picking_up_meets_the_clock_and_the_customer_sees_their_first_name(
    tenant_a, adviser, monday, time_machine
):
    chat = start_chat(tenant_a)
    time_machine.move_to(monday + dt.timedelta(seconds=75), tick=False)

    services.chat_pick_up(chat=chat, adviser=adviser)

    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE
    assert chat.assignee == adviser
    assert chat.acknowledgement_seconds == 75
    assert _clock(chat).met_on_time is True
    joined = chat.messages.get(sender=ChatSender.SYSTEM)
    assert joined.body == "You are chatting with Priya."
    assert "Shah" not in joined.body


def test_a_chat_picked_up_after_two_minutes_is_late(tenant_a, adviser, monday, time_machine):
    chat = start_chat(tenant_a)
    time_machine.move_to(monday + dt.timedelta(minutes=3), tick=False)

    services.chat_pick_up(chat=chat, adviser=adviser)

    assert _clock(chat).met_on_time is False


def test_two_advisers_cannot_both_pick_up_a_chat(tenant_a, adviser, second_adviser, monday):
    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)

    with pytest.raises(InvalidTransition):
        services.chat_pick_up(chat=ChatSession.objects.get(pk=chat.pk), adviser=second_adviser)

    chat.refresh_from_db()
    assert chat.assignee == adviser
    assert chat.messages.filter(sender=ChatSender.SYSTEM).count() == 1


def test_a_retried_message_is_stored_once(tenant_a, adviser, monday):
    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    token = uuid.uuid4()

    first = services.chat_post_message(
        chat=chat, author=tenant_a.user, body="Are you there?", client_token=token
    )
    again = services.chat_post_message(
        chat=chat, author=tenant_a.user, body="Are you there?", client_token=token
    )

    assert first.pk == again.pk
    assert chat.messages.filter(body="Are you there?").count() == 1


def test_only_the_customer_and_their_adviser_can_write(tenant_a, adviser, second_adviser, monday):
    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)

    with pytest.raises(PermissionError):
        services.chat_post_message(chat=chat, author=second_adviser, body="Hi")

    assert (
        services.chat_post_message(chat=chat, author=adviser, body="How can I help?").sender
        == ChatSender.ADVISER
    )
    assert not chat.messages.filter(author=second_adviser).exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, "bell\x07"])
def test_empty_overlong_or_control_character_messages_are_refused(tenant_a, monday, body):
    chat = start_chat(tenant_a)

    with pytest.raises(ValidationError):
        services.chat_post_message(chat=chat, author=tenant_a.user, body=body)

    assert chat.messages.count() == 1


def test_nobody_can_write_in_an_ended_chat(tenant_a, adviser, monday):
    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    services.chat_end(chat=chat, actor=tenant_a.user)
    count = chat.messages.count()

    with pytest.raises(ValidationError):
        services.chat_post_message(chat=chat, author=adviser, body="Still there?")

    assert chat.messages.count() == count
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ENDED and chat.closed_at is not None


def test_a_chat_left_before_two_minutes_neither_meets_nor_misses_its_clock(
    tenant_a, monday, time_machine
):
    chat = start_chat(tenant_a)
    time_machine.move_to(monday + dt.timedelta(seconds=40), tick=False)

    services.chat_end(chat=chat, actor=tenant_a.user)

    clock = _clock(chat)
    assert clock.met_at is None and clock.breached_at is None
    assert clock.paused_at is not None
    chat.refresh_from_db()
    assert chat.next_due_at is None


def test_a_customer_has_one_open_chat_to_go_back_to(tenant_a, monday):
    chat = start_chat(tenant_a)

    assert open_chat_for_customer(tenant_a) == chat
    services.chat_end(chat=chat, actor=tenant_a.user)
    assert open_chat_for_customer(tenant_a) is None


def test_a_chat_becomes_an_enquiry_with_the_transcript_and_the_chats_start_as_received(
    tenant_a, adviser, monday, time_machine
):
    chat = start_chat(tenant_a, message="My neighbour's tree hangs over my garden")
    services.chat_pick_up(chat=chat, adviser=adviser)
    services.chat_post_message(chat=chat, author=adviser, body="I will ask the estates team.")
    time_machine.move_to(monday + dt.timedelta(minutes=10), tick=False)

    enquiry = services.chat_convert(
        chat=chat, into="enquiry", summary="Overhanging tree", actor=adviser
    )

    assert isinstance(enquiry, Enquiry)
    assert enquiry.opened_at == monday
    assert enquiry.received_by == ReceivedBy.WEBCHAT
    assert "My neighbour's tree hangs over my garden" in enquiry.details
    assert "Priya: I will ask the estates team." in enquiry.details
    assert set(Deadline.objects.for_case(enquiry).values_list("commitment__code", flat=True)) == {
        "enquiry.contact_back"
    }
    assert CaseLink.objects.filter(from_id=enquiry.pk, to_id=chat.pk, relation="from chat").exists()
    assert chat.messages.filter(body__contains=enquiry.reference).exists()


def test_a_chat_becomes_a_stage_one_complaint_without_retyping(tenant_a, adviser, monday):
    chat = start_chat(tenant_a, message="Third time I have chased this repair, I am fed up")
    services.chat_pick_up(chat=chat, adviser=adviser)

    complaint = services.chat_convert(
        chat=chat, into="complaint", summary="Repair chased 3 times", actor=adviser
    )

    assert isinstance(complaint, Complaint)
    assert complaint.opened_at == chat.opened_at
    assert "I am fed up" in complaint.details


def test_the_transcript_names_each_side(tenant_a, adviser, monday):
    chat = start_chat(tenant_a, message="Hello")
    services.chat_pick_up(chat=chat, adviser=adviser)

    transcript = chat_transcript_text(chat)

    assert f"{tenant_a.first_name}: Hello" in transcript
    assert "You are chatting with Priya." in transcript


def test_a_chat_becomes_a_repair_with_the_transcript_as_its_description(tenant_a, adviser, monday):
    from repairs.models import Repair

    chat = start_chat(tenant_a, message="My kitchen tap drips all night")
    services.chat_pick_up(chat=chat, adviser=adviser)

    repair = services.chat_convert(
        chat=chat,
        into="repair",
        summary="Dripping kitchen tap",
        actor=adviser,
        repair_item="kitchen.tap",
        repair_location="home",
    )

    assert isinstance(repair, Repair)
    assert repair.received_by == ReceivedBy.WEBCHAT
    assert "My kitchen tap drips all night" in repair.description
    assert CaseLink.objects.filter(from_id=repair.pk, to_id=chat.pk, relation="from chat").exists()


def test_a_repair_the_customer_must_do_themselves_is_refused_and_nothing_is_written(
    tenant_a, adviser, monday
):
    from repairs.models import Repair

    tenant_a.tenancy.property.tenure = "leasehold"
    tenant_a.tenancy.property.stock_class = "not_low_cost"
    tenant_a.tenancy.property.save()
    chat = start_chat(tenant_a)

    with pytest.raises(ValidationError):
        services.chat_convert(
            chat=chat,
            into="repair",
            summary="Tap",
            actor=adviser,
            repair_item="kitchen.tap",
            repair_location="home",
        )

    assert not Repair.objects.exists()
    assert not CaseLink.objects.exists()


def test_starting_a_second_chat_adds_the_message_to_the_one_already_open(tenant_a, monday):
    first = start_chat(tenant_a, message="First tab")

    second = start_chat(tenant_a, message="Second tab")

    assert second.pk == first.pk
    assert ChatSession.objects.count() == 1
    assert list(first.messages.values_list("body", flat=True)) == ["First tab", "Second tab"]
