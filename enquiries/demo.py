"""Demo records for Keeping in Touch: enquiries on several channels, a call back, a finished web
chat, home visits and a month of telephone figures. Safe to run again: every record is made
through its service with a fixed idempotency key, so a second run finds the first run's rows.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from casework.models import Team
from enquiries import services
from enquiries.forms import CallDay
from enquiries.hours import chat_service_hours
from enquiries.models import ChatSession, EnquiryStatus, HomeVisit
from kernel.formatting import LONDON
from kernel.roles import Role
from sla.calendar import add_working_days

DEMO_NAMESPACE = uuid.UUID("6f1f6c8e-2f0e-4d8e-9b3a-6f5b1f0c2a11")


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, name)


def seed(demo) -> None:
    adviser = demo.staff[Role.CUSTOMER_SERVICES]
    tenant = demo.tenant
    now = timezone.now()
    # Someone must hear when a chat waits over 2 minutes or a contact back is missed.
    Team.objects.filter(name="Customer services", lead__isnull=True).update(lead=adviser)

    answered, _ = services.enquiry_submit(
        customer=tenant,
        topic="neighbourhood",
        subject="Parking permit for a visitor",
        details="My daughter visits on Sundays. How do I get a visitor parking permit?",
        idempotency_key=_key("enquiry-parking"),
    )
    if answered.status == EnquiryStatus.RECEIVED:
        services.enquiry_answer(
            enquiry=answered,
            actor=adviser,
            answer="Visitor permits are free. Ask at the estate office with the car's "
            "registration and we will give you a book of 10 day permits.",
        )

    waiting, _ = services.enquiry_submit(
        customer=tenant,
        topic="tenancy",
        subject="Adding my partner to the tenancy",
        details="My partner moved in last year. Can they be added as a joint tenant?",
        idempotency_key=_key("enquiry-joint-tenancy"),
    )
    if waiting.acknowledged_at is None:
        services.enquiry_acknowledge(enquiry=waiting, actor=adviser)

    services.enquiry_log(
        customer=tenant,
        actor=adviser,
        channel="phone",
        received_at=now - dt.timedelta(days=2),
        topic="rent",
        subject="When is rent due?",
        details="Asked which day rent is taken.",
        resolved_now=True,
        answer="Your direct debit is taken on the 1st of each month.",
        idempotency_key=_key("enquiry-rent-day"),
    )

    services.enquiry_log(
        customer=demo.other_tenant,
        actor=adviser,
        channel="home_visit",
        received_at=now - dt.timedelta(hours=3),
        topic="moving",
        subject="Wants to downsize",
        details="Asked about moving to a one-bedroom flat nearer her sister.",
        resolved_now=False,
        idempotency_key=_key("enquiry-downsize"),
    )

    services.callback_request(
        customer=demo.leaseholder,
        phone=demo.leaseholder.mobile or "07700 900031",
        reason="Question about this year's service charge estimate.",
        preferred_date=None,
        preferred_time="morning",
        idempotency_key=_key("callback-service-charge"),
    )

    _seed_chat(demo, adviser)

    # The next day officers visit on (a visit on a weekend or bank holiday is refused).
    next_working_day = add_working_days(timezone.localdate(), 1)
    if not HomeVisit.objects.filter(idempotency_key=_key("visit-tenant")).exists():
        starts = dt.datetime.combine(next_working_day, dt.time(10), tzinfo=LONDON)
        services.visit_book(
            customer=tenant,
            officer=adviser,
            purpose="Talk through the joint tenancy forms",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            booked_by=adviser,
            enquiry=waiting,
            idempotency_key=_key("visit-tenant"),
        )

    today = timezone.localdate()
    days = []
    for back in range(1, 31):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        offered = 180 + (back * 37) % 60
        answered_calls = offered - 12 - (back * 11) % 25
        days.append(
            CallDay(
                day=day,
                offered=offered,
                answered=answered_calls,
                abandoned=offered - answered_calls,
                callbacks_offered=(back * 7) % 9,
            )
        )
    services.call_statistics_import(rows=days, actor=demo.staff[Role.MANAGER])


def _seed_chat(demo, adviser) -> None:
    """A finished chat from the last working day the chat was open, so its transcript can be
    read in the tenant's account whatever the time the demo is loaded."""
    key = _key("chat-boiler-noise")
    if ChatSession.objects.filter(idempotency_key=key).exists():
        return
    hours = chat_service_hours()
    opened = hours.next_opening(timezone.now() - dt.timedelta(days=7)) + dt.timedelta(hours=2)
    chat = services.chat_start(
        customer=demo.tenant,
        idempotency_key=key,
        at=opened,
        message="Hello, is the boiler service visit still on for Friday?",
    )
    services.chat_pick_up(chat=chat, adviser=adviser, at=opened + dt.timedelta(seconds=50))
    services.chat_post_message(
        chat=chat,
        author=adviser,
        at=opened + dt.timedelta(minutes=1),
        body="Yes, the engineer will come between 8am and 12pm on Friday.",
    )
    services.chat_post_message(
        chat=chat, author=demo.tenant.user, at=opened + dt.timedelta(minutes=2), body="Thank you!"
    )
    services.chat_end(chat=chat, actor=adviser, at=opened + dt.timedelta(minutes=3))
