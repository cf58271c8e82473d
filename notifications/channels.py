"""How one outbox row leaves the building: email, text message, printed letter or portal only.

Each channel's ``send(message)`` returns a short note for staff ("Queued for print: ...") when the
message has gone, and raises when it has not; ``message_deliver`` records either outcome.
What a channel sends is ``outward_text(message)``: for a sensitive message that is a generic line
that names no subject, because a safe contact address may still be read by someone else. The full
text is only ever shown in the customer's portal inbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message, MessageChannel
from notifications.sms import get_sms_backend

# Three SMS segments: long enough for a notice, short enough not to cost a fortune.
SMS_MAX_CHARS = 459


@dataclass(frozen=True)
class OutwardText:
    subject: str
    body: str


def sensitive_outward_text() -> OutwardText:
    org = settings.ORGANISATION
    return OutwardText(
        subject=f"A message from {org['name']}",
        body=(
            "We have a message for you. Please sign in to your account or call us on "
            f"{org['office_phone']}."
        ),
    )


def outward_text(message: Message) -> OutwardText:
    """What leaves the portal for this message: its own words, or the generic line if sensitive."""
    if message.is_sensitive:
        return sensitive_outward_text()
    return OutwardText(subject=message.subject, body=message.body)


def message_url(message: Message) -> str:
    return settings.SITE_URL + reverse("notifications:detail", args=[message.pk])


def inbox_url() -> str:
    return settings.SITE_URL + reverse("notifications:inbox")


class DeliveryChannel(Protocol):
    def send(self, message: Message) -> str: ...


def message_id_header(message: Message) -> str:
    """The email's Message-ID, the same on every attempt for one outbox row: a message sent
    again after its worker died (the server had taken it, the outcome was never recorded)
    carries the Message-ID of the first copy, so mail clients and servers can see it is one
    message. The row's creation time keeps ids unique if the table's ids ever start again."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


class EmailChannel:
    def send(self, message: Message) -> str:
        text = outward_text(message)
        template = (
            "notifications/emails/staff_message.txt"
            if message.staff_user_id
            else "notifications/emails/customer_message.txt"
        )
        if message.outside_recipient and message.customer_id is None:
            # Nothing in the portal to link to for someone outside it.
            template = "notifications/emails/outside_message.txt"
        body = render_to_string(
            template,
            {
                "text": text,
                "org": settings.ORGANISATION,
                # A sensitive message points at the inbox, not at a page whose address could
                # hint at what it is about.
                "link": inbox_url() if message.is_sensitive else message_url(message),
                "admin_link": settings.SITE_URL + reverse("admin:index"),
            },
        )
        EmailMessage(
            subject=text.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers={"Message-ID": message_id_header(message)},
        ).send(fail_silently=False)
        return f"Emailed to {message.to_address}"


class SmsChannel:
    def send(self, message: Message) -> str:
        text = outward_text(message)
        body = text.body if message.is_sensitive else f"{text.subject}\n{text.body}"
        if len(body) > SMS_MAX_CHARS:
            more = f"... Read it all at {message_url(message)}"
            body = body[: SMS_MAX_CHARS - len(more)].rstrip() + more
        get_sms_backend().send(to=message.to_address, body=body)
        return f"Texted to {message.to_address}"


class LetterChannel:
    """Writes the letter into the print queue (``letters/<date>/`` in file storage).

    The post room prints each day's folder; a large-print letter says so in its first line.
    Sending means "queued for print": the letter is in the post room's hands from here.
    """

    def send(self, message: Message) -> str:
        text = outward_text(message)
        customer = message.customer
        content = render_to_string(
            "notifications/letters/letter.txt",
            {
                "message": message,
                "text": text,
                "name": customer.full_name if customer else "",
                "address_lines": [part.strip() for part in message.to_address.split(",")],
                "date": timezone.localdate(),
                "org": settings.ORGANISATION,
            },
        )
        path = f"letters/{timezone.localdate():%Y-%m-%d}/message-{message.pk}.txt"
        # A retry after a crash between writing and recording replaces the earlier copy, so
        # the post room never prints the same letter twice.
        if default_storage.exists(path):
            default_storage.delete(path)
        saved = default_storage.save(path, ContentFile(content.encode()))
        return f"Queued for print: {saved}"


class PortalChannel:
    def send(self, message: Message) -> str:
        return "Shown in the portal inbox only"


CHANNELS: dict[str, DeliveryChannel] = {
    MessageChannel.EMAIL: EmailChannel(),
    MessageChannel.SMS: SmsChannel(),
    MessageChannel.LETTER: LetterChannel(),
    MessageChannel.PORTAL: PortalChannel(),
}


def channel_for(message: Message) -> DeliveryChannel:
    return CHANNELS[message.channel]
