"""Staff steps on a neighbourhood report (the shared step framework, ``casework.steps``)."""

from __future__ import annotations

from django import forms

from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from neighbourhoods.models import NeighbourhoodReport
from neighbourhoods.services import NeighbourhoodRuleBroken, report_mark_done


class DoneForm(forms.Form):
    note = forms.CharField(
        label="What was done (the resident sees this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


def _open(ctx: StepContext) -> bool:
    return ctx.case.closed_at is None


def _done(ctx: StepContext, form: DoneForm) -> None:
    report_mark_done(report=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"])


REPORT_STEPS = [
    Step(
        name="done",
        title="Record that it was put right",
        form_class=DoneForm,
        run=_done,
        success_message="Recorded. The resident sees it on their timeline and the report is closed.",
        available=_open,
    ),
]


def register() -> None:
    register_steps(
        NeighbourhoodReport,
        REPORT_STEPS,
        refusals=(InvalidTransition, NeighbourhoodRuleBroken),
        select_related=("customer", "property", "team"),
    )
