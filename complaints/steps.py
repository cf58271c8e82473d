"""The staff steps of a complaint (the Code's stages, Quick Resolution, learning, actions),
registered with ``casework.steps`` from ``ComplaintsConfig.ready``: each is a form whose values go
to one service; a refusal shows the service's reasons on the form."""

from __future__ import annotations

from casework.models import ReceivedBy
from casework.steps import Step, StepContext, register_steps
from complaints import forms as complaint_forms
from complaints import letters
from complaints.models import (
    UPHELD_OUTCOMES,
    Complaint,
    ComplaintLetter,
    ComplaintStatus,
    LetterKind,
)
from complaints.services import (
    ComplaintRuleBroken,
    complaint_acknowledge,
    complaint_action_update,
    complaint_assign,
    complaint_close,
    complaint_continue_as_formal,
    complaint_define,
    complaint_escalate,
    complaint_extend,
    complaint_learning_record,
    complaint_refuse,
    complaint_respond,
    complaint_response_save_draft,
)

S = ComplaintStatus

# Which steps a complaint offers in each status (assigning is offered until it is closed).
STEPS_BY_STATUS: dict[str, list[str]] = {
    S.QUICK_RESOLUTION: ["define", "respond", "continue_formal", "refuse"],
    S.STAGE1_RECEIVED: ["acknowledge", "refuse"],
    S.STAGE1_INVESTIGATING: ["define", "respond", "extend", "refuse"],
    S.STAGE1_RESPONDED: ["escalate", "close", "learning", "action_update"],
    S.STAGE2_RECEIVED: ["acknowledge"],
    S.STAGE2_INVESTIGATING: ["define", "respond", "extend"],
    S.STAGE2_RESPONDED: ["close", "learning", "action_update"],
    S.CLOSED: ["escalate", "learning", "action_update"],
    S.REFUSED: [],
}


def _in_status(name: str):
    def available(ctx: StepContext) -> bool:
        return name in STEPS_BY_STATUS.get(ctx.case.status, [])

    return available


def _may_escalate(ctx: StepContext) -> bool:
    complaint = ctx.case
    return _in_status("escalate")(ctx) and complaint.stage == 1 and not complaint.is_refused


def _may_record_learning(ctx: StepContext) -> bool:
    return _in_status("learning")(ctx) and ctx.case.final_outcome in UPHELD_OUTCOMES


def _is_open(ctx: StepContext) -> bool:
    return ctx.case.closed_at is None


# -- acknowledge and define ---------------------------------------------------------------------


def _acknowledge_initial(ctx: StepContext) -> dict:
    complaint = ctx.case
    wanted = complaint.outcome_wanted if complaint.stage == 1 else complaint.escalation_note
    return {"initial": {"outcomes_sought": wanted}}


def _acknowledge(ctx: StepContext, form) -> None:
    complaint_acknowledge(
        complaint=ctx.case,
        actor=ctx.actor,
        issues=form.issue_list(),
        outcomes_sought=form.cleaned_data["outcomes_sought"],
        handler=form.cleaned_data.get("handler"),
    )


def _define_initial(ctx: StepContext) -> dict:
    complaint = ctx.case
    points = complaint.points.filter(stage=complaint.stage)
    return {
        "initial": {
            "issues": "\n".join(p.issue for p in points),
            "outcomes_sought": complaint.outcomes_sought(complaint.stage)
            or complaint.outcome_wanted,
        }
    }


def _define(ctx: StepContext, form) -> None:
    complaint_define(
        complaint=ctx.case,
        actor=ctx.actor,
        issues=form.issue_list(),
        outcomes_sought=form.cleaned_data["outcomes_sought"],
    )


# -- the response letter ------------------------------------------------------------------------


def _points(ctx: StepContext) -> list:
    return list(ctx.case.points.filter(stage=ctx.case.stage))


def _draft_letter(ctx: StepContext) -> ComplaintLetter | None:
    return ComplaintLetter.objects.filter(
        complaint=ctx.case, stage=ctx.case.stage, kind=LetterKind.RESPONSE, sent_at__isnull=True
    ).first()


def _respond_form_kwargs(ctx: StepContext) -> dict:
    points = _points(ctx)
    draft_letter = _draft_letter(ctx)
    initial = complaint_forms.ResponseForm.initial_from(draft_letter, points)
    if draft_letter is None:
        initial.update(
            {
                "escalation_text": letters.default_escalation_text(ctx.case),
                "ombudsman_text": letters.default_ombudsman_text(),
            }
        )
    return {"points": points, "stage": ctx.case.stage, "initial": initial}


def _respond_page(ctx: StepContext) -> dict:
    draft_letter = _draft_letter(ctx)
    return {
        "draft_missing": draft_letter.missing_parts() if draft_letter else None,
        "points": _points(ctx),
    }


def _respond(ctx: StepContext, form) -> str:
    # Two buttons: "send" sends the letter (the Code's checks apply); anything else saves it.
    if "send" in ctx.data:
        complaint_respond(complaint=ctx.case, actor=ctx.actor, draft=form.draft())
        return "Response sent to the customer."
    complaint_response_save_draft(complaint=ctx.case, actor=ctx.actor, draft=form.draft())
    return "Draft saved: not sent."


# -- the rest -----------------------------------------------------------------------------------


def _extend(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    complaint_extend(
        complaint=ctx.case,
        actor=ctx.actor,
        new_due_date=data["new_due_date"],
        reason=data["reason"],
        good_reason=data["good_reason"],
    )


def _escalate(ctx: StepContext, form) -> None:
    complaint_escalate(
        complaint=ctx.case,
        actor=ctx.actor,
        received_by=form.cleaned_data["received_by"],
        note=form.cleaned_data["note"],
    )


def _close(ctx: StepContext, form) -> None:
    complaint_close(complaint=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"])


def _refuse(ctx: StepContext, form) -> None:
    complaint_refuse(
        complaint=ctx.case,
        actor=ctx.actor,
        reason=form.cleaned_data["reason"],
        explanation=form.cleaned_data["explanation"],
    )


def _continue_formal(ctx: StepContext, form) -> None:
    complaint_continue_as_formal(
        complaint=ctx.case,
        actor=ctx.actor,
        reason=form.cleaned_data["reason"],
        note=form.cleaned_data["note"],
    )


def _learning(ctx: StepContext, form) -> None:
    complaint_learning_record(
        complaint=ctx.case,
        actor=ctx.actor,
        lesson=form.cleaned_data["lesson"],
        improvement=form.cleaned_data["improvement"],
    )


def _open_actions(ctx: StepContext) -> list:
    return list(ctx.case.actions.filter(letter__sent_at__isnull=False, completed_at__isnull=True))


def _action_update(ctx: StepContext, form) -> None:
    chosen = form.cleaned_data["action"]
    action = next(a for a in _open_actions(ctx) if str(a.pk) == chosen)
    complaint_action_update(
        action=action,
        actor=ctx.actor,
        note=form.cleaned_data["note"],
        completed=form.cleaned_data["completed"],
    )


def _assign(ctx: StepContext, form) -> None:
    complaint_assign(complaint=ctx.case, assignee=form.cleaned_data["assignee"], actor=ctx.actor)


def _summary(complaint: Complaint, state: object) -> str:
    stage = (
        "Quick Resolution (stage 1)"
        if complaint.status == S.QUICK_RESOLUTION
        else f"Stage {complaint.stage}, {complaint.get_status_display().lower()}"
    )
    return f"{complaint.reference}: {complaint.subject}. {complaint.customer.full_name}. {stage}."


COMPLAINT_STEPS = [
    Step(
        name="acknowledge",
        title="Acknowledge with the definition",
        form_class=complaint_forms.AcknowledgeForm,
        run=_acknowledge,
        success_message="Acknowledged: the customer has been sent the definition.",
        available=_in_status("acknowledge"),
        form_kwargs=_acknowledge_initial,
    ),
    Step(
        name="define",
        title="Record or change the definition",
        form_class=complaint_forms.DefinitionForm,
        run=_define,
        success_message="Definition recorded.",
        available=_in_status("define"),
        form_kwargs=_define_initial,
    ),
    Step(
        name="respond",
        title="Write and send the response",
        form_class=complaint_forms.ResponseForm,
        run=_respond,
        success_message="Response sent to the customer.",
        available=_in_status("respond"),
        form_kwargs=_respond_form_kwargs,
        page_context=_respond_page,
        fields_template="complaints/admin/_response_fields.html",
    ),
    Step(
        name="extend",
        title="Extend the response date",
        form_class=complaint_forms.ExtendForm,
        run=_extend,
        success_message=(
            "Response date extended; the customer has been told why, with the Ombudsman's details."
        ),
        available=_in_status("extend"),
    ),
    Step(
        name="continue_formal",
        title="Continue as a formal complaint",
        form_class=complaint_forms.ContinueFormalForm,
        run=_continue_formal,
        success_message="Now a formal stage 1 complaint, timed from the original receipt.",
        available=_in_status("continue_formal"),
    ),
    Step(
        name="escalate",
        title="Log a Final Review request",
        form_class=complaint_forms.StaffEscalateForm,
        run=_escalate,
        success_message="Final Review request logged.",
        available=_may_escalate,
        form_kwargs=lambda ctx: {"initial": {"received_by": ReceivedBy.PHONE}},
    ),
    Step(
        name="close",
        title="Close",
        form_class=complaint_forms.CloseForm,
        run=_close,
        success_message="Complaint closed.",
        available=_in_status("close"),
    ),
    Step(
        name="refuse",
        title="Refuse (not accepted)",
        form_class=complaint_forms.RefuseForm,
        run=_refuse,
        success_message="Complaint refused; the customer has been told how to challenge it.",
        available=_in_status("refuse"),
    ),
    Step(
        name="learning",
        title="Record learning",
        form_class=complaint_forms.LearningForm,
        run=_learning,
        success_message="Learning recorded.",
        available=_may_record_learning,
    ),
    Step(
        name="action_update",
        title="Update on a promised action",
        form_class=complaint_forms.ActionUpdateForm,
        run=_action_update,
        success_message="Update sent to the customer.",
        available=_in_status("action_update"),
        form_kwargs=lambda ctx: {"actions": _open_actions(ctx)},
    ),
    Step(
        name="assign",
        title="Assign",
        form_class=complaint_forms.AssignForm,
        run=_assign,
        success_message="Assigned.",
        available=_is_open,
        form_kwargs=lambda ctx: {"initial": {"assignee": ctx.case.assignee}},
    ),
]


def register() -> None:
    register_steps(
        Complaint,
        COMPLAINT_STEPS,
        refusals=(ComplaintRuleBroken,),
        summary=_summary,
        select_related=("customer",),
    )
