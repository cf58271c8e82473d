"""Enquiries: the same service for every channel, the clocks each channel starts, first-contact
resolution, referral, extension, the full answer, and the turn into a complaint (Code 1.3-1.5).
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import CaseEvent, CaseLink, ReceivedBy, Team
from casework.services import InvalidTransition
from complaints.models import Complaint
from enquiries import services
from enquiries.models import ComplaintChoice, Enquiry, EnquiryStatus
from kernel.formatting import LONDON
from notifications.models import Message
from sla.models import Deadline
from tests.enquiries.factories import log_enquiry, submit_enquiry


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=LONDON)


def _clocks(case) -> dict[str, Deadline]:
    return {
        d.commitment.code: d for d in Deadline.objects.for_case(case).select_related("commitment")
    }


def _after_confirmation():
    """The messages sent after the confirmation every new enquiry gets at once."""
    return Message.objects.exclude(idempotency_key__endswith=":received")


def test_portal_enquiry_runs_acknowledge_and_answer_clocks_from_receipt(tenant_a, monday):
    enquiry = submit_enquiry(tenant_a)

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.RECEIVED
    assert enquiry.received_by == ReceivedBy.PORTAL
    assert enquiry.team.name == "Customer services"
    clocks = _clocks(enquiry)
    assert set(clocks) == {"enquiry.acknowledge", "enquiry.respond"}
    assert clocks["enquiry.acknowledge"].due_at == _end_of(dt.date(2026, 3, 5))
    assert clocks["enquiry.respond"].due_at == _end_of(dt.date(2026, 3, 16))
    assert enquiry.next_due_at == _end_of(dt.date(2026, 3, 5))


def test_phone_call_not_resolved_runs_the_contact_back_clock(tenant_a, adviser, monday):
    enquiry = log_enquiry(tenant_a, adviser, channel="phone")

    clocks = _clocks(enquiry)
    assert set(clocks) == {"enquiry.contact_back"}
    assert clocks["enquiry.contact_back"].due_at == _end_of(dt.date(2026, 3, 5))
    assert enquiry.logged_by == adviser
    assert enquiry.resolved_at_first_contact is False


def test_resolved_now_is_closed_as_first_contact_resolution_with_the_answer_sent(
    tenant_a, adviser, monday
):
    enquiry = log_enquiry(
        tenant_a,
        adviser,
        channel="phone",
        resolved_now=True,
        answer="Bins go out on Tuesday nights.",
    )

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ANSWERED
    assert enquiry.closed_at == monday
    assert enquiry.resolved_at_first_contact is True
    assert enquiry.answer == "Bins go out on Tuesday nights."
    assert not Deadline.objects.for_case(enquiry).exists()
    message = Message.objects.get(customer=tenant_a)
    assert "Bins go out on Tuesday nights." in message.body


def test_a_letter_answered_as_it_is_logged_meets_both_written_clocks_on_time(
    tenant_a, adviser, monday
):
    enquiry = log_enquiry(
        tenant_a,
        adviser,
        channel="letter",
        resolved_now=True,
        answer="Enclosed is the form you asked for.",
    )

    clocks = _clocks(enquiry)
    assert set(clocks) == {"enquiry.acknowledge", "enquiry.respond"}
    assert all(c.met_at == monday and c.met_on_time for c in clocks.values())


def test_a_letter_logged_late_runs_its_clocks_from_the_day_it_arrived(tenant_a, adviser, monday):
    arrived = dt.datetime(2026, 2, 23, 9, 0, tzinfo=LONDON)  # the Monday before

    enquiry = log_enquiry(tenant_a, adviser, channel="letter", received_at=arrived)

    assert enquiry.opened_at == arrived
    assert _clocks(enquiry)["enquiry.acknowledge"].due_at == _end_of(dt.date(2026, 2, 26))


def test_a_home_visit_is_logged_as_a_visit_at_home(tenant_a, adviser, monday):
    enquiry = log_enquiry(tenant_a, adviser, channel="home_visit")

    assert enquiry.received_by == ReceivedBy.VISIT
    assert enquiry.at_home_visit is True
    assert set(_clocks(enquiry)) == {"enquiry.contact_back"}


def test_staff_cannot_log_a_contact_as_a_portal_submission(tenant_a, adviser, monday):
    with pytest.raises(ValueError):
        log_enquiry(tenant_a, adviser, channel="portal")

    assert not Enquiry.objects.exists()


def test_pressing_send_twice_makes_one_enquiry(tenant_a, monday):
    key = uuid.uuid4()

    first = submit_enquiry(tenant_a, key=key)
    second = submit_enquiry(tenant_a, key=key)

    assert first.pk == second.pk
    assert Enquiry.objects.count() == 1
    assert Deadline.objects.count() == 2


def test_a_refused_file_does_not_lose_the_enquiry(tenant_a, monday):
    bad = SimpleUploadedFile("notes.txt", b"just some text", content_type="text/plain")

    enquiry, file_error = services.enquiry_submit(
        customer=tenant_a,
        topic="general",
        subject="Fence",
        details="The fence is down",
        idempotency_key=uuid.uuid4(),
        uploaded_file=bad,
    )

    assert Enquiry.objects.get(pk=enquiry.pk).details == "The fence is down"
    assert "JPG, PNG or PDF" in file_error
    assert not enquiry.events.filter(kind="attachment").exists()


def test_acknowledging_meets_the_clock_and_tells_the_customer_when_to_expect_the_answer(
    tenant_a, adviser, monday, time_machine
):
    enquiry = submit_enquiry(tenant_a)
    time_machine.move_to(monday + dt.timedelta(days=1), tick=False)

    services.enquiry_acknowledge(enquiry=enquiry, actor=adviser)

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ACKNOWLEDGED
    assert enquiry.acknowledged_at == monday + dt.timedelta(days=1)
    acknowledge = _clocks(enquiry)["enquiry.acknowledge"]
    assert acknowledge.met_on_time is True
    assert enquiry.next_due_at == _end_of(dt.date(2026, 3, 16))
    message = _after_confirmation().get(customer=tenant_a)
    assert "Monday 16 March 2026" in message.body


def test_acknowledging_twice_is_refused_and_writes_nothing(tenant_a, adviser, monday):
    enquiry = submit_enquiry(tenant_a)
    services.enquiry_acknowledge(enquiry=enquiry, actor=adviser)
    events, messages = CaseEvent.objects.count(), Message.objects.count()

    with pytest.raises(InvalidTransition):
        services.enquiry_acknowledge(enquiry=enquiry, actor=adviser)

    assert (CaseEvent.objects.count(), Message.objects.count()) == (events, messages)


def test_referral_moves_the_enquiry_to_the_team_keeps_its_clocks_and_tells_the_customer(
    tenant_a, adviser, monday
):
    enquiry = submit_enquiry(tenant_a)
    before = {code: d.due_at for code, d in _clocks(enquiry).items()}
    income = Team.objects.get(name="Income")

    services.enquiry_refer(enquiry=enquiry, team=income, actor=adviser, note="Arrears question")

    enquiry.refresh_from_db()
    assert enquiry.team == income
    assert enquiry.status == EnquiryStatus.REFERRED
    after = _clocks(enquiry)
    assert {code: d.due_at for code, d in after.items()} == before
    assert all(d.is_open for d in after.values())
    assert enquiry.events.filter(note="Now with the Income team", visible_to_customer=True).exists()
    assert enquiry.events.filter(note="Arrears question", visible_to_customer=False).exists()
    message = _after_confirmation().get(customer=tenant_a)
    assert "Income team" in message.subject


def test_referring_to_the_team_that_has_it_is_refused(tenant_a, adviser, monday):
    enquiry = submit_enquiry(tenant_a)
    events = CaseEvent.objects.count()

    with pytest.raises(ValidationError):
        services.enquiry_refer(
            enquiry=enquiry, team=Team.objects.get(name="Customer services"), actor=adviser
        )

    assert CaseEvent.objects.count() == events


def test_a_longer_answer_date_is_given_with_the_reason_and_the_customer_is_told(
    tenant_a, adviser, monday
):
    enquiry = submit_enquiry(tenant_a)

    services.enquiry_extend(
        enquiry=enquiry,
        new_due_date=dt.date(2026, 3, 23),
        reason="We are waiting for the council's reply",
        actor=adviser,
    )

    respond = _clocks(enquiry)["enquiry.respond"]
    assert respond.due_at == _end_of(dt.date(2026, 3, 23))
    assert respond.extension_reason == "We are waiting for the council's reply"
    assert respond.customer_told_of_extension_at == monday
    message = _after_confirmation().get(customer=tenant_a)
    assert "Monday 23 March 2026" in message.body
    assert "council" in message.body


def test_the_answer_date_cannot_be_moved_once_it_has_passed(
    tenant_a, adviser, monday, time_machine
):
    enquiry = submit_enquiry(tenant_a)
    time_machine.move_to(dt.datetime(2026, 3, 17, 9, 0, tzinfo=LONDON), tick=False)

    with pytest.raises(ValidationError):
        services.enquiry_extend(
            enquiry=enquiry, new_due_date=dt.date(2026, 3, 30), reason="Too late", actor=adviser
        )

    assert _clocks(enquiry)["enquiry.respond"].extended_at is None
    assert not _after_confirmation().exists()


def test_the_full_answer_closes_the_enquiry_and_meets_every_clock(
    tenant_a, adviser, monday, time_machine
):
    enquiry = submit_enquiry(tenant_a)
    time_machine.move_to(dt.datetime(2026, 3, 4, 15, 0, tzinfo=LONDON), tick=False)

    services.enquiry_answer(
        enquiry=enquiry, answer="Permits are free at the office.", actor=adviser
    )

    enquiry.refresh_from_db()
    assert enquiry.status == EnquiryStatus.ANSWERED
    assert enquiry.closed_at is not None
    assert enquiry.resolved_at_first_contact is False
    assert all(d.met_on_time for d in _clocks(enquiry).values())
    assert enquiry.next_due_at is None
    assert "Permits are free at the office." in _after_confirmation().get(customer=tenant_a).body


def test_an_answer_after_ten_working_days_is_recorded_as_late(
    tenant_a, adviser, monday, time_machine
):
    enquiry = submit_enquiry(tenant_a)
    time_machine.move_to(dt.datetime(2026, 3, 17, 9, 0, tzinfo=LONDON), tick=False)

    services.enquiry_answer(enquiry=enquiry, answer="Sorry for the wait.", actor=adviser)

    assert _clocks(enquiry)["enquiry.respond"].met_on_time is False


def test_contacting_the_customer_back_meets_the_contact_back_clock(
    tenant_a, adviser, monday, time_machine
):
    enquiry = log_enquiry(tenant_a, adviser, channel="phone")
    time_machine.move_to(dt.datetime(2026, 3, 3, 11, 0, tzinfo=LONDON), tick=False)

    services.enquiry_record_contact_back(
        enquiry=enquiry, actor=adviser, note="Told her the permit is on its way"
    )

    enquiry.refresh_from_db()
    assert enquiry.contacted_back_at is not None
    assert _clocks(enquiry)["enquiry.contact_back"].met_on_time is True
    assert enquiry.is_open


def test_a_declined_offer_to_complain_is_recorded_and_the_enquiry_carries_on(
    tenant_a, adviser, monday
):
    enquiry = submit_enquiry(tenant_a)

    result = services.enquiry_record_complaint_offer(
        enquiry=enquiry, actor=adviser, choice=ComplaintChoice.DECLINED
    )

    enquiry.refresh_from_db()
    assert result is None
    assert enquiry.complaint_offered_at == monday
    assert enquiry.complaint_choice == ComplaintChoice.DECLINED
    assert enquiry.status == EnquiryStatus.RECEIVED
    assert not Complaint.objects.exists()


def test_an_accepted_offer_turns_the_enquiry_into_a_complaint_received_when_the_enquiry_was(
    tenant_a, adviser, monday, time_machine
):
    enquiry = submit_enquiry(tenant_a, subject="Nobody answers my emails")
    time_machine.move_to(dt.datetime(2026, 3, 4, 14, 0, tzinfo=LONDON), tick=False)

    complaint = services.enquiry_record_complaint_offer(
        enquiry=enquiry, actor=adviser, choice=ComplaintChoice.ACCEPTED
    )

    enquiry.refresh_from_db()
    assert complaint.opened_at == enquiry.opened_at == monday
    assert complaint.received_by == ReceivedBy.PORTAL
    complaint_clocks = _clocks(complaint)
    assert complaint_clocks["complaint.stage1.acknowledge"].started_at == monday
    assert enquiry.status == EnquiryStatus.BECAME_COMPLAINT
    assert enquiry.closed_at is not None
    assert enquiry.complaint_choice == ComplaintChoice.ACCEPTED
    # The enquiry's clocks stop: the complaint's run instead.
    assert all(d.paused_at is not None for d in _clocks(enquiry).values())
    assert CaseLink.objects.filter(from_id=complaint.pk, to_id=enquiry.pk).exists()


def test_a_complaint_about_how_a_request_is_handled_leaves_the_request_running(
    tenant_a, adviser, monday
):
    enquiry = submit_enquiry(tenant_a)

    complaint = services.enquiry_convert_to_complaint(
        enquiry=enquiry, actor=adviser, keep_enquiry_open=True
    )

    enquiry.refresh_from_db()
    assert enquiry.is_open
    assert enquiry.status == EnquiryStatus.RECEIVED
    assert all(d.is_open and d.paused_at is None for d in _clocks(enquiry).values())
    assert enquiry.events.filter(note__contains=complaint.reference).exists()


def test_turning_an_enquiry_into_a_complaint_twice_makes_one_complaint(tenant_a, adviser, monday):
    enquiry = submit_enquiry(tenant_a)
    services.enquiry_convert_to_complaint(enquiry=enquiry, actor=adviser)

    with pytest.raises(InvalidTransition):
        services.enquiry_convert_to_complaint(enquiry=enquiry, actor=adviser)

    assert Complaint.objects.count() == 1


# --- confirmation at once -----------------------------------------------------------------


def _confirmation(enquiry) -> Message:
    return Message.objects.get(idempotency_key=f"enquiry:{enquiry.pk}:received")


def test_a_portal_enquiry_is_confirmed_at_once_with_its_reference_and_dates(tenant_a, monday):
    enquiry = submit_enquiry(tenant_a)

    message = _confirmation(enquiry)
    assert message.customer == tenant_a
    assert enquiry.reference in message.subject and enquiry.reference in message.body
    # Received Monday 2 March: acknowledged within 3 working days, answered within 10.
    assert "acknowledge it by Thursday 5 March 2026" in message.body
    assert "full answer by Monday 16 March 2026" in message.body
    assert _clocks(enquiry)["enquiry.acknowledge"].is_open


def test_an_enquiry_sent_twice_is_confirmed_once(tenant_a, monday):
    key = uuid.uuid4()
    submit_enquiry(tenant_a, key=key)
    submit_enquiry(tenant_a, key=key)

    assert Message.objects.filter(idempotency_key__endswith=":received").count() == 1


def test_an_enquiry_sent_as_the_clocks_go_forward_is_confirmed_with_the_engines_dates(
    tenant_a, time_machine
):
    # 00:30 on Sunday 29 March 2026, half an hour before the clocks go forward: day 0 is the
    # Sunday; Good Friday and Easter Monday are not working days.
    time_machine.move_to(dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC), tick=False)

    enquiry = submit_enquiry(tenant_a)

    body = _confirmation(enquiry).body
    assert "acknowledge it by Wednesday 1 April 2026" in body
    assert "full answer by Tuesday 14 April 2026" in body


def test_a_letter_logged_by_staff_is_confirmed_and_a_call_not_resolved_gives_the_contact_date(
    tenant_a, adviser, monday
):
    letter = log_enquiry(tenant_a, adviser, channel=ReceivedBy.LETTER)
    call = log_enquiry(tenant_a, adviser, channel=ReceivedBy.PHONE)
    resolved = log_enquiry(tenant_a, adviser, resolved_now=True, answer="It is on Tuesdays.")

    assert "acknowledge it by Thursday 5 March 2026" in _confirmation(letter).body
    assert "contact you again by Thursday 5 March 2026" in _confirmation(call).body
    assert not Message.objects.filter(idempotency_key=f"enquiry:{resolved.pk}:received").exists()
