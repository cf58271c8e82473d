"""The staff steps of a repair (assign, book, the appointment's outcomes, completion, the
builder's response, every Awaab's Law step) and of a home's planned works, registered with
``casework.steps`` from ``RepairsConfig.ready``. Each step calls one service."""

from __future__ import annotations

from dataclasses import dataclass

from casework.services import case_add_note
from casework.steps import Step, StepContext, register_steps
from repairs import selectors, services, staff_forms
from repairs.models import (
    Appointment,
    AppointmentStatus,
    Hazard,
    PlannedWork,
    PlannedWorkStatus,
    Repair,
    RepairStatus,
)
from repairs.services import FollowOn, RepairRefused

S = RepairStatus
F = staff_forms


@dataclass(frozen=True)
class RepairState:
    """What the repair's steps need besides the repair: its booked appointment and its Awaab's
    Law record, read once per page."""

    appointment: Appointment | None
    hazard: Hazard | None


def _load_state(repair: Repair) -> RepairState:
    return RepairState(
        appointment=repair.appointments.filter(status=AppointmentStatus.BOOKED).first(),
        hazard=getattr(repair, "hazard", None),
    )


def _summary(repair: Repair, state: RepairState) -> str:
    customer = repair.customer
    line = (
        f"{repair.reference}: {repair.title} ({repair.get_priority_display().lower()}). "
        f"{customer.full_name}, {customer.household.property.full_address}. {repair.status_label}."
    )
    if state.appointment is not None:
        line += f" Appointment: {state.appointment}."
    return line


# -- when each step applies (the services check again) -----------------------------------------


def _working(ctx: StepContext) -> bool:
    repair = ctx.case
    return repair.closed_at is None and repair.status not in (S.COMPLETED, S.CANCELLED)


def _bookable(ctx: StepContext) -> bool:
    repair = ctx.case
    return _working(ctx) and not repair.is_emergency and repair.status in services.BOOKABLE_STATUSES


def _has_appointment(ctx: StepContext) -> bool:
    return _working(ctx) and ctx.state.appointment is not None


def _awaiting_builder(ctx: StepContext) -> bool:
    repair = ctx.case
    return _working(ctx) and repair.is_defect and repair.builder_responded_at is None


def _open_hazard(ctx: StepContext) -> Hazard | None:
    return ctx.state.hazard if ctx.case.closed_at is None else None


def _not_investigated(ctx: StepContext) -> bool:
    hazard = _open_hazard(ctx)
    return hazard is not None and hazard.investigated_at is None


def _summary_due(ctx: StepContext) -> bool:
    hazard = _open_hazard(ctx)
    return hazard is not None and hazard.investigated_at is not None and not hazard.summary_sent_at


def _further_works_to_start(ctx: StepContext) -> bool:
    hazard = _open_hazard(ctx)
    return (
        hazard is not None
        and hazard.investigated_at is not None
        and hazard.further_works_needed
        and hazard.further_works_started_at is None
    )


def _further_works_to_finish(ctx: StepContext) -> bool:
    hazard = _open_hazard(ctx)
    return (
        hazard is not None
        and hazard.investigated_at is not None
        and bool(hazard.further_works_started_at)
        and not hazard.further_works_completed_at
    )


def _not_made_safe(ctx: StepContext) -> bool:
    hazard = _open_hazard(ctx)
    return hazard is not None and hazard.made_safe_at is None and hazard.finding != "none"


# -- what each step does ------------------------------------------------------------------------


def _assign(ctx: StepContext, form) -> None:
    services.repair_assign(
        repair=ctx.case,
        actor=ctx.actor,
        operative=form.cleaned_data["operative"],
        contractor=form.cleaned_data["contractor"],
    )


def _book_form_kwargs(ctx: StepContext) -> dict:
    repair = ctx.case
    return {
        "slots": selectors.available_slots(trade=repair.trade, patch=repair.patch),
        "due_day": services.visit_due_day(repair),
    }


def _book(ctx: StepContext, form) -> str:
    repair = ctx.case
    slot = selectors.bookable_slot(
        slot_id=int(form.cleaned_data["slot"]), trade=repair.trade, patch=repair.patch
    )
    if slot is None:
        raise RepairRefused("That slot is no longer available.")
    booked = services.appointment_book(
        repair=repair,
        slot=slot,
        actor=ctx.actor,
        after_due_reason=form.cleaned_data["after_due_reason"],
    )
    return f"Booked: {booked}. The customer has been told."


def _cannot_keep(ctx: StepContext, form) -> None:
    services.appointment_cancel(
        appointment=ctx.state.appointment,
        by_customer=False,
        actor=ctx.actor,
        reason=form.cleaned_data["reason"],
    )


def _no_access(ctx: StepContext, form) -> None:
    services.appointment_record_no_access(
        appointment=ctx.state.appointment, actor=ctx.actor, note=form.cleaned_data["note"]
    )


def _missed(ctx: StepContext, form) -> None:
    services.appointment_record_missed(
        appointment=ctx.state.appointment, actor=ctx.actor, reason=form.cleaned_data["reason"]
    )


def _attended(ctx: StepContext, form) -> None:
    services.repair_record_attended(
        repair=ctx.case,
        actor=ctx.actor,
        made_safe=form.cleaned_data["made_safe"],
        note=form.cleaned_data["note"],
    )


def _completed(ctx: StepContext, form) -> str:
    data = form.cleaned_data
    follow_on = (
        FollowOn(description=data["follow_on"], priority=data["follow_on_priority"])
        if data["follow_on"].strip()
        else None
    )
    new = services.repair_record_completed(
        repair=ctx.case,
        actor=ctx.actor,
        first_time_fix=data["first_time_fix"],
        note=data["note"],
        follow_on=follow_on,
    )
    return "Completed." + (f" Follow-on repair {new.reference} raised." if new else "")


def _builder(ctx: StepContext, form) -> None:
    services.repair_record_builder_response(
        repair=ctx.case,
        actor=ctx.actor,
        response=form.cleaned_data["response"],
        builder_will_repair=form.cleaned_data["builder_will_repair"],
    )


def _investigation(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    services.hazard_record_investigation(
        hazard=ctx.state.hazard,
        actor=ctx.actor,
        finding=data["finding"],
        findings=data["findings"],
        further_works_needed=data["further_works_needed"],
    )


def _send_summary(ctx: StepContext, form) -> None:
    services.hazard_send_summary(
        hazard=ctx.state.hazard, actor=ctx.actor, summary=form.cleaned_data["summary"]
    )


def _made_safe(ctx: StepContext, form) -> None:
    services.hazard_record_made_safe(
        hazard=ctx.state.hazard, actor=ctx.actor, note=form.cleaned_data["note"]
    )


def _further_works(ctx: StepContext, form) -> None:
    services.hazard_record_further_works(
        hazard=ctx.state.hazard,
        actor=ctx.actor,
        physically_started=form.cleaned_data["physically_started"],
        note=form.cleaned_data["note"],
    )


def _further_works_done(ctx: StepContext, form) -> None:
    services.hazard_record_further_works_completed(hazard=ctx.state.hazard, actor=ctx.actor)


def _note(ctx: StepContext, form) -> None:
    if not form.cleaned_data["note"].strip():
        raise RepairRefused("Write the note.")
    case_add_note(
        case=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"], visible_to_customer=False
    )


def _cancel(ctx: StepContext, form) -> None:
    services.repair_cancel(repair=ctx.case, actor=ctx.actor, reason=form.cleaned_data["reason"])


REPAIR_STEPS = [
    Step(
        name="assign",
        title="Assign an operative or contractor",
        form_class=F.AssignForm,
        run=_assign,
        success_message="Assigned.",
        available=_working,
        form_kwargs=lambda ctx: {"trade": ctx.case.trade},
    ),
    Step(
        name="book",
        title="Book or move the appointment",
        form_class=F.BookForm,
        run=_book,
        success_message="Booked. The customer has been told.",
        available=_bookable,
        form_kwargs=_book_form_kwargs,
    ),
    Step(
        name="cannot_keep",
        title="We can't keep the appointment",
        form_class=F.ReasonForm,
        run=_cannot_keep,
        success_message="Appointment cancelled; the customer has been told and asked to rebook.",
        available=_has_appointment,
    ),
    Step(
        name="no_access",
        title="Record no access",
        form_class=F.NoteForm,
        run=_no_access,
        success_message="No access recorded; the repair stays open to rebook.",
        available=_has_appointment,
    ),
    Step(
        name="missed",
        title="Record a missed appointment",
        form_class=F.ReasonForm,
        run=_missed,
        success_message="Missed appointment recorded; the customer has been told.",
        available=_has_appointment,
    ),
    Step(
        name="attended",
        title="Record attended",
        form_class=F.AttendedForm,
        run=_attended,
        success_message="Attendance recorded.",
        available=_working,
    ),
    Step(
        name="completed",
        title="Record completed",
        form_class=F.CompletedForm,
        run=_completed,
        success_message="Completed.",
        available=_working,
    ),
    Step(
        name="builder",
        title="Record the builder's response",
        form_class=F.BuilderResponseForm,
        run=_builder,
        success_message="Builder's response recorded; the customer has been told.",
        available=_awaiting_builder,
    ),
    Step(
        name="investigation",
        title="Record the hazard investigation",
        form_class=F.InvestigationForm,
        run=_investigation,
        success_message="Investigation recorded. Send the written summary within 3 working days.",
        available=_not_investigated,
    ),
    Step(
        name="summary",
        title="Send the written summary",
        form_class=F.SummaryForm,
        run=_send_summary,
        success_message="Written summary sent to the tenant.",
        available=_summary_due,
    ),
    Step(
        name="further_works",
        title="Record further works started",
        form_class=F.FurtherWorksForm,
        run=_further_works,
        success_message="Further works recorded.",
        available=_further_works_to_start,
    ),
    Step(
        name="further_works_done",
        title="Record further works completed",
        form_class=F.EmptyForm,
        run=_further_works_done,
        success_message="Further works completed.",
        available=_further_works_to_finish,
    ),
    Step(
        name="made_safe",
        title="Record made safe",
        form_class=F.NoteForm,
        run=_made_safe,
        success_message="Made safe recorded.",
        available=_not_made_safe,
    ),
    Step(
        name="note",
        title="Add a note",
        form_class=F.NoteForm,
        run=_note,
        success_message="Note added.",
    ),
    Step(
        name="cancel",
        title="Cancel the repair",
        form_class=F.ReasonForm,
        run=_cancel,
        success_message="Repair cancelled; the customer has been told.",
        available=_working,
    ),
]


# -- planned works: one home's place in a programme ---------------------------------------------


def _in_status(status: str):
    def available(ctx: StepContext) -> bool:
        return ctx.case.status == status

    return available


def _end_consultation(ctx: StepContext, form) -> None:
    services.planned_work_end_consultation(
        work=ctx.case, observations=form.cleaned_data["observations"], actor=ctx.actor
    )


def _book_inspection(ctx: StepContext, form) -> None:
    services.planned_work_book_inspection(
        work=ctx.case,
        date=form.cleaned_data["date"],
        window=form.cleaned_data["window"],
        actor=ctx.actor,
    )


def _record_inspection(ctx: StepContext, form) -> None:
    services.planned_work_record_inspection(
        work=ctx.case, confirmed_works=form.cleaned_data["confirmed_works"], actor=ctx.actor
    )


def _book_works(ctx: StepContext, form) -> None:
    services.planned_work_book(
        work=ctx.case,
        date=form.cleaned_data["date"],
        window=form.cleaned_data["window"],
        actor=ctx.actor,
    )


def _complete_works(ctx: StepContext, form) -> None:
    services.planned_work_complete(work=ctx.case, actor=ctx.actor)


PLANNED_DONE = "Done; the household has been told."

PLANNED_WORK_STEPS = [
    Step(
        name="end_consultation",
        title="End the consultation",
        form_class=F.ObservationsForm,
        run=_end_consultation,
        success_message=PLANNED_DONE,
        available=_in_status(PlannedWorkStatus.CONSULTING),
    ),
    Step(
        name="book_inspection",
        title="Book the survey",
        form_class=F.DateWindowForm,
        run=_book_inspection,
        success_message=PLANNED_DONE,
        available=_in_status(PlannedWorkStatus.TO_INSPECT),
    ),
    Step(
        name="record_inspection",
        title="Record the survey and confirm the works",
        form_class=F.ConfirmedWorksForm,
        run=_record_inspection,
        success_message=PLANNED_DONE,
        available=_in_status(PlannedWorkStatus.INSPECTION_BOOKED),
    ),
    Step(
        name="book_works",
        title="Book the works",
        form_class=F.DateWindowForm,
        run=_book_works,
        success_message=PLANNED_DONE,
        available=_in_status(PlannedWorkStatus.CONFIRMED),
    ),
    Step(
        name="complete",
        title="Record the works completed",
        form_class=F.EmptyForm,
        run=_complete_works,
        success_message=PLANNED_DONE,
        available=_in_status(PlannedWorkStatus.BOOKED),
    ),
]


def _planned_summary(work: PlannedWork, state: object) -> str:
    return f"{work.programme.name}: {work.property}. {work.get_status_display()}."


def register() -> None:
    register_steps(
        Repair,
        REPAIR_STEPS,
        refusals=(RepairRefused,),
        load_state=_load_state,
        summary=_summary,
        select_related=("customer__tenancy__property", "hazard"),
    )
    register_steps(
        PlannedWork,
        PLANNED_WORK_STEPS,
        refusals=(RepairRefused,),
        summary=_planned_summary,
        select_related=("programme", "property"),
    )
