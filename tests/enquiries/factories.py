"""Keeping in Touch records for tests. Behaviour tests make them through the services, as a
customer or an officer would; the model factories are for lists and figures that need many."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from enquiries import services
from enquiries.models import CallStatistic, HomeVisit
from tests.factories import CustomerFactory, StaffFactory


def submit_enquiry(
    customer,
    *,
    subject="Visitor parking",
    details="How do I get a permit?",
    topic="general",
    key=None,
    uploaded_file=None,
):
    enquiry, _ = services.enquiry_submit(
        customer=customer,
        topic=topic,
        subject=subject,
        details=details,
        idempotency_key=key or uuid.uuid4(),
        uploaded_file=uploaded_file,
    )
    return enquiry


def log_enquiry(
    customer,
    actor,
    *,
    channel="phone",
    resolved_now=False,
    answer="",
    received_at=None,
    team=None,
    subject="Bin collection day",
):
    return services.enquiry_log(
        customer=customer,
        actor=actor,
        channel=channel,
        received_at=received_at or timezone.now(),
        topic="general",
        subject=subject,
        details="Which day are the bins collected?",
        resolved_now=resolved_now,
        answer=answer,
        team=team,
        idempotency_key=uuid.uuid4(),
    )


def start_chat(customer, message="Is my boiler service still on for Friday?"):
    return services.chat_start(customer=customer, message=message, idempotency_key=uuid.uuid4())


def request_callback(customer, *, actor=None, preferred_date=None):
    return services.callback_request(
        customer=customer,
        phone="07700 900123",
        reason="My rent statement",
        preferred_date=preferred_date,
        preferred_time="morning",
        idempotency_key=uuid.uuid4(),
        actor=actor,
    )


def book_visit(customer, officer, *, starts_at=None):
    starts_at = starts_at or timezone.now() + dt.timedelta(days=1)
    return services.visit_book(
        customer=customer,
        officer=officer,
        purpose="Check the new kitchen",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        booked_by=officer,
        idempotency_key=uuid.uuid4(),
    )


class HomeVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeVisit

    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    property = factory.SelfAttribute("customer.tenancy.property")
    officer = factory.SubFactory(StaffFactory)
    booked_by = factory.SelfAttribute("officer")
    purpose = "Tenancy check"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    booked_at = factory.LazyFunction(timezone.now)


class CallStatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallStatistic

    day = factory.Sequence(lambda n: dt.date(2026, 2, 1) + dt.timedelta(days=n))
    offered = 100
    answered = 85
    abandoned = 15
    callbacks_offered = 3
    imported_at = factory.LazyFunction(timezone.now)


def signed_in_session(user):
    """A real signed-in session for ``user``, as the browser's cookie would carry it."""
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    return browser.session


class WithSignedInSession:
    """ASGI wrapper for socket tests that set ``scope["user"]`` directly: gives the scope the
    user's signed-in session, as ``AuthMiddlewareStack`` does for a browser, because a chat
    socket lives only as long as its session."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        from channels.db import database_sync_to_async

        user = scope.get("user")
        if "session" not in scope and getattr(user, "is_authenticated", False):
            scope = {**scope, "session": await database_sync_to_async(signed_in_session)(user)}
        return await self.inner(scope, receive, send)
