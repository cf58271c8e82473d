"""Complaints for tests: raw rows (factory_boy) for volume, and helpers that walk a complaint
through the real services, so its clocks and events are the ones production would write."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from casework.models import ReceivedBy
from complaints.models import (
    Complaint,
    ComplaintStatus,
    Feedback,
    FeedbackKind,
    Outcome,
    ServiceArea,
)
from complaints.services import (
    PointDecision,
    PromisedAction,
    ResponseDraft,
    complaint_acknowledge,
    complaint_create,
    complaint_respond,
)
from tests.factories import CustomerFactory, StaffFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A bare complaint row with no clocks: for lists, access checks and volume."""

    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"CMP-2026-{n + 1:06d}")
    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    property = factory.SelfAttribute("customer.tenancy.property")
    status = ComplaintStatus.STAGE1_RECEIVED
    opened_at = factory.LazyFunction(timezone.now)
    subject = "The bathroom fan is still broken"
    details = "It was reported in March and nobody has fixed it."
    service_area = ServiceArea.REPAIRS


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    kind = FeedbackKind.COMPLIMENT
    customer = factory.SubFactory(CustomerFactory)
    tenancy = factory.SelfAttribute("customer.tenancy")
    service_area = ServiceArea.REPAIRS
    details = "The plumber was quick and tidy."
    received_at = factory.LazyFunction(timezone.now)


def receive(customer, **overrides) -> Complaint:
    """A complaint received through the portal (or by staff, with ``actor``)."""
    fields = {
        "subject": "Fan not fixed",
        "details": "The bathroom fan has not worked for two months.",
        "service_area": ServiceArea.REPAIRS,
        "received_by": ReceivedBy.PORTAL,
        "outcome_wanted": "Fix the fan and say sorry.",
    }
    fields.update(overrides)
    return complaint_create(customer=customer, **fields)


def acknowledge(complaint, officer, issues=("The fan was not fixed",), **kwargs):
    return complaint_acknowledge(
        complaint=complaint,
        actor=officer,
        issues=list(issues),
        outcomes_sought="A working fan",
        **kwargs,
    )


def complete_draft(complaint, stage=None, *, outcome=Outcome.UPHELD, actions=None) -> ResponseDraft:
    """A response draft with every part the Code requires."""
    stage = stage or complaint.stage
    points = complaint.points.filter(stage=stage)
    return ResponseDraft(
        outcome=outcome,
        decisions=[
            PointDecision(
                point_id=p.pk, decision=outcome, reasons="Our records show the repair was missed."
            )
            for p in points
        ],
        remedy="We will fit a new fan and pay £50 for the inconvenience.",
        actions=actions
        if actions is not None
        else [
            PromisedAction(
                description="Fit a new extractor fan",
                due_date=timezone.localdate() + dt.timedelta(days=14),
            )
        ],
        escalation_text="Ask for a Final Review on your complaint page.",
        ombudsman_text="Contact the Housing Ombudsman: 0300 111 3000.",
    )


def respond(complaint, officer, **kwargs):
    return complaint_respond(
        complaint=complaint, actor=officer, draft=complete_draft(complaint, **kwargs)
    )


def staff(role, **kwargs):
    return StaffFactory(roles=[role], **kwargs)
