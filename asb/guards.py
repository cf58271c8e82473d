"""The safe-contact rule on every outbound channel, as a check the outbox asks before each send
(``notifications.guards``).

A reporter said which ways of reaching them are safe. A message to them that would go another
way (a letter to a home shared with the person they reported, a text to a number that is not
their safe one, an email, or a message in a portal account someone else reads) is not sent,
whichever app queued it, and the officer on their case is told.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from asb import selectors
from asb.models import AsbCase
from asb.services import message_withheld_record
from notifications.models import Message, MessageChannel
from tenancy.models import Customer

_CHANNEL_WORDS: dict[str, str] = {
    MessageChannel.EMAIL: "email",
    MessageChannel.SMS: "text",
    MessageChannel.LETTER: "letter",
    MessageChannel.PORTAL: "portal",
}


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    # +44 7700 ... and 07700 ... are the same phone.
    return "0" + digits[2:] if digits.startswith("44") else digits


def unsafe_reason(case: AsbCase, channel: str, to_address: str) -> str | None:
    """Why a message by ``channel`` to ``to_address`` would break the reporter's safe-contact
    answers on ``case``, or None if it keeps to them. The one statement of the rule."""
    if channel == MessageChannel.EMAIL and not case.may_email:
        return "the reporter said email is not safe."
    if channel == MessageChannel.LETTER and not case.may_write:
        return "the reporter said letters to their home are not safe."
    if channel == MessageChannel.PORTAL and not case.may_use_portal:
        return "the reporter said messages in their online account are not safe."
    if channel == MessageChannel.SMS:
        if not case.may_text:
            return "the reporter said texts are not safe."
        if case.safe_phone and _digits(case.safe_phone) != _digits(to_address):
            return "the text would go to a number that is not the reporter's safe number."
    return None


def check_message(message: Message) -> str | None:
    if message.customer_id is None:
        return None
    case = selectors.safe_contact_case_for_customer(message.customer_id)
    if case is None:
        return None
    return unsafe_reason(case, message.channel, message.to_address)


def hidden_in_portal(customer: Customer) -> Q:
    """What a reporter's portal inbox leaves out: when they said their online account is not a
    safe place (someone else reads it), every message about their reports or another sensitive
    matter, whichever way it was sent (a text to the safe number is kept in the inbox too)."""
    about_reports = Q(is_sensitive=True) | Q(about_type=ContentType.objects.get_for_model(AsbCase))
    return about_reports & Q(selectors.portal_is_unsafe_for(customer.pk))


def tell_officer(message: Message, reason: str) -> None:
    if message.customer_id is None:
        return
    case = selectors.safe_contact_case_for_customer(message.customer_id)
    if case is not None:
        message_withheld_record(
            case=case,
            channel=_CHANNEL_WORDS.get(message.channel, message.channel),
            subject=message.subject,
            reason=reason,
        )
