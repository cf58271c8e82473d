"""Web chat: starting, picking up, messages, ending, and turning a chat into an enquiry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.models import Case, ReceivedBy
from casework.services import case_assign, case_deadline_meet, case_link, case_open, case_transition
from complaints.handover import complaint_create_from_case
from enquiries import realtime
from enquiries.hours import chat_service_hours
from enquiries.models import ChatMessage, ChatSender, ChatSession, ChatStatus
from enquiries.selectors import (
    adviser_name,
    chat_message_payload,
    chat_transcript_text,
    customer_services_team,
)
from enquiries.services._common import CONTACT_BACK, _existing, _once, _stop_clocks
from enquiries.services.enquiries import _enquiry_open
from repairs.handover import RepairRefused, repair_create
from sla.services import deadline_start

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer


CHAT_ACKNOWLEDGE = "webchat.acknowledge"

CHAT_TRANSITIONS: dict[str, set[str]] = {
    ChatStatus.WAITING: {ChatStatus.ACTIVE, ChatStatus.ENDED},
    ChatStatus.ACTIVE: {ChatStatus.ENDED},
}


class ChatClosed(Exception):
    """The chat is outside its service hours; nothing was written."""

    def __init__(self, opens_at: dt.datetime):
        super().__init__(f"The web chat opens at {opens_at:%Y-%m-%d %H:%M}.")
        self.opens_at = opens_at


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
    idempotency_key: uuid.UUID | None = None,
    at: dt.datetime | None = None,
) -> ChatSession:
    """Open a chat with the customer's first message, in service hours only (``ChatClosed``
    otherwise, nothing written). Starts the 2-minute acknowledgement clock and puts the chat
    on the advisers' live queue.

    A customer who already has a chat open (another tab) gets that chat back, with this message
    added to it: one conversation, and nothing they typed is lost.
    """
    body = _check_message(message)
    already = _existing(ChatSession, idempotency_key)
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
            idempotency_key=idempotency_key,
        )
        _chat_post(chat=chat, sender=ChatSender.CUSTOMER, author=customer.user, body=body, at=now)
        deadline_start(case=chat, code=CHAT_ACKNOWLEDGE, started_at=now)
        realtime.push_chat_state_on_commit(chat.pk)
        return chat

    chat, _ = _once(ChatSession, idempotency_key, create)
    return chat


@transaction.atomic
def chat_pick_up(*, chat: ChatSession, adviser: User, at: dt.datetime | None = None) -> ChatSession:
    """An adviser takes a waiting chat: the customer sees their first name, and the 2-minute
    clock is met. Two advisers pressing at once: the second gets ``InvalidTransition``.

    An adviser whose account has no first name is refused (``ValidationError``, nothing
    written): we promise to tell the customer the name of the person they are chatting with,
    and a generic "your adviser" would name nobody.
    """
    if not adviser.first_name.strip():
        raise ValidationError(
            "Add your first name to your account before you answer a chat: the customer is "
            "told the name of the person they are chatting with."
        )
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
