"""The staff steps of an enquiry (acknowledge, contact back, answer, refer, extend, offer a
complaint), registered with ``casework.steps`` from ``EnquiriesConfig.ready``: each is a form
whose values go to one enquiry service; a refusal shows the service's reason on the form."""

from __future__ import annotations

from casework.selectors import open_deadlines_for_case
from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from enquiries import selectors, services
from enquiries.forms import (
    AcknowledgeForm,
    AnswerForm,
    ComplaintOfferForm,
    ContactBackForm,
    ExtendForm,
    ReferForm,
)
from enquiries.models import Enquiry, EnquiryStatus
from kernel.formatting import london_date


def _open_clocks(enquiry: Enquiry) -> frozenset[str]:
    """The codes of the enquiry's running clocks, read once per page."""
    return frozenset(d.commitment.code for d in open_deadlines_for_case(enquiry))


def _summary(enquiry: Enquiry, open_clocks: object) -> str:
    return (
        f"{enquiry.reference}: {enquiry.subject}. {enquiry.customer.full_name}, "
        f"{enquiry.property.full_address}. {enquiry.status_label}."
    )


def _is_open(ctx: StepContext) -> bool:
    return ctx.case.is_open


def _unacknowledged_in_writing(ctx: StepContext) -> bool:
    enquiry = ctx.case
    return (
        enquiry.is_open
        and enquiry.received_by in selectors.WRITTEN_CHANNELS
        and enquiry.acknowledged_at is None
    )


def _clock_running(code: str):
    def available(ctx: StepContext) -> bool:
        return ctx.case.is_open and code in ctx.state

    return available


def _not_yet_a_complaint(ctx: StepContext) -> bool:
    return ctx.case.status != EnquiryStatus.BECAME_COMPLAINT


def _acknowledge(ctx: StepContext, form) -> None:
    services.enquiry_acknowledge(enquiry=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"])


def _contact_back(ctx: StepContext, form) -> None:
    services.enquiry_record_contact_back(
        enquiry=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"]
    )


def _answer(ctx: StepContext, form) -> None:
    services.enquiry_answer(enquiry=ctx.case, answer=form.cleaned_data["answer"], actor=ctx.actor)


def _refer(ctx: StepContext, form) -> None:
    services.enquiry_refer(
        enquiry=ctx.case,
        team=form.cleaned_data["team"],
        actor=ctx.actor,
        note=form.cleaned_data["note"],
    )


def _extend(ctx: StepContext, form) -> None:
    services.enquiry_extend(
        enquiry=ctx.case,
        new_due_date=form.cleaned_data["new_due_date"],
        reason=form.cleaned_data["reason"],
        actor=ctx.actor,
    )


def _offer_complaint(ctx: StepContext, form) -> str:
    data = form.cleaned_data
    complaint = services.enquiry_record_complaint_offer(
        enquiry=ctx.case,
        actor=ctx.actor,
        choice=data["choice"],
        summary=data["summary"],
        keep_enquiry_open=data["keep_enquiry_open"],
    )
    if complaint is None:
        return "Recorded: the customer does not want to complain."
    return f"Complaint {complaint.reference} opened, received {london_date(complaint.opened_at)}."


ENQUIRY_STEPS = [
    Step(
        name="acknowledge",
        title="Acknowledge",
        form_class=AcknowledgeForm,
        run=_acknowledge,
        success_message="Acknowledged. The customer has been told when to expect the answer.",
        available=_unacknowledged_in_writing,
    ),
    Step(
        name="contact_back",
        title="Record the contact back",
        form_class=ContactBackForm,
        run=_contact_back,
        success_message="Contact recorded.",
        available=_clock_running(services.CONTACT_BACK),
    ),
    Step(
        name="answer",
        title="Answer in full",
        form_class=AnswerForm,
        run=_answer,
        success_message="Answer sent. The enquiry is closed.",
        available=_is_open,
    ),
    Step(
        name="refer",
        title="Refer to another team",
        form_class=ReferForm,
        run=_refer,
        success_message="Referred. The customer has been told which team has it.",
        available=_is_open,
    ),
    Step(
        name="extend",
        title="Extend the date for the answer",
        form_class=ExtendForm,
        run=_extend,
        success_message="The new date is set and the customer has been told why.",
        available=_clock_running(services.RESPOND),
    ),
    Step(
        name="complaint",
        title="Offer the customer a complaint",
        form_class=ComplaintOfferForm,
        run=_offer_complaint,
        success_message="Recorded.",
        available=_not_yet_a_complaint,
    ),
]


def register() -> None:
    register_steps(
        Enquiry,
        ENQUIRY_STEPS,
        refusals=(InvalidTransition,),
        load_state=_open_clocks,
        summary=_summary,
        select_related=("customer", "property", "team"),
    )
