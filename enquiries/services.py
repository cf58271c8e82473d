"""Writes for Keeping in Touch. One service per action, each one transaction: the case change,
its timeline event, its clocks and its messages to the customer commit together or not at all.

The clocks (sla catalogue, "Keeping in Touch"):

- a written contact (portal, email, letter) runs ``enquiry.acknowledge`` (3 working days) and
  ``enquiry.respond`` (10 working days) from the moment it was received;
- a live contact (phone, visit, chat) that is not resolved there and then runs
  ``enquiry.contact_back`` (3 working days); so does a call back, from the day the customer
  asked to be called;
- a web chat opened in service hours runs ``webchat.acknowledge`` (2 minutes).

Referral moves the case to another team's queue and keeps every clock running.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Case, ReceivedBy, Team
from casework.services import (
    InvalidTransition,
    attachment_add,
    case_add_note,
    case_assign,
    case_deadline_extend,
    case_deadline_meet,
    case_link,
    case_open,
    case_transition,
)
from complaints.handover import complaint_create_from_case
from enquiries import realtime
from enquiries.hours import chat_service_hours
from enquiries.models import (
    CallBack,
    CallBackOutcome,
    CallBackStatus,
    CallStatistic,
    ChatMessage,
    ChatSender,
    ChatSession,
    ChatStatus,
    ComplaintChoice,
    Enquiry,
    EnquiryStatus,
    HomeVisit,
    VisitStatus,
)
from enquiries.selectors import (
    WRITTEN_CHANNELS,
    adviser_name,
    chat_message_payload,
    chat_transcript_text,
    customer_services_team,
)
from kernel.formatting import LONDON, london_date, london_datetime, london_time
from notifications.services import notify_customer
from repairs.handover import RepairRefused, repair_create
from sla.calendar import end_of_local_day
from sla.models import Deadline
from sla.services import deadline_pause, deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from enquiries.forms import CallDay
    from tenancy.models import Customer

ACKNOWLEDGE = "enquiry.acknowledge"
RESPOND = "enquiry.respond"
CONTACT_BACK = "enquiry.contact_back"
CHAT_ACKNOWLEDGE = "webchat.acknowledge"

ENQUIRY_TRANSITIONS: dict[str, set[str]] = {
    EnquiryStatus.RECEIVED: {
        EnquiryStatus.ACKNOWLEDGED,
        EnquiryStatus.REFERRED,
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
    EnquiryStatus.ACKNOWLEDGED: {
        EnquiryStatus.REFERRED,
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
    EnquiryStatus.REFERRED: {
        EnquiryStatus.ANSWERED,
        EnquiryStatus.BECAME_COMPLAINT,
        EnquiryStatus.CLOSED,
    },
}
CHAT_TRANSITIONS: dict[str, set[str]] = {
    ChatStatus.WAITING: {ChatStatus.ACTIVE, ChatStatus.ENDED},
    ChatStatus.ACTIVE: {ChatStatus.ENDED},
}
CALLBACK_TRANSITIONS: dict[str, set[str]] = {
    CallBackStatus.REQUESTED: {CallBackStatus.TRIED, CallBackStatus.DONE},
    CallBackStatus.TRIED: {CallBackStatus.TRIED, CallBackStatus.DONE},
}
VISIT_TRANSITIONS: dict[str, set[str]] = {
    VisitStatus.BOOKED: {
        VisitStatus.RUNNING_LATE,
        VisitStatus.COMPLETED,
        VisitStatus.NO_ACCESS,
        VisitStatus.CANCELLED,
    },
    VisitStatus.RUNNING_LATE: {
        VisitStatus.RUNNING_LATE,
        VisitStatus.COMPLETED,
        VisitStatus.NO_ACCESS,
        VisitStatus.CANCELLED,
    },
}


class ChatClosed(Exception):
    """The chat is outside its service hours; nothing was written."""

    def __init__(self, opens_at: dt.datetime):
        super().__init__(f"The web chat opens at {opens_at:%Y-%m-%d %H:%M}.")
        self.opens_at = opens_at


def _existing(model, key: uuid.UUID | None):
    return model.objects.filter(idempotency_key=key).first() if key else None


def _once(model, key: uuid.UUID | None, create):
    """Run ``create`` unless ``key`` already made a row; a concurrent double submit that loses
    the race on the unique key gets the winner's row."""
    found = _existing(model, key)
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        found = _existing(model, key)
        if found is None:
            raise
        return found, False


def _open_deadline(case, code: str) -> Deadline | None:
    return (
        Deadline.objects.for_case(case)
        .open()
        .filter(commitment__code=code)
        .select_related("commitment")
        .order_by("due_at")
        .first()
    )


def _meet_all(case, codes: tuple[str, ...], actor: User | None, at: dt.datetime | None = None):
    for code in codes:
        case_deadline_meet(case=case, code=code, actor=actor, met_at=at)


# ---------------------------------------------------------------------------------------------
# Enquiries
# ---------------------------------------------------------------------------------------------


def _enquiry_open(
    *,
    customer: Customer,
    received_by: str,
    received_at: dt.datetime,
    topic: str,
    subject: str,
    details: str,
    key: uuid.UUID | None,
    actor: User | None = None,
    team: Team | None = None,
    at_home_visit: bool = False,
    note: str = "",
) -> Enquiry:
    enquiry = case_open(
        model=Enquiry,
        customer=customer,
        received_by=received_by,
        opened_at=received_at,
        status=EnquiryStatus.RECEIVED,
        actor=actor,
        team=customer_services_team(),
        note=note,
        topic=topic,
        subject=subject,
        details=details,
        at_home_visit=at_home_visit,
        logged_by=actor,
        idempotency_key=key,
    )
    if received_by in WRITTEN_CHANNELS:
        deadline_start(case=enquiry, code=ACKNOWLEDGE, started_at=received_at)
        deadline_start(case=enquiry, code=RESPOND, started_at=received_at)
    if team is not None and team.role != customer_services_team().role:
        _refer(enquiry=enquiry, team=team, actor=actor, note="")
    return enquiry


@transaction.atomic
def enquiry_submit(
    *,
    customer: Customer,
    topic: str,
    subject: str,
    details: str,
    submission_key: uuid.UUID | None = None,
    uploaded_file=None,
) -> tuple[Enquiry, str]:
    """An enquiry from the portal. Returns the enquiry and, if the file could not be kept, why.

    The enquiry is saved even when its file is refused: a bad photo must never cost the
    customer what they wrote. They are told, and can add the file again from the enquiry page.
    """

    def create() -> Enquiry:
        return _enquiry_open(
            customer=customer,
            received_by=ReceivedBy.PORTAL,
            received_at=timezone.now(),
            topic=topic,
            subject=subject,
            details=details,
            key=submission_key,
        )

    enquiry, created = _once(Enquiry, submission_key, create)
    file_error = ""
    if created and uploaded_file is not None:
        file_error = _try_attach(enquiry, uploaded_file, customer.user)
    return enquiry, file_error


def _try_attach(case, uploaded_file, user) -> str:
    try:
        attachment_add(case=case, uploaded_file=uploaded_file, uploaded_by=user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@transaction.atomic
def enquiry_add_file(*, enquiry: Enquiry, uploaded_file, uploaded_by: User) -> None:
    """Add a file to an enquiry after it was sent. Raises ``ValidationError`` for a bad file."""
    attachment_add(case=enquiry, uploaded_file=uploaded_file, uploaded_by=uploaded_by)


@transaction.atomic
def enquiry_log(
    *,
    customer: Customer,
    actor: User,
    channel: str,
    received_at: dt.datetime,
    topic: str,
    subject: str,
    details: str,
    resolved_now: bool,
    answer: str = "",
    team: Team | None = None,
    submission_key: uuid.UUID | None = None,
) -> Enquiry:
    """A phone call, email, letter, office visit or home visit logged by staff: the same
    service for every channel. ``channel`` is a ``ReceivedBy`` value or ``"home_visit"``.

    Resolved now: the answer is recorded, the case closes as resolved at first contact, and a
    written contact's clocks are met at once. Otherwise a live contact starts the 3-working-day
    contact-back clock.
    """
    at_home = channel == "home_visit"
    received_by = ReceivedBy.VISIT if at_home else channel
    if received_by not in ReceivedBy.values or received_by in (
        ReceivedBy.PORTAL,
        ReceivedBy.WEBCHAT,
    ):
        raise ValueError(f"Staff cannot log a contact received by {channel!r}.")
    if resolved_now and not answer.strip():
        raise ValidationError("Enter the answer given to the customer")

    def create() -> Enquiry:
        enquiry = _enquiry_open(
            customer=customer,
            received_by=received_by,
            received_at=received_at,
            topic=topic,
            subject=subject,
            details=details,
            key=submission_key,
            actor=actor,
            team=None if resolved_now else team,
            at_home_visit=at_home,
        )
        if resolved_now:
            _answer(enquiry=enquiry, answer=answer, actor=actor, first_contact=True)
        elif received_by not in WRITTEN_CHANNELS:
            deadline_start(case=enquiry, code=CONTACT_BACK, started_at=received_at)
        return enquiry

    enquiry, _ = _once(Enquiry, submission_key, create)
    return enquiry


@transaction.atomic
def enquiry_acknowledge(*, enquiry: Enquiry, actor: User, note: str = "") -> Enquiry:
    """A person has read the contact and owns it: meets the 3-working-day acknowledgement and
    tells the customer when to expect the full answer."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    if enquiry.acknowledged_at is not None:
        raise InvalidTransition(f"{enquiry.reference} has already been acknowledged.")
    now = timezone.now()
    if enquiry.status == EnquiryStatus.RECEIVED:
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.ACKNOWLEDGED,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            note=note.strip(),
        )
    elif note.strip():
        case_add_note(case=enquiry, actor=actor, note=note, visible_to_customer=True)
    Enquiry.objects.filter(pk=enquiry.pk).update(acknowledged_at=now)
    enquiry.acknowledged_at = now
    case_deadline_meet(case=enquiry, code=ACKNOWLEDGE, actor=actor, met_at=now)
    respond = _open_deadline(enquiry, RESPOND)
    expect = (
        f"We will send you a full answer by {london_date(respond.due_at)}."
        if respond
        else "We will be in touch again soon."
    )
    body = f"We have received your enquiry {enquiry.reference}: {enquiry.subject}.\n\n{expect}"
    if note.strip():
        body += f"\n\n{note.strip()}"
    notify_customer(
        customer=enquiry.customer,
        subject=f"We have your enquiry {enquiry.reference}",
        body=body,
        key=f"enquiry:{enquiry.pk}:acknowledged",
        about=enquiry,
    )
    return enquiry


def _refer(*, enquiry: Enquiry, team: Team, actor: User | None, note: str) -> None:
    moved_note = f"Now with the {team.name} team"
    if EnquiryStatus.REFERRED in ENQUIRY_TRANSITIONS.get(enquiry.status, set()):
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.REFERRED,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            note=moved_note,
        )
    else:
        case_add_note(case=enquiry, actor=actor, note=moved_note, visible_to_customer=True)
    # A new team means a new owner: the previous officer no longer holds it.
    assigned = case_assign(case=enquiry, assignee=None, team=team, actor=actor)
    if note.strip():
        case_add_note(case=enquiry, actor=actor, note=note, visible_to_customer=False)
    notify_customer(
        customer=enquiry.customer,
        subject=f"Your enquiry {enquiry.reference} is with our {team.name} team",
        body=(
            f"We have passed your enquiry {enquiry.reference} ({enquiry.subject}) to our "
            f"{team.name} team, who will answer it. Our promised dates have not changed."
        ),
        key=f"enquiry:{enquiry.pk}:referred:{assigned.pk if assigned else team.pk}",
        about=enquiry,
    )


@transaction.atomic
def enquiry_refer(*, enquiry: Enquiry, team: Team, actor: User, note: str = "") -> Enquiry:
    """Move the enquiry to ``team``'s queue. The clocks keep running; the customer is told."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    if enquiry.team_id == team.pk:
        raise ValidationError(f"{enquiry.reference} is already with the {team.name} team")
    _refer(enquiry=enquiry, team=team, actor=actor, note=note)
    return enquiry


@transaction.atomic
def enquiry_extend(
    *, enquiry: Enquiry, new_due_date: dt.date, reason: str, actor: User
) -> Deadline:
    """ "Let you know if we can't [answer in 10 working days] and when you can expect a full
    reply": moves the full-answer date to the end of ``new_due_date`` and tells the customer
    why. Only before the current date has passed."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    respond = _open_deadline(enquiry, RESPOND)
    if respond is None:
        raise ValidationError("This enquiry has no full-answer date to move")
    return case_deadline_extend(
        case=enquiry,
        deadline=respond,
        new_due_at=end_of_local_day(new_due_date),
        reason=reason,
        by=actor,
        tell_customer=True,
    )


@transaction.atomic
def enquiry_record_contact_back(*, enquiry: Enquiry, actor: User, note: str) -> Enquiry:
    """We contacted the customer about a query not resolved at first contact."""
    if enquiry.closed_at is not None:
        raise InvalidTransition(f"{enquiry.reference} is closed.")
    now = timezone.now()
    case_add_note(
        case=enquiry,
        actor=actor,
        note=f"We contacted you: {note.strip()}",
        visible_to_customer=True,
    )
    Enquiry.objects.filter(pk=enquiry.pk, contacted_back_at__isnull=True).update(
        contacted_back_at=now
    )
    enquiry.contacted_back_at = enquiry.contacted_back_at or now
    case_deadline_meet(case=enquiry, code=CONTACT_BACK, actor=actor, met_at=now)
    return enquiry


def _answer(*, enquiry: Enquiry, answer: str, actor: User | None, first_contact: bool) -> None:
    now = timezone.now()
    case_transition(
        case=enquiry,
        to_status=EnquiryStatus.ANSWERED,
        allowed=ENQUIRY_TRANSITIONS,
        actor=actor,
        note="Resolved at first contact" if first_contact else "",
        closes=True,
    )
    updates = {
        "answer": answer.strip(),
        "answered_at": now,
        "resolved_at_first_contact": first_contact,
    }
    if enquiry.acknowledged_at is None and enquiry.received_by in WRITTEN_CHANNELS:
        updates["acknowledged_at"] = now
    Enquiry.objects.filter(pk=enquiry.pk).update(**updates)
    for name, value in updates.items():
        setattr(enquiry, name, value)
    # A full answer is also the acknowledgement and the contact back, if those were still due.
    _meet_all(enquiry, (ACKNOWLEDGE, RESPOND, CONTACT_BACK), actor, now)
    notify_customer(
        customer=enquiry.customer,
        subject=f"Our answer to your enquiry {enquiry.reference}",
        body=f"Your enquiry: {enquiry.subject}\n\nOur answer:\n{enquiry.answer}",
        key=f"enquiry:{enquiry.pk}:answered",
        about=enquiry,
    )


@transaction.atomic
def enquiry_answer(*, enquiry: Enquiry, answer: str, actor: User) -> Enquiry:
    """The full answer: closes the enquiry, meets its clocks and sends the customer the text."""
    if not answer.strip():
        raise ValidationError("Enter the answer")
    _answer(enquiry=enquiry, answer=answer, actor=actor, first_contact=False)
    return enquiry


@transaction.atomic
def enquiry_record_complaint_offer(
    *,
    enquiry: Enquiry,
    actor: User,
    choice: str,
    summary: str = "",
    keep_enquiry_open: bool = False,
):
    """The customer expressed dissatisfaction and was offered the choice to complain
    (Complaint Handling Code 1.3). Declined: recorded, and the enquiry carries on as a service
    request (1.4). Accepted: a stage 1 complaint is opened at once and returned."""
    if enquiry.status == EnquiryStatus.BECAME_COMPLAINT:
        raise InvalidTransition(f"{enquiry.reference} is already a complaint.")
    if choice not in ComplaintChoice.values:
        raise ValueError(f"Unknown choice {choice!r}.")
    now = timezone.now()
    Enquiry.objects.filter(pk=enquiry.pk).update(complaint_offered_at=now, complaint_choice=choice)
    enquiry.complaint_offered_at, enquiry.complaint_choice = now, choice
    if choice == ComplaintChoice.DECLINED:
        case_add_note(
            case=enquiry,
            actor=actor,
            visible_to_customer=True,
            note="We offered you the choice to make a complaint. You chose not to, "
            "so we are dealing with this as an enquiry.",
        )
        return None
    return enquiry_convert_to_complaint(
        enquiry=enquiry, actor=actor, summary=summary, keep_enquiry_open=keep_enquiry_open
    )


@transaction.atomic
def enquiry_convert_to_complaint(
    *, enquiry: Enquiry, actor: User, summary: str = "", keep_enquiry_open: bool = False
):
    """Turn the enquiry into a stage 1 complaint received when the enquiry was (Code 1.3-1.5):
    its acknowledgement and response clocks run from the original receipt date. The complaint is
    linked to the enquiry, so its timeline leads back to the enquiry's whole history.

    ``keep_enquiry_open``: the complaint is about how the request is being handled, and the
    request itself must carry on (Code 1.5); otherwise the enquiry closes as "now a complaint"
    and its own clocks stop, the complaint's clocks taking over.
    """
    if enquiry.status == EnquiryStatus.BECAME_COMPLAINT:
        raise InvalidTransition(f"{enquiry.reference} is already a complaint.")
    complaint = complaint_create_from_case(
        source_case=enquiry,
        actor=actor,
        subject=(summary or enquiry.subject)[:200],
        details=enquiry.details,
    )
    if not keep_enquiry_open and enquiry.closed_at is None:
        case_transition(
            case=enquiry,
            to_status=EnquiryStatus.BECAME_COMPLAINT,
            allowed=ENQUIRY_TRANSITIONS,
            actor=actor,
            closes=True,
            note=f"Now dealt with as complaint {complaint.reference}",
        )
        _stop_clocks(enquiry)
    else:
        case_add_note(
            case=enquiry,
            actor=actor,
            visible_to_customer=True,
            note=f"Your complaint {complaint.reference} is about how this enquiry is "
            "being handled. We are carrying on with the enquiry as well.",
        )
    return complaint


def _stop_clocks(case) -> None:
    """Pause the case's clocks that have not yet run out: the matter now runs on another case's
    clocks. A clock already overdue stays as it is, and counts as missed."""
    now = timezone.now()
    for deadline in (
        Deadline.objects.for_case(case).open().filter(paused_at__isnull=True, due_at__gt=now)
    ):
        deadline_pause(deadline=deadline, at=now)


# ---------------------------------------------------------------------------------------------
# Call backs
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def callback_request(
    *,
    customer: Customer,
    phone: str,
    reason: str,
    preferred_date: dt.date | None,
    preferred_time: str,
    submission_key: uuid.UUID | None = None,
    actor: User | None = None,
) -> CallBack:
    """A request to be phoned back, from the portal (``actor`` None) or logged by staff at a busy
    time. The contact-back clock runs from the day the customer asked to be called."""

    def create() -> CallBack:
        now = timezone.now()
        callback = case_open(
            model=CallBack,
            customer=customer,
            received_by=ReceivedBy.PHONE if actor else ReceivedBy.PORTAL,
            status=CallBackStatus.REQUESTED,
            actor=actor,
            opened_at=now,
            team=customer_services_team(),
            phone=phone,
            reason=reason,
            preferred_date=preferred_date,
            preferred_time=preferred_time,
            logged_by=actor,
            idempotency_key=submission_key,
        )
        starts = now
        if preferred_date and preferred_date > now.astimezone(LONDON).date():
            starts = dt.datetime.combine(preferred_date, dt.time(0), tzinfo=LONDON)
        clock = deadline_start(case=callback, code=CONTACT_BACK, started_at=starts)
        if actor is not None:
            when = (
                f"on {london_date(starts)}" if starts > now else f"by {london_date(clock.due_at)}"
            )
            notify_customer(
                customer=customer,
                subject=f"We will call you back: {callback.reference}",
                body=f"You asked us to call you back on {phone}. We will call you {when}.",
                key=f"callback:{callback.pk}:requested",
                about=callback,
            )
        return callback

    callback, _ = _once(CallBack, submission_key, create)
    return callback


@transaction.atomic
def callback_record_outcome(*, callback: CallBack, outcome: str, note: str, actor: User):
    """Record one call. Returns the follow-up enquiry when one was opened.

    Spoke to the customer: the call back is done and its clock met. Follow-up needed: an
    enquiry is opened with the call's note, so the next step has an owner and a clock. No
    answer: the attempt is counted and the customer told we tried. Could not reach: closed,
    the customer told how to contact us.
    """
    if callback.closed_at is not None:
        raise InvalidTransition(f"{callback.reference} is closed.")
    if outcome not in CallBackOutcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}.")
    now = timezone.now()
    attempts = callback.attempts + 1
    done = outcome != CallBackOutcome.NO_ANSWER
    case_transition(
        case=callback,
        to_status=CallBackStatus.DONE if done else CallBackStatus.TRIED,
        allowed=CALLBACK_TRANSITIONS,
        actor=actor,
        closes=done,
        note=CallBackOutcome(outcome).label,
    )
    CallBack.objects.filter(pk=callback.pk).update(
        attempts=attempts,
        outcome=outcome,
        outcome_note=note.strip(),
        completed_at=now if done else None,
    )
    callback.attempts, callback.outcome, callback.outcome_note = attempts, outcome, note.strip()
    if note.strip():
        case_add_note(case=callback, actor=actor, note=note, visible_to_customer=False)
    follow_up = None
    if done:
        callback.completed_at = now
        case_deadline_meet(case=callback, code=CONTACT_BACK, actor=actor, met_at=now)
    if outcome == CallBackOutcome.NO_ANSWER:
        notify_customer(
            customer=callback.customer,
            subject=f"We tried to call you: {callback.reference}",
            body=(
                f"We tried to call you on {callback.phone} at "
                f"{london_datetime(now)}, as you asked. We will try again."
            ),
            key=f"callback:{callback.pk}:tried:{attempts}",
            about=callback,
        )
    elif outcome == CallBackOutcome.UNREACHABLE:
        notify_customer(
            customer=callback.customer,
            subject=f"We could not reach you: {callback.reference}",
            body=(
                f"We tried {attempts} time{'s' if attempts > 1 else ''} to call you on "
                f"{callback.phone} but could not reach you. Please contact us again when it "
                "suits you, by phone, web chat or an enquiry in your account."
            ),
            key=f"callback:{callback.pk}:unreachable",
            about=callback,
        )
    elif outcome == CallBackOutcome.FOLLOW_UP:
        follow_up = _enquiry_open(
            customer=callback.customer,
            received_by=ReceivedBy.PHONE,
            received_at=now,
            topic="general",
            subject=f"Follow-up from call back {callback.reference}"[:200],
            details=f"{callback.reason}\n\nOn the call: {note.strip()}",
            key=None,
            actor=actor,
        )
        deadline_start(case=follow_up, code=CONTACT_BACK, started_at=now)
        case_link(
            from_case=follow_up,
            to_case=callback,
            relation="follows up",
            actor=actor,
            visible_to_customer=True,
        )
    return follow_up


# ---------------------------------------------------------------------------------------------
# Web chat
# ---------------------------------------------------------------------------------------------


def _chat_post(
    *,
    chat: ChatSession,
    sender: str,
    author: User | None,
    body: str,
    client_token: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> ChatMessage:
    message = ChatMessage.objects.create(
        chat=chat,
        sender=sender,
        author=author,
        body=body,
        client_token=client_token,
        sent_at=at or timezone.now(),
    )
    message.chat = chat
    realtime.push_chat_message_on_commit(chat.pk, chat_message_payload(message))
    return message


def _check_message(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Enter a message")
    if len(body) > ChatMessage.MAX_LENGTH:
        raise ValidationError(f"Your message must be {ChatMessage.MAX_LENGTH} characters or fewer")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in body):
        raise ValidationError("Remove the unusual characters from your message")
    return body


@transaction.atomic
def chat_start(
    *,
    customer: Customer,
    message: str,
    submission_key: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> ChatSession:
    """Open a chat with the customer's first message, in service hours only (``ChatClosed``
    otherwise, nothing written). Starts the 2-minute acknowledgement clock and puts the chat
    on the advisers' live queue.

    A customer who already has a chat open (another tab) gets that chat back, with this message
    added to it: one conversation, and nothing they typed is lost.
    """
    body = _check_message(message)
    already = _existing(ChatSession, submission_key)
    if already is not None:
        return already
    still_open = (
        ChatSession.objects.filter(customer=customer, closed_at__isnull=True)
        .order_by("-opened_at")
        .first()
    )
    if still_open is not None and customer.user is not None:
        chat_post_message(chat=still_open, author=customer.user, body=body, at=at)
        return still_open
    now = at or timezone.now()
    hours = chat_service_hours()
    if not hours.is_open(now):
        raise ChatClosed(hours.next_opening(now))

    def create() -> ChatSession:
        chat = case_open(
            model=ChatSession,
            customer=customer,
            received_by=ReceivedBy.WEBCHAT,
            status=ChatStatus.WAITING,
            opened_at=now,
            team=customer_services_team(),
            idempotency_key=submission_key,
        )
        _chat_post(chat=chat, sender=ChatSender.CUSTOMER, author=customer.user, body=body, at=now)
        deadline_start(case=chat, code=CHAT_ACKNOWLEDGE, started_at=now)
        realtime.push_chat_state_on_commit(chat.pk)
        return chat

    chat, _ = _once(ChatSession, submission_key, create)
    return chat


@transaction.atomic
def chat_pick_up(*, chat: ChatSession, adviser: User, at: dt.datetime | None = None) -> ChatSession:
    """An adviser takes a waiting chat: the customer sees their first name, and the 2-minute
    clock is met. Two advisers pressing at once: the second gets ``InvalidTransition``."""
    case_transition(
        case=chat,
        to_status=ChatStatus.ACTIVE,
        allowed=CHAT_TRANSITIONS,
        actor=adviser,
        note=f"{adviser_name(adviser)} joined the chat",
    )
    now = at or timezone.now()
    case_assign(case=chat, assignee=adviser, actor=adviser)
    ChatSession.objects.filter(pk=chat.pk).update(picked_up_at=now)
    chat.picked_up_at = now
    case_deadline_meet(case=chat, code=CHAT_ACKNOWLEDGE, actor=adviser, met_at=now)
    _chat_post(
        chat=chat,
        sender=ChatSender.SYSTEM,
        author=None,
        at=now,
        body=f"You are chatting with {adviser_name(adviser)}.",
    )
    realtime.push_chat_state_on_commit(chat.pk)
    return chat


@transaction.atomic
def chat_post_message(
    *,
    chat: ChatSession,
    author: User,
    body: str,
    client_token: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> ChatMessage:
    """A line from the customer or the adviser. Sending again with the same ``client_token``
    (a retry after a dropped connection) returns the first message and writes nothing."""
    body = _check_message(body)
    if client_token is not None:
        existing = ChatMessage.objects.filter(chat=chat, client_token=client_token).first()
        if existing is not None:
            return existing
    locked = (
        ChatSession.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=chat.pk)
    )
    if locked.closed_at is not None:
        raise ValidationError("This chat has ended. Start a new chat or send us an enquiry")
    if author.pk == locked.customer.user_id:
        sender = ChatSender.CUSTOMER
    elif author.pk == locked.assignee_id:
        sender = ChatSender.ADVISER
    else:
        raise PermissionError(
            "Only the customer and the adviser who took the chat can write in it."
        )
    try:
        with transaction.atomic():
            return _chat_post(
                chat=locked,
                sender=sender,
                author=author,
                body=body,
                client_token=client_token,
                at=at,
            )
    except IntegrityError:
        return ChatMessage.objects.get(chat=chat, client_token=client_token)


@transaction.atomic
def chat_end(*, chat: ChatSession, actor: User, at: dt.datetime | None = None) -> ChatSession:
    """End the chat, by either side. A chat left before anyone picked it up and before its
    2 minutes ran out is neither met nor missed: its clock is stopped."""
    case_transition(
        case=chat,
        to_status=ChatStatus.ENDED,
        allowed=CHAT_TRANSITIONS,
        actor=actor,
        closes=True,
        note="The chat ended",
    )
    if chat.picked_up_at is None:
        _stop_clocks(chat)
    _chat_post(
        chat=chat,
        sender=ChatSender.SYSTEM,
        author=None,
        at=at,
        body="The chat has ended. You can read it again at any time in your account.",
    )
    realtime.push_chat_state_on_commit(chat.pk)
    return chat


@transaction.atomic
def chat_convert(
    *,
    chat: ChatSession,
    into: str,
    summary: str,
    actor: User,
    repair_item: str = "",
    repair_location: str = "",
):
    """Make an enquiry, a repair or a stage 1 complaint from the chat, with the transcript as
    its text and the chat's start as its receipt time, linked to the chat. Returns the new case.

    Raises ``ValidationError`` when the other service refuses (a repair a leaseholder must do
    themselves); nothing is written then.
    """
    transcript = chat_transcript_text(chat)
    case: Case
    if into == "enquiry":
        case = _enquiry_open(
            customer=chat.customer,
            received_by=ReceivedBy.WEBCHAT,
            received_at=chat.opened_at,
            topic="general",
            subject=summary,
            details=transcript,
            key=None,
            actor=actor,
        )
        deadline_start(case=case, code=CONTACT_BACK, started_at=chat.opened_at)
        case_link(
            from_case=case,
            to_case=chat,
            relation="from chat",
            actor=actor,
            visible_to_customer=True,
        )
    elif into == "complaint":
        case = complaint_create_from_case(
            source_case=chat, actor=actor, subject=summary, details=transcript
        )
    elif into == "repair":
        try:
            with transaction.atomic():
                case = repair_create(
                    customer=chat.customer,
                    item_code=repair_item,
                    location=repair_location,
                    description=f"{summary}\n\n{transcript}",
                    received_by=ReceivedBy.WEBCHAT,
                    actor=actor,
                )
        except RepairRefused as exc:
            raise ValidationError(str(exc)) from exc
        case_link(
            from_case=case,
            to_case=chat,
            relation="from chat",
            actor=actor,
            visible_to_customer=True,
        )
    else:
        raise ValueError(f"Cannot turn a chat into {into!r}.")
    if chat.closed_at is None:
        _chat_post(
            chat=chat,
            sender=ChatSender.SYSTEM,
            author=None,
            body=f"{adviser_name(actor)} has opened {case.reference} for you from this chat.",
        )
    return case


# ---------------------------------------------------------------------------------------------
# Home visits
# ---------------------------------------------------------------------------------------------


def _visit_window(visit: HomeVisit) -> str:
    return (
        f"{london_date(visit.starts_at)} between {london_time(visit.starts_at)} and "
        f"{london_time(visit.ends_at)}"
    )


def _officer_name(user: User) -> str:
    return user.get_full_name() or "one of our officers"


@transaction.atomic
def visit_book(
    *,
    customer: Customer,
    officer: User,
    purpose: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    booked_by: User,
    enquiry: Enquiry | None = None,
    submission_key: uuid.UUID | None = None,
) -> HomeVisit:
    """Book a home visit and tell the customer when, and who is coming."""
    if ends_at <= starts_at:
        raise ValidationError("The end of the window must be after the start")

    def create() -> HomeVisit:
        visit = HomeVisit.objects.create(
            customer=customer,
            tenancy_id=customer.tenancy_id,
            property_id=customer.tenancy.property_id,
            officer=officer,
            purpose=purpose,
            starts_at=starts_at,
            ends_at=ends_at,
            booked_by=booked_by,
            booked_at=timezone.now(),
            enquiry=enquiry,
            idempotency_key=submission_key,
        )
        notify_customer(
            customer=customer,
            subject="Your home visit is booked",
            body=(
                f"{_officer_name(officer)} will visit you on {_visit_window(visit)} "
                f"about: {purpose}.\n\nThey will show you their identification card. You are "
                "welcome to check it and to call our office to confirm who they are."
            ),
            key=f"visit:{visit.pk}:booked",
            about=enquiry,
        )
        if enquiry is not None:
            case_add_note(
                case=enquiry,
                actor=booked_by,
                visible_to_customer=True,
                note=f"Home visit booked for {_visit_window(visit)}",
            )
        return visit

    visit, _ = _once(HomeVisit, submission_key, create)
    return visit


def _visit_move(visit: HomeVisit, to_status: str, **fields) -> None:
    """Claim the status change with a conditional UPDATE: two officers' presses, one change."""
    allowed_from = [s for s, targets in VISIT_TRANSITIONS.items() if to_status in targets]
    changed = HomeVisit.objects.filter(pk=visit.pk, status__in=allowed_from).update(
        status=to_status, **fields
    )
    if not changed:
        raise InvalidTransition(f"This visit is {visit.get_status_display().lower()}.")
    visit.status = to_status
    for name, value in fields.items():
        setattr(visit, name, value)


@transaction.atomic
def visit_running_late(*, visit: HomeVisit, expected_at: dt.datetime, actor: User) -> HomeVisit:
    """ "Arrive on time or, if delayed, call you to let you know when we will arrive"."""
    if expected_at <= visit.starts_at:
        raise ValidationError("The new time must be after the start of the booked window")
    now = timezone.now()
    _visit_move(visit, VisitStatus.RUNNING_LATE, late_expected_at=expected_at, late_told_at=now)
    notify_customer(
        customer=visit.customer,
        subject="We are running late for your home visit",
        body=(
            f"We are sorry: {_officer_name(visit.officer)} is running late for your visit on "
            f"{london_date(visit.starts_at)} and now expects to arrive at {london_time(expected_at)}."
        ),
        key=f"visit:{visit.pk}:late:{expected_at.isoformat()}",
        about=visit.enquiry,
    )
    return visit


@transaction.atomic
def visit_no_access(*, visit: HomeVisit, actor: User, notes: str = "") -> HomeVisit:
    """Nobody was in: a card was left, and the customer is told how to contact us."""
    now = timezone.now()
    _visit_move(visit, VisitStatus.NO_ACCESS, card_left_at=now, notes=notes.strip())
    notify_customer(
        customer=visit.customer,
        subject="We called but you were out",
        body=(
            f"{_officer_name(visit.officer)} called at your home at {london_datetime(now)} "
            f"about: {visit.purpose}. Nobody was in, so we left a card. Please contact us to "
            "arrange another time: reply in your account, use web chat or phone us."
        ),
        key=f"visit:{visit.pk}:no_access",
        about=visit.enquiry,
    )
    if visit.enquiry is not None:
        case_add_note(
            case=visit.enquiry,
            actor=actor,
            visible_to_customer=True,
            note="We called for the home visit but nobody was in. We left a card.",
        )
    return visit


@transaction.atomic
def visit_complete(
    *, visit: HomeVisit, actor: User, identification_shown: bool, notes: str = ""
) -> HomeVisit:
    """Record the visit, with the check that the officer showed their identification."""
    if not identification_shown and not notes.strip():
        raise ValidationError("Say why the identification was not shown")
    _visit_move(
        visit,
        VisitStatus.COMPLETED,
        completed_at=timezone.now(),
        identification_shown=identification_shown,
        notes=notes.strip(),
    )
    return visit


@transaction.atomic
def visit_cancel(*, visit: HomeVisit, actor: User, reason: str) -> HomeVisit:
    if not reason.strip():
        raise ValidationError("Enter the reason")
    _visit_move(visit, VisitStatus.CANCELLED, notes=reason.strip())
    notify_customer(
        customer=visit.customer,
        subject="Your home visit is cancelled",
        body=(
            f"We have cancelled the home visit booked for {_visit_window(visit)}. "
            f"Reason: {reason.strip()}. We will contact you to arrange another time."
        ),
        key=f"visit:{visit.pk}:cancelled",
        about=visit.enquiry,
    )
    return visit


# ---------------------------------------------------------------------------------------------
# Telephone figures
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def call_statistics_import(*, rows: list[CallDay], actor: User) -> int:
    """Store a validated file's days, replacing any day imported before. All or nothing."""
    now = timezone.now()
    for row in rows:
        CallStatistic.objects.update_or_create(
            day=row.day,
            defaults={
                "offered": row.offered,
                "answered": row.answered,
                "abandoned": row.abandoned,
                "callbacks_offered": row.callbacks_offered,
                "imported_at": now,
                "imported_by": actor,
            },
        )
    return len(rows)
