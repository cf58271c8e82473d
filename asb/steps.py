"""The ASB team's steps on a case, registered with ``casework.steps`` from ``AsbConfig.ready``:
each is a form whose values go to one service; a refusal shows the service's reasons."""

from __future__ import annotations

from asb import forms as asb_forms
from asb import selectors
from asb.models import AsbCase, AsbStatus
from asb.services import (
    AsbRuleBroken,
    action_add,
    action_done,
    asb_acknowledge,
    asb_assess_risk,
    asb_close,
    close_answer,
    close_ask,
    diary_add,
    other_party_link,
    review_set,
    tool_record,
)
from casework.steps import Step, StepContext, register_steps

S = AsbStatus
# Steps that contact the reporter show their safe-contact answers above the form.
SAFE_CONTACT_FIELDS = "asb/admin/_safe_contact_step_fields.html"


def _status(*statuses: str):
    def available(ctx: StepContext) -> bool:
        return ctx.case.status in statuses

    return available


def _open(ctx: StepContext) -> bool:
    return ctx.case.closed_at is None


def _has_actions_to_do(ctx: StepContext) -> bool:
    return (
        ctx.case.status == S.INVESTIGATING
        and ctx.case.actions.filter(done_at__isnull=True).exists()
    )


def _acknowledge(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    asb_acknowledge(
        case=ctx.case,
        actor=ctx.actor,
        contacted_by=data["contacted_by"],
        risk=data["risk"],
        note=data["note"],
    )


def _risk(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    asb_assess_risk(
        case=ctx.case, actor=ctx.actor, risk=data["risk"], refer_to_marac=data["refer_to_marac"]
    )


def _action_kwargs(ctx: StepContext) -> dict:
    return {"owners": selectors.asb_officers()}


def _action(ctx: StepContext, form) -> str:
    data = form.cleaned_data
    action = action_add(
        case=ctx.case,
        actor=ctx.actor,
        description=data["description"],
        owner=data["owner"],
        due_on=data["due_on"],
    )
    return f"Action added: {action.description}."


def _done_kwargs(ctx: StepContext) -> dict:
    return {"actions": ctx.case.actions.filter(done_at__isnull=True)}


def _done(ctx: StepContext, form) -> None:
    action_done(action=form.cleaned_data["action"], actor=ctx.actor)


def _review(ctx: StepContext, form) -> None:
    review_set(case=ctx.case, actor=ctx.actor, review_on=form.cleaned_data["review_on"])


def _tool(ctx: StepContext, form) -> None:
    tool_record(
        case=ctx.case,
        actor=ctx.actor,
        tool=form.cleaned_data["tool"],
        note=form.cleaned_data["note"],
    )


def _link(ctx: StepContext, form) -> None:
    reference = form.cleaned_data["tenancy_reference"].strip()
    tenancy = None
    if reference:
        tenancy = selectors.tenancy_by_reference(reference)
        if tenancy is None:
            raise AsbRuleBroken("No tenancy has that reference")
    other_party_link(case=ctx.case, actor=ctx.actor, tenancy=tenancy)


def _diary(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    diary_add(
        case=ctx.case,
        happened_on=data["happened_on"],
        what_happened=data["what_happened"],
        added_by=ctx.actor,
    )


def _ask(ctx: StepContext, form) -> None:
    close_ask(case=ctx.case, actor=ctx.actor)


def _consent(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    close_answer(case=ctx.case, agrees=data["agrees"], actor=ctx.actor, note=data["note"])


def _close(ctx: StepContext, form) -> None:
    data = form.cleaned_data
    asb_close(case=ctx.case, actor=ctx.actor, reason=data["reason"], note=data["note"])


ASB_STEPS = [
    Step(
        name="acknowledge",
        title="Acknowledge through the safe contact and assess the risk",
        form_class=asb_forms.AcknowledgeForm,
        run=_acknowledge,
        success_message="Acknowledged: the clock is met.",
        available=_status(S.RECEIVED),
        fields_template=SAFE_CONTACT_FIELDS,
    ),
    Step(
        name="risk",
        title="Assess the risk again (and refer to MARAC)",
        form_class=asb_forms.RiskForm,
        run=_risk,
        success_message="Risk recorded.",
        available=_open,
    ),
    Step(
        name="action",
        title="Add an action to the action plan",
        form_class=asb_forms.ActionForm,
        run=_action,
        success_message="Action added.",
        available=_status(S.INVESTIGATING),
        form_kwargs=_action_kwargs,
    ),
    Step(
        name="action_done",
        title="Mark an action done",
        form_class=asb_forms.ActionDoneForm,
        run=_done,
        success_message="Action marked done.",
        available=_has_actions_to_do,
        form_kwargs=_done_kwargs,
    ),
    Step(
        name="review",
        title="Set the next review date",
        form_class=asb_forms.ReviewForm,
        run=_review,
        success_message="Review date set.",
        available=_open,
    ),
    Step(
        name="tool",
        title="Record a tool used",
        form_class=asb_forms.ToolForm,
        run=_tool,
        success_message="Recorded.",
        available=_status(S.INVESTIGATING, S.CLOSING),
    ),
    Step(
        name="link",
        title="Link to the alleged perpetrator's tenancy",
        form_class=asb_forms.OtherPartyForm,
        run=_link,
        success_message="Link saved.",
        available=_open,
    ),
    Step(
        name="diary",
        title="Add a diary entry the reporter gave",
        form_class=asb_forms.OfficerDiaryForm,
        run=_diary,
        success_message="Diary entry added.",
        available=_open,
    ),
    Step(
        name="ask_close",
        title="Ask the reporter whether we may close",
        form_class=asb_forms.NoFieldsForm,
        run=_ask,
        success_message="The reporter has been asked.",
        available=_status(S.INVESTIGATING),
        fields_template=SAFE_CONTACT_FIELDS,
    ),
    Step(
        name="consent",
        title="Record the reporter's answer about closing",
        form_class=asb_forms.ConsentForm,
        run=_consent,
        success_message="Answer recorded.",
        available=_status(S.CLOSING),
        fields_template=SAFE_CONTACT_FIELDS,
    ),
    Step(
        name="close",
        title="Close the case",
        form_class=asb_forms.CloseForm,
        run=_close,
        success_message="Case closed; the reporter has been asked how we did.",
        available=_status(S.CLOSING),
    ),
]


def _summary(case: AsbCase, state) -> str:
    return f"{case.reference}: {case.get_kind_display()}"


def register() -> None:
    register_steps(
        AsbCase,
        ASB_STEPS,
        refusals=(AsbRuleBroken,),
        summary=_summary,
        select_related=("customer",),
    )
