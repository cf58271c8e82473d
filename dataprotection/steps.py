"""The staff steps of a request about a person's data, registered with ``casework.steps`` from
``DataprotectionConfig.ready``: each is a form whose values go to one service."""

from __future__ import annotations

from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from dataprotection import selectors, services
from dataprotection.forms import (
    AnswerForm,
    ConfirmForm,
    ExtendForm,
    IdentityConfirmedForm,
    NoteForm,
    RedactionForm,
    RepresentativeForm,
)
from dataprotection.models import DataRequest, RequestKind, RequestStatus

S = RequestStatus


def _summary(request: DataRequest, state: object) -> str:
    return (
        f"{request.reference}: {request.display_title}. {request.customer.full_name}. "
        f"{request.status_label}."
    )


def _status_in(*statuses: str, kinds: tuple[str, ...] = ()):
    def available(ctx: StepContext) -> bool:
        return ctx.case.status in statuses and (not kinds or ctx.case.kind in kinds)

    return available


def _reviewing(ctx: StepContext) -> bool:
    """The pack is under review and not yet released for building."""
    return (
        ctx.case.status == S.IN_REVIEW
        and ctx.case.kind in SAR
        and ctx.case.release_started_at is None
    )


def _identity_ask(ctx: StepContext, form) -> None:
    services.identity_ask(request=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"])


def _identity_confirm(ctx: StepContext, form) -> None:
    services.identity_confirm(request=ctx.case, actor=ctx.actor, how=form.cleaned_data["how"])


def _gather(ctx: StepContext, form) -> None:
    services.gathering_start(request=ctx.case, actor=ctx.actor)


def _redact(ctx: StepContext, form) -> None:
    services.redaction_add(request=ctx.case, actor=ctx.actor, **form.cleaned_data)


def _release(ctx: StepContext, form) -> None:
    services.pack_release_start(request=ctx.case, actor=ctx.actor)


def _new_link(ctx: StepContext, form) -> None:
    services.pack_link_issue(request=ctx.case, actor=ctx.actor)


def _acknowledge(ctx: StepContext, form) -> None:
    services.complaint_acknowledge(
        request=ctx.case, actor=ctx.actor, note=form.cleaned_data["note"]
    )


def _answer(ctx: StepContext, form) -> None:
    services.request_answer(request=ctx.case, actor=ctx.actor, answer=form.cleaned_data["answer"])


def _answer_initial(ctx: StepContext) -> dict:
    if ctx.case.kind == RequestKind.ERASURE:
        return {"initial": {"answer": selectors.erasure_assessment_text(ctx.case.customer)}}
    if ctx.case.kind == RequestKind.COMPLAINT:
        return {"initial": {"answer": f"\n\n{services.ICO_RIGHT}"}}
    return {}


def _extend(ctx: StepContext, form) -> None:
    services.extend_complex(request=ctx.case, actor=ctx.actor, reason=form.cleaned_data["reason"])


def _representative(ctx: StepContext, form) -> None:
    representative = selectors.representative_by_email(form.cleaned_data["email"])
    if representative is None:
        raise services.RequestRefused("Nobody with a sign-in has that email address.")
    services.representative_record(
        request=ctx.case,
        actor=ctx.actor,
        representative=representative,
        authority=form.cleaned_data["authority"],
    )


OPEN = (S.RECEIVED, S.IDENTITY_CONFIRMED, S.GATHERING, S.IN_REVIEW, S.ACKNOWLEDGED)
SAR = (RequestKind.SUBJECT_ACCESS,)
ANSWERED_BY_LETTER = (RequestKind.CORRECTION, RequestKind.ERASURE, RequestKind.COMPLAINT)

STEPS = [
    Step(
        name="identity_ask",
        title="Ask for proof of identity (stops the clock)",
        form_class=NoteForm,
        run=_identity_ask,
        success_message="Asked. The clock is stopped until the proof arrives.",
        available=_status_in(S.RECEIVED, S.IDENTITY_CONFIRMED),
    ),
    Step(
        name="identity_confirm",
        title="Record the identity as confirmed",
        form_class=IdentityConfirmedForm,
        run=_identity_confirm,
        success_message="Identity confirmed. A stopped clock runs again.",
        available=_status_in(S.RECEIVED, S.AWAITING_IDENTITY),
    ),
    Step(
        name="representative",
        title="Record an authorised representative",
        form_class=RepresentativeForm,
        run=_representative,
        success_message="Recorded. They may download the pack when it is released.",
        available=_status_in(*OPEN, kinds=SAR),
    ),
    Step(
        name="gather",
        title="Gather the data from every area",
        form_class=ConfirmForm,
        run=_gather,
        success_message="Gathering has started; its progress shows on this page.",
        available=_status_in(S.IDENTITY_CONFIRMED, S.IN_REVIEW, kinds=SAR),
    ),
    Step(
        name="redact",
        title="Remove something from the pack",
        form_class=RedactionForm,
        run=_redact,
        success_message="Removed. It is recorded with its reason.",
        available=_reviewing,
    ),
    Step(
        name="release",
        title="Release the pack to the person",
        form_class=ConfirmForm,
        run=_release,
        success_message=(
            "Released. The pack is being built; when it is ready the person is told and can "
            "download it once."
        ),
        available=_reviewing,
    ),
    Step(
        name="new_link",
        title="Send a new download link",
        form_class=ConfirmForm,
        run=_new_link,
        success_message="A new link has been issued; earlier unused links no longer work.",
        available=_status_in(S.RELEASED, kinds=SAR),
    ),
    Step(
        name="extend",
        title="Extend by two months (complex request)",
        form_class=ExtendForm,
        run=_extend,
        success_message="Extended. The person has been told why.",
        available=_status_in(
            S.RECEIVED,
            S.IDENTITY_CONFIRMED,
            S.GATHERING,
            S.IN_REVIEW,
            kinds=(RequestKind.SUBJECT_ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE),
        ),
    ),
    Step(
        name="acknowledge",
        title="Acknowledge the complaint",
        form_class=NoteForm,
        run=_acknowledge,
        success_message="Acknowledged. The clock is met.",
        available=_status_in(S.RECEIVED, S.IDENTITY_CONFIRMED, kinds=(RequestKind.COMPLAINT,)),
    ),
    Step(
        name="answer",
        title="Answer and close",
        form_class=AnswerForm,
        run=_answer,
        success_message="Answered and closed.",
        available=_status_in(
            S.RECEIVED, S.IDENTITY_CONFIRMED, S.ACKNOWLEDGED, kinds=ANSWERED_BY_LETTER
        ),
        form_kwargs=_answer_initial,
    ),
]


def register() -> None:
    register_steps(
        DataRequest,
        STEPS,
        refusals=(InvalidTransition, services.RequestRefused),
        summary=_summary,
        select_related=("customer",),
    )
