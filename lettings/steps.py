"""The lettings team's steps, registered with ``casework.steps`` from ``LettingsConfig.ready``:
each is a form whose values go to one lettings service; a refusal shows the service's reason
on the form. Empty homes and adverts are worked with the same step pages as the cases."""

from __future__ import annotations

from django.utils import timezone

from casework.services import InvalidTransition
from casework.steps import Step, StepContext, register_steps
from lettings import services
from lettings.forms import (
    AdvertForm,
    AssessForm,
    BookVisitForm,
    ExchangeChecksForm,
    ExchangeDecisionForm,
    ImportPrioritiesForm,
    NoteForm,
    PriorityForm,
    RecordDecisionForm,
    RentForm,
    ShortlistForm,
    SignUpForm,
    ViewingForm,
    VisitForm,
    VoidCheckForm,
    VoidRepairForm,
    pence,
)
from lettings.models import (
    Advert,
    AdvertStatus,
    Application,
    ApplicationStatus,
    ExchangeStatus,
    MutualExchange,
    SettlingIn,
    SettlingInStatus,
    Void,
)

S = ApplicationStatus


def _status_in(*statuses: str):
    def available(ctx: StepContext) -> bool:
        return ctx.case.status in statuses

    return available


def _void_open(ctx: StepContext) -> bool:
    return ctx.case.let_on is None


def _void_to_sign_off(ctx: StepContext) -> bool:
    return ctx.case.let_on is None and not ctx.case.is_signed_off


def _void_to_advertise(ctx: StepContext) -> bool:
    return (
        ctx.case.let_on is None
        and not ctx.case.adverts.filter(
            status__in=[AdvertStatus.OPEN, AdvertStatus.CLOSED]
        ).exists()
    )


def _aware(value):
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _record_check(ctx: StepContext, form) -> None:
    services.void_record_check(void=ctx.case, actor=ctx.actor, **form.cleaned_data)


def _raise_repair(ctx: StepContext, form) -> str:
    repair = services.void_raise_repair(void=ctx.case, actor=ctx.actor, **form.cleaned_data)
    return f"Repair {repair.repair_reference} raised."


def _sign_off(ctx: StepContext, form) -> None:
    services.void_sign_off(void=ctx.case, actor=ctx.actor)


def _publish(ctx: StepContext, form) -> str:
    data = form.cleaned_data
    advert = services.advert_publish(
        void=ctx.case,
        title=data["title"],
        area=data["area"],
        scheme=data["scheme"],
        rent_weekly_pence=pence(data["rent_weekly"]),
        service_charge_weekly_pence=pence(data["service_charge_weekly"]),
        description=data["description"],
        eligibility=data["eligibility"],
        closes_at=_aware(data["closes_at"]),
    )
    return f"Advert published: {advert.title}."


def _import_priorities(ctx: StepContext, form) -> str:
    count = services.advert_import_priorities(
        advert=ctx.case, rows=form.cleaned_data["rows"], actor=ctx.actor
    )
    return f"{count} bands and dates recorded."


def _shortlist(ctx: StepContext, form) -> str:
    chosen = services.advert_shortlist(
        advert=ctx.case, actor=ctx.actor, size=form.cleaned_data["size"]
    )
    return f"{len(chosen)} applicants shortlisted."


def _withdraw(ctx: StepContext, form) -> None:
    services.advert_withdraw(advert=ctx.case)


def _priority(ctx: StepContext, form) -> None:
    services.application_record_priority(application=ctx.case, actor=ctx.actor, **form.cleaned_data)


def _offer(ctx: StepContext, form) -> str:
    services.application_offer(application=ctx.case, actor=ctx.actor)
    return "The applicant has been told they are selected."


def _assess(ctx: StepContext, form) -> None:
    services.application_assess(
        application=ctx.case,
        actor=ctx.actor,
        suitable=form.cleaned_data["suitable"],
        notes=form.cleaned_data["notes"],
    )


def _viewing(ctx: StepContext, form) -> str:
    services.application_book_viewing(
        application=ctx.case,
        actor=ctx.actor,
        viewing_at=_aware(form.cleaned_data["viewing_at"]),
        with_staff=form.cleaned_data["with_staff"],
    )
    return "Viewing booked; the written notice has been sent."


def _decision(ctx: StepContext, form) -> None:
    if form.cleaned_data["decision"] == RecordDecisionForm.ACCEPT:
        services.application_accept(application=ctx.case, actor=ctx.actor)
    else:
        services.application_refuse(
            application=ctx.case, actor=ctx.actor, reason=form.cleaned_data["reason"]
        )


def _rent(ctx: StepContext, form) -> None:
    services.application_request_rent(
        application=ctx.case,
        actor=ctx.actor,
        rent_in_advance_pence=pence(form.cleaned_data["rent_in_advance"]),
    )


def _sign_up(ctx: StepContext, form) -> str:
    settling_in = services.application_sign_up(
        application=ctx.case, actor=ctx.actor, **form.cleaned_data
    )
    return f"Signed up: tenancy {settling_in.tenancy.reference}."


def _book_visit(ctx: StepContext, form) -> None:
    services.settling_in_book_visit(
        settling_in=ctx.case, actor=ctx.actor, visit_at=_aware(form.cleaned_data["visit_at"])
    )


def _visit(ctx: StepContext, form) -> None:
    services.settling_in_record_visit(
        settling_in=ctx.case,
        actor=ctx.actor,
        visited_at=_aware(form.cleaned_data["visited_at"]),
        notes=form.cleaned_data["notes"],
    )


def _checks(ctx: StepContext, form) -> None:
    data = dict(form.cleaned_data)
    recharge = pence(data.pop("safety_checks_recharge"))
    services.exchange_record_checks(
        exchange=ctx.case, actor=ctx.actor, safety_checks_recharge_pence=recharge, **data
    )


def _decide(ctx: StepContext, form) -> None:
    services.exchange_decide(exchange=ctx.case, actor=ctx.actor, **form.cleaned_data)


REFUSALS = (services.LettingRefused, InvalidTransition)


def register() -> None:
    register_steps(
        Void,
        [
            Step(
                "check",
                "Record a lettable standard check",
                VoidCheckForm,
                _record_check,
                "Check recorded.",
                available=_void_to_sign_off,
            ),
            Step(
                "repair",
                "Raise a void repair",
                VoidRepairForm,
                _raise_repair,
                "Repair raised.",
                available=_void_to_sign_off,
            ),
            Step(
                "sign_off",
                "Sign off as lettable",
                NoteForm,
                _sign_off,
                "Signed off as meeting the lettable standard.",
                available=_void_to_sign_off,
            ),
            Step(
                "advertise",
                "Advertise the home",
                AdvertForm,
                _publish,
                "Advert published.",
                available=_void_to_advertise,
            ),
        ],
        refusals=REFUSALS,
    )
    register_steps(
        Advert,
        [
            Step(
                "import_priorities",
                "Import bands and dates from the scheme",
                ImportPrioritiesForm,
                _import_priorities,
                "Bands and dates recorded.",
                available=_status_in(AdvertStatus.OPEN, AdvertStatus.CLOSED),
            ),
            Step(
                "shortlist",
                "Shortlist by priority",
                ShortlistForm,
                _shortlist,
                "Shortlisted.",
                available=_status_in(AdvertStatus.CLOSED),
            ),
            Step(
                "withdraw",
                "Withdraw the advert",
                NoteForm,
                _withdraw,
                "Advert withdrawn.",
                available=_status_in(AdvertStatus.OPEN, AdvertStatus.CLOSED),
            ),
        ],
        refusals=REFUSALS,
    )
    register_steps(
        Application,
        [
            Step(
                "priority",
                "Record band and date",
                PriorityForm,
                _priority,
                "Priority recorded.",
                available=_status_in(S.INTERESTED, S.SHORTLISTED),
            ),
            Step(
                "offer",
                "Select and tell the applicant",
                NoteForm,
                _offer,
                "Offer made.",
                available=_status_in(S.INTERESTED, S.SHORTLISTED),
            ),
            Step(
                "assess",
                "Pre-tenancy assessment",
                AssessForm,
                _assess,
                "Assessment recorded.",
                available=_status_in(S.FORM_SENT),
            ),
            Step(
                "viewing",
                "Book the viewing",
                ViewingForm,
                _viewing,
                "Viewing booked.",
                available=_status_in(S.ASSESSED, S.VIEWING_BOOKED),
            ),
            Step(
                "decision",
                "Record acceptance or refusal",
                RecordDecisionForm,
                _decision,
                "Decision recorded.",
                available=_status_in(S.OFFERED, S.FORM_SENT, S.ASSESSED, S.VIEWING_BOOKED),
            ),
            Step(
                "rent",
                "Ask for rent in advance and a Direct Debit",
                RentForm,
                _rent,
                "Rent in advance and Direct Debit requested.",
                available=_status_in(S.ACCEPTED),
            ),
            Step(
                "sign_up",
                "Record the sign-up",
                SignUpForm,
                _sign_up,
                "Signed up.",
                available=_status_in(S.ACCEPTED),
            ),
        ],
        refusals=REFUSALS,
        select_related=("advert", "customer"),
    )
    register_steps(
        SettlingIn,
        [
            Step(
                "book_visit",
                "Book the settling-in visit",
                BookVisitForm,
                _book_visit,
                "Visit booked; the tenant has been told.",
                available=_status_in(SettlingInStatus.MOVED_IN),
            ),
            Step(
                "visit",
                "Record the settling-in visit",
                VisitForm,
                _visit,
                "Visit recorded.",
                available=_status_in(SettlingInStatus.MOVED_IN),
            ),
        ],
        refusals=REFUSALS,
    )
    register_steps(
        MutualExchange,
        [
            Step(
                "checks",
                "Record the checks",
                ExchangeChecksForm,
                _checks,
                "Checks recorded.",
                available=_status_in(ExchangeStatus.RECEIVED, ExchangeStatus.CHECKS_DONE),
            ),
            Step(
                "decide",
                "Decide",
                ExchangeDecisionForm,
                _decide,
                "Decision sent.",
                available=_status_in(ExchangeStatus.CHECKS_DONE),
            ),
        ],
        refusals=REFUSALS,
    )
