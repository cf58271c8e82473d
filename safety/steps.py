"""The staff steps of a safety report, registered with ``casework.steps`` from
``SafetyConfig.ready``: deal with a fire or items in a shared area, decide an alteration."""

from __future__ import annotations

from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from safety import services
from safety.forms import DealtWithForm, DecideForm
from safety.models import ReportKind, SafetyReport


def _summary(report: SafetyReport, state: object) -> str:
    return (
        f"{report.reference}: {report.display_title}. {report.customer.full_name}, "
        f"{report.property.full_address}."
    )


def _open_report(ctx: StepContext) -> bool:
    return ctx.case.is_open and ctx.case.kind != ReportKind.ALTERATION


def _open_alteration(ctx: StepContext) -> bool:
    return ctx.case.is_open and ctx.case.kind == ReportKind.ALTERATION


def _deal_with(ctx: StepContext, form) -> None:
    services.safety_report_deal_with(
        report=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"]
    )


def _decide(ctx: StepContext, form) -> None:
    services.alteration_decide(
        report=ctx.case,
        actor=ctx.actor,
        approved=form.cleaned_data["decision"] == "approve",
        reason=form.cleaned_data["reason"],
    )


SAFETY_REPORT_STEPS = [
    Step(
        name="deal_with",
        title="Record what was done",
        form_class=DealtWithForm,
        run=_deal_with,
        success_message="Recorded as dealt with.",
        available=_open_report,
    ),
    Step(
        name="decide",
        title="Decide the request to alter the home",
        form_class=DecideForm,
        run=_decide,
        success_message="The decision is recorded and the household told.",
        available=_open_alteration,
    ),
]


def register() -> None:
    register_steps(
        SafetyReport,
        SAFETY_REPORT_STEPS,
        refusals=(services.SafetyRefused, InvalidTransition),
        summary=_summary,
        select_related=("customer", "property"),
    )
