"""Writes to the outbox: queue a message, deliver it, retry it.

Every message is a row first, written in the caller's transaction with an idempotency key, so
it is never lost (the broker being down only delays it: the beat sweep ``deliver_pending`` finds
it) and never written twice. Delivery claims the row with a conditional UPDATE, so two workers,
or the task kicked on commit racing the sweep, send it once. Retries live in the row
(``attempts``, ``next_attempt_at``), not in Celery countdowns.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from notifications.channels import channel_for
from notifications.guards import Withholding, withholding_for
from notifications.models import WITHHELD_NOTE, Message, MessageChannel, MessageStatus
from notifications.selectors import DELIVERABLE_STATUSES, messages_due
from tenancy.models import Channel, Customer

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A claim lasts this long. A send that is still "sending" after it is taken to have died with
# its worker and is claimed again: the longer the lease, the longer a message whose worker died
# waits. Each channel's network timeout (the SMS backend's 10 s, EMAIL_TIMEOUT for each step of
# an SMTP conversation) must stay well inside it, or a slow send may be claimed and made again
# while it is still going. The at-least-once window this leaves is set out in
# docs/decisions/0011-outbox-delivers-at-least-once.md.
CLAIM_LEASE = dt.timedelta(minutes=2)
# Wait before the 2nd, 3rd, 4th and 5th attempts; after the 5th failure a person looks at it.
RETRY_BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=25),
    dt.timedelta(minutes=125),
)
MAX_ATTEMPTS = len(RETRY_BACKOFF) + 1
SWEEP_BATCH_SIZE = 100
# Notices per look-up and INSERT in notify_staff_bulk: bounds the keys in one IN list (SQLite
# takes at most 32,766 parameters) and the rows in one statement, whatever the caller passes.
BULK_BATCH_SIZE = 5000
KEY_MAX_LENGTH = cast(int, Message._meta.get_field("idempotency_key").max_length)
SUBJECT_MAX_LENGTH = cast(int, Message._meta.get_field("subject").max_length)
ADDRESS_MAX_LENGTH = cast(int, Message._meta.get_field("to_address").max_length)


@dataclass(frozen=True)
class Route:
    """Where a message goes: the channel and the address on it (blank for the portal)."""

    channel: str
    to_address: str


def choose_route(customer: Customer, *, sensitive: bool = False) -> Route:
    """The channel and address for a message to ``customer``.

    - A sensitive message goes to the customer's safe contact when they have one (see
      ``_safe_contact_route``); otherwise by their usual preference, but naming no subject.
    - Email needs an email address. A text needs a mobile number and consent to texts; without
      them we email, and without an email address we write.
    - Portal only needs a portal account to read it; without one we email, then write.
    - Letter, and phone (we cannot ring automatically: written notices go by post), go by post
      to the home; an applicant with no home of ours is emailed, or told in the portal only.

    Whatever the channel, the message is also in the customer's portal inbox.
    """
    if sensitive:
        safe = _safe_contact_route(customer)
        if safe is not None:
            return safe
    preferred = customer.preferred_channel
    email = customer.email.strip()
    mobile = customer.mobile.strip()
    if preferred == Channel.SMS and mobile and customer.consent_to_sms:
        return Route(MessageChannel.SMS, mobile)
    if preferred == Channel.PORTAL and customer.user_id is not None:
        return Route(MessageChannel.PORTAL, "")
    if preferred in (Channel.EMAIL, Channel.SMS, Channel.PORTAL) and email:
        return Route(MessageChannel.EMAIL, email)
    if customer.tenancy_id is None:
        if email:
            return Route(MessageChannel.EMAIL, email)
        # An applicant with no home of ours has no address we could post to: the message waits
        # in their portal inbox (docs/decisions/0030).
        return Route(MessageChannel.PORTAL, "")
    return Route(
        MessageChannel.LETTER, customer.household.property.full_address[:ADDRESS_MAX_LENGTH]
    )


def _safe_contact_route(customer: Customer) -> Route | None:
    """The agreed safe contact, or None if the customer has none.

    A safe contact was agreed with staff for this purpose, so it stands as consent to texts.
    Once a safe channel is recorded, the usual addresses are presumed unsafe: a safe channel
    with no detail, or "phone" (staff ring; nothing is posted to the home), keeps the message
    in the portal inbox only.
    """
    channel = customer.safe_contact_channel
    if not channel:
        return None
    detail = customer.safe_contact_detail.strip()[:ADDRESS_MAX_LENGTH]
    written: dict[str, str] = {
        Channel.EMAIL: MessageChannel.EMAIL,
        Channel.SMS: MessageChannel.SMS,
        Channel.LETTER: MessageChannel.LETTER,
    }
    if channel in written and detail:
        return Route(written[channel], detail)
    return Route(MessageChannel.PORTAL, "")


def _interpreter_note(language: str) -> str:
    phone = settings.ORGANISATION["office_phone"]
    return (
        f"Language: {language}. We can arrange an interpreter to go through this letter with "
        f"you. Call us on {phone}."
    )


def _about_fields(about: models.Model | None) -> dict:
    if about is None:
        return {"about_type": None, "about_id": None}
    if about.pk is None:
        raise ValueError("A message can only be about a saved record.")
    return {"about_type": ContentType.objects.get_for_model(about), "about_id": about.pk}


def _check_text(*, subject: str, key: str) -> None:
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"An idempotency key is required, at most {KEY_MAX_LENGTH} characters.")
    if not subject.strip() or len(subject) > SUBJECT_MAX_LENGTH:
        raise ValueError(f"A subject is required, at most {SUBJECT_MAX_LENGTH} characters.")


def _existing_for_key(*, key: str, customer_id: int | None, staff_user_id: int | None):
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if (existing.customer_id, existing.staff_user_id) != (customer_id, staff_user_id):
        # Two recipients sharing a key would silently lose a message: a caller's bug to surface.
        raise ValueError(f"Idempotency key {key!r} was already used for another recipient.")
    return existing


def _write_once(message: Message) -> Message:
    """Insert the row unless its key exists; schedule its delivery when the caller commits."""
    try:
        # A savepoint, so losing the race to a concurrent insert of the same key leaves the
        # caller's transaction usable.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        existing = _existing_for_key(
            key=message.idempotency_key,
            customer_id=message.customer_id,
            staff_user_id=message.staff_user_id,
        )
        if existing is None:
            raise
        return existing
    transaction.on_commit(partial(_enqueue_delivery, message.pk))
    return message


def _enqueue_delivery(message_id: int) -> None:
    """Kick delivery now. If the broker cannot take it, the row waits for the beat sweep."""
    from notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception:
        # kombu's OperationalError, a refused connection, anything: the row is committed, so
        # nothing is lost, and failing here would turn a sent notice into a failed request.
        logger.warning(
            "Could not queue delivery of message %s; the sweep will send it.",
            message_id,
            exc_info=True,
        )


@transaction.atomic
def notify_customer(
    *,
    customer: Customer,
    subject: str,
    body: str,
    key: str,
    about: models.Model | None = None,
    sensitive: bool = False,
    route: Route | None = None,
) -> Message:
    """Queue one message to a customer, in the caller's transaction. Idempotent on ``key``.

    A second call with the same key returns the first row and writes nothing. The channel
    follows ``choose_route``. The message keeps the customer's large-print need; a letter to a
    customer who needs an interpreter opens with a note of the language. ``sensitive=True``
    (domestic abuse, hate crime): sent to the safe contact if there is one, and whatever leaves
    the portal names no subject; the full text is shown only in the customer's inbox.
    ``route`` replaces ``choose_route`` where the caller holds a narrower rule of its own (the
    safe contact a reporter of abuse agreed for their case).
    """
    _check_text(subject=subject, key=key)
    existing = _existing_for_key(key=key, customer_id=customer.pk, staff_user_id=None)
    if existing is not None:
        return existing
    route = route or choose_route(customer, sensitive=sensitive)
    if route.channel == MessageChannel.LETTER and customer.interpreter_language.strip():
        body = f"{_interpreter_note(customer.interpreter_language.strip())}\n\n{body}"
    now = timezone.now()
    message = Message(
        idempotency_key=key,
        customer=customer,
        channel=route.channel,
        to_address=route.to_address,
        subject=subject,
        body=body,
        is_sensitive=sensitive,
        large_print=customer.large_print,
        created_at=now,
        next_attempt_at=now,
        **_about_fields(about),
    )
    return _write_once(message)


@transaction.atomic
def notify_staff(
    *, user: User, subject: str, body: str, key: str, about: models.Model | None = None
) -> Message:
    """Queue one email to a member of staff, in the caller's transaction. Idempotent on ``key``."""
    _check_text(subject=subject, key=key)
    if not user.email:
        raise ValueError("This member of staff has no email address.")
    existing = _existing_for_key(key=key, customer_id=None, staff_user_id=user.pk)
    if existing is not None:
        return existing
    now = timezone.now()
    message = Message(
        idempotency_key=key,
        staff_user=user,
        channel=MessageChannel.EMAIL,
        to_address=user.email,
        subject=subject,
        body=body,
        created_at=now,
        next_attempt_at=now,
        **_about_fields(about),
    )
    return _write_once(message)


@transaction.atomic
def notify_outside(
    *,
    name: str,
    email: str,
    subject: str,
    body: str,
    key: str,
    about: models.Model | None = None,
) -> Message:
    """Queue one email to an organisation outside the association (a contractor), in the
    caller's transaction. Idempotent on ``key``; delivered and retried like any message."""
    _check_text(subject=subject, key=key)
    name, email = name.strip()[:200], email.strip()
    if not name or not email or len(email) > ADDRESS_MAX_LENGTH:
        raise ValueError("An outside recipient needs a name and an email address.")
    existing = _existing_for_key(key=key, customer_id=None, staff_user_id=None)
    if existing is not None:
        return existing
    now = timezone.now()
    message = Message(
        idempotency_key=key,
        outside_recipient=name,
        channel=MessageChannel.EMAIL,
        to_address=email,
        subject=subject,
        body=body,
        created_at=now,
        next_attempt_at=now,
        **_about_fields(about),
    )
    return _write_once(message)


@dataclass(frozen=True)
class StaffNotice:
    """One email to a member of staff, for ``notify_staff_bulk``: what ``notify_staff`` takes."""

    user: User
    subject: str
    body: str
    key: str
    about: models.Model | None = None


@transaction.atomic
def notify_staff_bulk(*, items: Iterable[StaffNotice]) -> int:
    """Queue many staff emails in the caller's transaction; return how many rows it wrote.

    What ``notify_staff`` does for one notice, for a sweep's worth at a fixed number of queries:
    per ``BULK_BATCH_SIZE`` notices, one look-up of the keys already used and one INSERT of the
    rest, and one delivery kick on commit for the whole call (the outbox sweep, which sends every
    row that is due), not one per message. So, as with ``notify_staff``:

    - Idempotent on ``key``: a notice whose key already has a row writes nothing, so a second
      sweep, or a batch retried after a rollback, adds no message. A key already used for
      another recipient raises ``ValueError`` and nothing is written (a caller's bug: one of the
      two would be lost). Rows a concurrent transaction inserts under the same keys between the
      look-up and the INSERT are left to it (``ON CONFLICT DO NOTHING``).
    - Never lost: the rows are written before the kick, and if the broker cannot take the kick
      the beat sweep sends them. Rolled back with the caller: no row and no kick.
    - A member of staff without an email address is skipped (``notify_staff`` refuses them:
      one missing address must not hold up a whole batch of escalations). A missing or too
      long key or subject raises ``ValueError`` before anything is written.

    The users' emails are read from the ``StaffNotice.user`` objects: load them with the rows
    the notices are about (joined in the same query), not one by one.
    """
    notices: dict[str, StaffNotice] = {}
    for notice in items:
        _check_text(subject=notice.subject, key=notice.key)
        if not notice.user.email:
            continue
        first = notices.setdefault(notice.key, notice)
        if first.user.pk != notice.user.pk:
            raise ValueError(f"Idempotency key {notice.key!r} was given for two recipients.")
    pending = list(notices.values())
    written = 0
    for start in range(0, len(pending), BULK_BATCH_SIZE):
        written += _write_staff_batch(pending[start : start + BULK_BATCH_SIZE])
    if written:
        transaction.on_commit(partial(_enqueue_pending_delivery, written))
    return written


def _write_staff_batch(notices: list[StaffNotice]) -> int:
    used = {
        key: (customer_id, staff_user_id)
        for key, customer_id, staff_user_id in Message.objects.filter(
            idempotency_key__in=[notice.key for notice in notices]
        ).values_list("idempotency_key", "customer_id", "staff_user_id")
    }
    fresh = []
    for notice in notices:
        if notice.key not in used:
            fresh.append(notice)
        elif used[notice.key] != (None, notice.user.pk):
            raise ValueError(
                f"Idempotency key {notice.key!r} was already used for another recipient."
            )
    if not fresh:
        return 0
    about_types: dict[type[models.Model], int] = {}
    abouts: list[tuple[int | None, int | None]] = []
    for notice in fresh:
        about = notice.about
        if about is None:
            abouts.append((None, None))
            continue
        if about.pk is None:
            raise ValueError("A message can only be about a saved record.")
        if type(about) not in about_types:
            about_types[type(about)] = ContentType.objects.get_for_model(about).pk
        abouts.append((about_types[type(about)], about.pk))
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                idempotency_key=notice.key,
                staff_user=notice.user,
                channel=MessageChannel.EMAIL,
                to_address=notice.user.email,
                subject=notice.subject,
                body=notice.body,
                created_at=now,
                next_attempt_at=now,
                about_type_id=about_type_id,
                about_id=about_id,
            )
            for notice, (about_type_id, about_id) in zip(fresh, abouts, strict=True)
        ],
        ignore_conflicts=True,
    )
    return len(fresh)


def _enqueue_pending_delivery(count: int) -> None:
    """Kick the outbox sweep now for a batch just committed. If the broker cannot take it, the
    rows wait for the beat sweep, as for a single message."""
    from notifications.tasks import deliver_pending as deliver_pending_task

    try:
        deliver_pending_task.delay()
    except Exception:
        # As in _enqueue_delivery: the rows are committed, so nothing is lost.
        logger.warning(
            "Could not queue delivery of %s messages; the sweep will send them.",
            count,
            exc_info=True,
        )


def message_deliver(*, message_id: int) -> bool:
    """Send one message if it is due and nobody else has it. True if this call sent it.

    Deliberately not one transaction: the claim must be committed before the send, so that a
    second worker sees it, and the outcome is recorded after it. The claim is a conditional
    UPDATE whose row count says who won; it sets ``next_attempt_at`` to the end of the claim,
    so a row left in "sending" by a dead worker becomes due again and the sweep reclaims it.
    Each claim counts as an attempt, so a message that kills its worker every time still ends
    as failed instead of looping.
    """
    claimed_at = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id,
        status__in=DELIVERABLE_STATUSES,
        next_attempt_at__lte=claimed_at,
        attempts__lt=MAX_ATTEMPTS,
    ).update(
        status=MessageStatus.SENDING,
        claimed_at=claimed_at,
        next_attempt_at=claimed_at + CLAIM_LEASE,
        attempts=F("attempts") + 1,
    )
    if claimed == 0:
        _fail_if_worn_out(message_id=message_id, now=claimed_at)
        return False
    message = Message.objects.select_related("customer").get(pk=message_id)
    withholding = withholding_for(message)
    if withholding is not None:
        _withhold(message=message, claimed_at=claimed_at, withholding=withholding)
        return False
    try:
        note = channel_for(message).send(message)
    except Exception as exc:
        # Whatever the channel raised (SMTP, the SMS provider, the disk): record and retry.
        _record_failed_attempt(message=message, claimed_at=claimed_at, error=exc)
        return False
    Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=claimed_at
    ).update(status=MessageStatus.SENT, sent_at=timezone.now(), delivery_note=note[:300])
    return True


@transaction.atomic
def _withhold(*, message: Message, claimed_at: dt.datetime, withholding: Withholding) -> None:
    """Keep a message a registered check refused (``notifications.guards``): failed, with the
    reason, and the check's app told in the same transaction."""
    withheld = Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=claimed_at
    ).update(
        status=MessageStatus.FAILED,
        last_error=f"Withheld: {withholding.reason}"[:2000],
        delivery_note=WITHHELD_NOTE,
    )
    if withheld and withholding.on_withheld is not None:
        withholding.on_withheld(message, withholding.reason)
    logger.info("Message %s withheld: %s", message.pk, withholding.reason)


def _fail_if_worn_out(*, message_id: int, now: dt.datetime) -> None:
    """A row whose last claim expired after its final attempt: its worker died every time."""
    worn_out = Message.objects.filter(
        pk=message_id,
        status__in=DELIVERABLE_STATUSES,
        next_attempt_at__lte=now,
        attempts__gte=MAX_ATTEMPTS,
    ).update(
        status=MessageStatus.FAILED,
        last_error="The worker stopped while sending, on every attempt.",
    )
    if worn_out:
        logger.error("Message %s failed: its worker stopped on every attempt.", message_id)


def _record_failed_attempt(*, message: Message, claimed_at: dt.datetime, error: Exception) -> None:
    failed_at = timezone.now()
    error_text = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = MessageStatus.FAILED, failed_at
        logger.error(
            "Message %s failed after %s attempts: %s", message.pk, message.attempts, error_text
        )
    else:
        status = MessageStatus.PENDING
        next_attempt_at = failed_at + RETRY_BACKOFF[message.attempts - 1]
        logger.warning("Message %s attempt %s failed: %s", message.pk, message.attempts, error_text)
    Message.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_at=claimed_at
    ).update(status=status, next_attempt_at=next_attempt_at, last_error=error_text)


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Deliver every message due at ``now``, in batches. Returns how many this run sent.

    The beat sweep: finds rows whose kick on commit never ran (broker down, worker crash) or
    failed and are due again, and rows whose claim has expired. Safe to run twice at once.
    """
    now = now or timezone.now()
    sent = 0
    after = None
    while batch := messages_due(now=now, after=after, limit=SWEEP_BATCH_SIZE):
        for _due_at, message_id in batch:
            sent += message_deliver(message_id=message_id)
        after = batch[-1]
    return sent


@transaction.atomic
def message_retry(*, message_id: int, by: User | None = None) -> bool:
    """Put a failed message back in the queue with fresh attempts, and kick its delivery.

    Returns False (and changes nothing) if the message is not failed.
    """
    now = timezone.now()
    reset = Message.objects.filter(pk=message_id, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
    )
    if not reset:
        return False
    logger.info("Message %s put back in the queue by %s.", message_id, by or "the system")
    transaction.on_commit(partial(_enqueue_delivery, message_id))
    return True
