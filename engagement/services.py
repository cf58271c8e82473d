"""Writes for news and the perception survey. Every write is one function here; the admin, the
customer pages, the demo and the tests all call the same one."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from casework.access import case_is_sensitive
from casework.models import ReceivedBy
from complaints.handover import complaint_create
from engagement.models import (
    Activity,
    Audience,
    CaseSurvey,
    CaseSurveyKind,
    CollectionMethod,
    Consultation,
    ConsultationResponse,
    EqualityAnswers,
    InvolvementInterest,
    NewsItem,
    PerceptionTally,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    YouSaidWeDid,
)
from engagement.questions import QUESTIONS, SATISFACTION_SCALE
from engagement.selectors import HOME_PAGE_NEWS_SCOPE
from kernel.caching import generation_bump
from notifications.services import notify_customer
from repairs.handover import RepairRefused, repair_create
from tenancy.models import Customer, HouseholdRole, StockClass

if TYPE_CHECKING:
    from accounts.models import User
    from casework.models import Case


class EngagementRuleBroken(Exception):
    """A request the rules refuse; ``problems`` say why, in words for the person asking."""

    def __init__(self, *problems: str):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


class AlreadyAnswered(EngagementRuleBroken):
    def __init__(self):
        super().__init__("You have already answered this survey. Thank you.")


# ---------------------------------------------------------------------------------------------
# News
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def news_save(*, item: NewsItem, actor: User) -> NewsItem:
    """Keep a draft or an edit. A published item may be corrected; it keeps its date."""
    if item.pk is None:
        item.created_by = actor
        item.created_at = timezone.now()
    if item.tenure and item.audience != Audience.RESIDENTS:
        raise EngagementRuleBroken("An item for one tenure must be for signed-in residents.")
    item.full_clean(exclude=["created_by"])
    item.save()
    generation_bump(HOME_PAGE_NEWS_SCOPE)
    return item


@transaction.atomic
def news_publish(*, item: NewsItem, actor: User) -> NewsItem:
    if item.published_at is None:
        item.published_at = timezone.now()
        item.save(update_fields=["published_at"])
        generation_bump(HOME_PAGE_NEWS_SCOPE)
    return item


@transaction.atomic
def news_withdraw(*, item: NewsItem, actor: User) -> NewsItem:
    item.published_at = None
    item.save(update_fields=["published_at"])
    generation_bump(HOME_PAGE_NEWS_SCOPE)
    return item


# ---------------------------------------------------------------------------------------------
# The perception survey
# ---------------------------------------------------------------------------------------------


LOW_COST_CLASSES = (StockClass.LOW_COST_RENTAL, StockClass.LOW_COST_HOME_OWNERSHIP)
# One named person per household is sampled: the survey counts households' views.
HOUSEHOLD_LEADS = (
    HouseholdRole.LEAD_TENANT,
    HouseholdRole.LEASEHOLDER,
    HouseholdRole.SHARED_OWNER,
)


@transaction.atomic
def survey_sample(
    *, survey: Survey, per_stock_class: dict[str, int], seed: int | None = None
) -> int:
    """Invite a simple random sample of lead tenants of current tenancies in each stock class
    (the regulator asks for LCRA and LCHO to be sampled and reported separately). A household
    already invited is not invited again. Returns how many were invited."""
    problems = [
        f"{code} is not a low-cost class."
        for code in per_stock_class
        if code not in LOW_COST_CLASSES
    ]
    if problems:
        raise EngagementRuleBroken(*problems)
    chooser = random.Random(seed)  # noqa: S311 - a survey sample, not a secret
    already = set(
        SurveyInvitation.objects.filter(survey=survey).values_list("customer_id", flat=True)
    )
    now = timezone.now()
    invitations = []
    for stock_class, wanted in per_stock_class.items():
        candidates = list(
            Customer.objects.filter(
                household_role__in=HOUSEHOLD_LEADS,
                tenancy__end_date__isnull=True,
                tenancy__property__stock_class=stock_class,
            )
            .exclude(pk__in=already)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for customer_id in chooser.sample(candidates, min(wanted, len(candidates))):
            invitations.append(
                SurveyInvitation(
                    survey=survey, customer_id=customer_id, stock_class=stock_class, invited_at=now
                )
            )
    SurveyInvitation.objects.bulk_create(invitations)
    return len(invitations)


def _check_answers(answers: dict[str, str]) -> list[str]:
    """The regulator's routing: a filtered question is answered only by those it applies to,
    and every answer is one of the question's own options."""
    problems = []
    for question in QUESTIONS:
        value = answers.get(question.field, "")
        allowed = {code for code, _ in question.choices()}
        if value and value not in allowed:
            problems.append(f"The answer to {question.code} is not one of its options.")
        if question.filter is not None:
            filter_value = answers.get(question.filter.field, "")
            if filter_value and filter_value not in {c for c, _ in question.filter.choices}:
                problems.append(f"The answer before {question.code} is not one of its options.")
            if value and filter_value != question.filter.counts_when:
                problems.append(f"{question.code} is only for those who answered yes before it.")
    return problems


@transaction.atomic
def survey_response_submit(
    *,
    survey: Survey,
    customer: Customer,
    answers: dict[str, str],
    comments: str = "",
    consent_to_follow_up: bool = False,
    method: str = CollectionMethod.PORTAL,
    actor: User | None = None,
) -> SurveyResponse:
    """Record one person's answers. A second set from the same person for the same survey is
    refused (``AlreadyAnswered``), by the database's constraint if two arrive at once."""
    invitation = SurveyInvitation.objects.filter(survey=survey, customer=customer).first()
    if invitation is None:
        raise EngagementRuleBroken("This survey was not sent to you.")
    today = timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        raise EngagementRuleBroken("This survey is closed.")
    if method not in CollectionMethod.values:
        raise EngagementRuleBroken("Choose how the answers were collected.")
    problems = _check_answers(answers)
    if problems:
        raise EngagementRuleBroken(*problems)
    fields = {question.field: answers.get(question.field, "") for question in QUESTIONS}
    for question in QUESTIONS:
        if question.filter is not None:
            fields[question.filter.field] = answers.get(question.filter.field, "")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                customer=customer,
                stock_class=invitation.stock_class,
                method=method,
                responded_at=timezone.now(),
                logged_by=actor,
                comments=comments,
                consent_to_follow_up=consent_to_follow_up,
                **fields,
            )
    except IntegrityError as exc:
        if SurveyResponse.objects.filter(survey=survey, customer=customer).exists():
            raise AlreadyAnswered() from exc
        raise
    _tally(response)
    return response


def _tally_keys(response: SurveyResponse) -> list[tuple[str, str, str]]:
    """(question, answer, filter answer) for each question this response answered."""
    keys = []
    for question in QUESTIONS:
        answer = getattr(response, question.field)
        if answer:
            gate = getattr(response, question.filter.field) if question.filter else ""
            keys.append((question.code, answer, gate))
    return keys


def _tally(response: SurveyResponse) -> None:
    """Count the response's answers, in the caller's transaction. The row is incremented by
    the database (``responses + 1``), so two answers recorded at once both count; the first
    answer of its kind creates the row, and one created meanwhile by another transaction is
    incremented instead."""
    for code, answer, gate in _tally_keys(response):
        key = {
            "survey_id": response.survey_id,
            "stock_class": response.stock_class,
            "question": code,
            "answer": answer,
            "filter_answer": gate,
        }
        if PerceptionTally.objects.filter(**key).update(responses=F("responses") + 1):
            continue
        try:
            with transaction.atomic():
                PerceptionTally.objects.create(**key, responses=1)
        except IntegrityError:
            PerceptionTally.objects.filter(**key).update(responses=F("responses") + 1)


@transaction.atomic
def perception_tallies_rebuild(*, survey: Survey) -> int:
    """Recount a survey's tallies from its responses (after loading answers collected by a
    contractor in bulk, or to check the running counts). Returns the number of tally rows."""
    PerceptionTally.objects.filter(survey=survey).delete()
    counts: dict[tuple[str, str, str, str], int] = {}
    for question in QUESTIONS:
        fields = ["stock_class", question.field]
        if question.filter is not None:
            fields.append(question.filter.field)
        rows = (
            SurveyResponse.objects.filter(survey=survey)
            .exclude(**{question.field: ""})
            .values_list(*fields)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            stock_class, answer = row[0], row[1]
            gate = row[2] if question.filter is not None else ""
            counts[(stock_class, question.code, answer, gate)] = row[-1]
    PerceptionTally.objects.bulk_create(
        PerceptionTally(
            survey=survey,
            stock_class=stock_class,
            question=code,
            answer=answer,
            filter_answer=gate,
            responses=n,
        )
        for (stock_class, code, answer, gate), n in counts.items()
    )
    return len(counts)


FOLLOWED_UP_AS_COMPLAINT = "complaint"
FOLLOWED_UP_AS_SAFETY_CONCERN = "safety_concern"
FOLLOW_UP_KINDS = (FOLLOWED_UP_AS_COMPLAINT, FOLLOWED_UP_AS_SAFETY_CONCERN)
NO_CONSENT = "The respondent did not agree to be contacted, so their comment stays anonymous."


@dataclass(frozen=True)
class FollowUp:
    """What staff chose to make of a comment: a complaint, or a safety concern raised as a
    repair from the catalogue (``item_code`` and ``location`` as the repairs catalogue has
    them: an Awaab's Law hazard item starts its clocks)."""

    into: str
    item_code: str = ""
    location: str = ""


def _open_case_from_comment(
    *,
    customer: Customer,
    comments: str,
    follow_up: FollowUp,
    service_area: str,
    subject: str,
    actor: User,
) -> str:
    """Open the complaint or the safety concern, through the other app's hand-over module.
    Returns its reference; raises ``EngagementRuleBroken`` (nothing written) if it refuses."""
    if follow_up.into == FOLLOWED_UP_AS_COMPLAINT:
        complaint = complaint_create(
            customer=customer,
            subject=subject,
            details=comments,
            service_area=service_area,
            received_by=ReceivedBy.STAFF,
            actor=actor,
        )
        return complaint.reference
    if follow_up.into == FOLLOWED_UP_AS_SAFETY_CONCERN:
        try:
            with transaction.atomic():
                repair = repair_create(
                    customer=customer,
                    item_code=follow_up.item_code,
                    location=follow_up.location,
                    description=f"{subject}:\n\n{comments}",
                    received_by=ReceivedBy.STAFF,
                    actor=actor,
                )
        except RepairRefused as exc:
            raise EngagementRuleBroken(str(exc)) from exc
        return repair.reference
    raise EngagementRuleBroken("Choose a complaint or a safety concern.")


def _check_follow_up(*, consent: bool, comments: str, followed_up_as: str) -> None:
    if not consent:
        raise EngagementRuleBroken(NO_CONSENT)
    if not comments.strip():
        raise EngagementRuleBroken("There is no comment to raise.")
    if followed_up_as:
        raise EngagementRuleBroken("This comment has already been raised.")


@transaction.atomic
def survey_comment_follow_up(*, response: SurveyResponse, follow_up: FollowUp, actor: User) -> str:
    """Turn a perception survey comment into a stage 1 complaint or a safety concern, only if
    the respondent agreed to be contacted about it: otherwise answers stay anonymous and
    nothing is written. Returns the new case's reference."""
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    _check_follow_up(
        consent=response.consent_to_follow_up,
        comments=response.comments,
        followed_up_as=response.followed_up_as,
    )
    reference = _open_case_from_comment(
        customer=response.customer,
        comments=response.comments,
        follow_up=follow_up,
        service_area="customer_service",
        subject="Raised from a satisfaction survey comment",
        actor=actor,
    )
    response.followed_up_as = follow_up.into
    response.followed_up_reference = reference
    response.save(update_fields=["followed_up_as", "followed_up_reference"])
    return reference


def survey_comment_raise_complaint(*, response: SurveyResponse, actor: User) -> str:
    """Turn a survey comment into a stage 1 complaint (see ``survey_comment_follow_up``)."""
    return survey_comment_follow_up(
        response=response, follow_up=FollowUp(FOLLOWED_UP_AS_COMPLAINT), actor=actor
    )


# ---------------------------------------------------------------------------------------------
# "How did we do?" after a case
# ---------------------------------------------------------------------------------------------

CASE_SURVEY_SUBJECT = "How did we do?"
# What each kind's complaint is about, in the complaints app's words.
CASE_SURVEY_SERVICE_AREA = {
    CaseSurveyKind.REPAIR: "repairs",
    CaseSurveyKind.COMPLAINT: "customer_service",
    CaseSurveyKind.ASB: "asb",
    CaseSurveyKind.MOVE_IN: "lettings",
}
CASE_SURVEY_ABOUT = {
    CaseSurveyKind.REPAIR: "your repair",
    CaseSurveyKind.COMPLAINT: "your complaint",
    CaseSurveyKind.ASB: "your report",
    CaseSurveyKind.MOVE_IN: "your move into your new home",
}


def case_survey_url(survey: CaseSurvey) -> str:
    return settings.SITE_URL + reverse("engagement:case_survey", kwargs={"survey_id": survey.pk})


@transaction.atomic
def case_survey_invite(*, case: Case, kind: str) -> CaseSurvey:
    """Ask the person whose case this is how we did, in the portal and by their channel
    through the outbox, once per case (a case completed again asks nothing more).

    Only the case's own customer is asked, never their household. A sensitive case (every ASB
    case) is asked about as sensitive: by the safe contact if there is one, its subject never
    leaving the portal, and the outbox's checks withhold it from any channel the reporter said
    is unsafe."""
    case_type = ContentType.objects.get_for_model(case)
    existing = CaseSurvey.objects.filter(case_type=case_type, case_id=case.pk).first()
    if existing is not None:
        return existing
    sensitive = case_is_sensitive(case)
    try:
        with transaction.atomic():
            survey = CaseSurvey.objects.create(
                kind=kind,
                customer_id=case.customer_id,
                case_type=case_type,
                case_id=case.pk,
                about_sensitive_case=sensitive,
                invited_at=timezone.now(),
            )
    except IntegrityError:
        return CaseSurvey.objects.get(case_type=case_type, case_id=case.pk)
    about = CASE_SURVEY_ABOUT[CaseSurveyKind(kind)]
    notify_customer(
        customer=case.customer,
        subject=CASE_SURVEY_SUBJECT,
        body=(
            f"We have finished dealing with {about} ({case.reference}). How did we do? One "
            f"question, and a box for anything else you want to tell us: {case_survey_url(survey)}"
            f"\n\nOr call us on {settings.ORGANISATION['office_phone']}."
        ),
        key=f"case-survey:{survey.pk}",
        about=case,
        sensitive=sensitive,
    )
    return survey


@transaction.atomic
def case_survey_answer(
    *,
    survey: CaseSurvey,
    customer: Customer,
    satisfaction: str,
    comments: str = "",
    consent_to_follow_up: bool = False,
) -> CaseSurvey:
    """Record the answer of the person asked, once: a second answer (a second tab, a second
    click) is refused with ``AlreadyAnswered`` and changes nothing."""
    if survey.customer_id != customer.pk:
        raise EngagementRuleBroken("This survey was not sent to you.")
    if satisfaction not in SATISFACTION_SCALE:
        raise EngagementRuleBroken("Select how satisfied or dissatisfied you are.")
    now = timezone.now()
    answered = CaseSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=now,
        satisfaction=satisfaction,
        comments=comments.strip(),
        consent_to_follow_up=consent_to_follow_up,
    )
    if not answered:
        raise AlreadyAnswered()
    survey.refresh_from_db()
    return survey


@transaction.atomic
def case_survey_follow_up(*, survey: CaseSurvey, follow_up: FollowUp, actor: User) -> str:
    """Turn a "how did we do?" comment into a complaint or a safety concern, only with the
    respondent's consent; never for a sensitive case, whose reporter alone may see what
    comes of it (the ASB team contacts them by their safe route instead). Nothing is written
    when refused. Returns the new case's reference."""
    survey = CaseSurvey.objects.select_for_update().select_related("customer").get(pk=survey.pk)
    if survey.answered_at is None:
        raise EngagementRuleBroken("This survey has not been answered.")
    _check_follow_up(
        consent=survey.consent_to_follow_up,
        comments=survey.comments,
        followed_up_as=survey.followed_up_as,
    )
    if survey.about_sensitive_case:
        raise EngagementRuleBroken(
            "This answer is about a case only its reporter may see: ask the ASB team to "
            "contact them by their safe route."
        )
    reference = _open_case_from_comment(
        customer=survey.customer,
        comments=survey.comments,
        follow_up=follow_up,
        service_area=CASE_SURVEY_SERVICE_AREA[CaseSurveyKind(survey.kind)],
        subject=f"Raised from a how did we do? answer about {survey.get_kind_display().lower()}",
        actor=actor,
    )
    survey.followed_up_as = follow_up.into
    survey.followed_up_reference = reference
    survey.save(update_fields=["followed_up_as", "followed_up_reference"])
    return reference


# ---------------------------------------------------------------------------------------------
# Consultations, "You said, we did", getting involved
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def consultation_publish(*, consultation: Consultation, actor: User) -> Consultation:
    if consultation.published_at is None:
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["published_at"])
    return consultation


@transaction.atomic
def consultation_outcome_publish(*, consultation: Consultation, actor: User) -> Consultation:
    """Tell residents what was decided: the outcome must be written first."""
    if not consultation.outcome.strip():
        raise EngagementRuleBroken("Write the outcome before publishing it.")
    consultation.outcome_published_at = timezone.now()
    consultation.save(update_fields=["outcome_published_at"])
    return consultation


@transaction.atomic
def consultation_respond(
    *, consultation: Consultation, customer: Customer, view: str
) -> ConsultationResponse:
    """A resident's view, once, while the consultation is open and only if it is theirs."""
    if not consultation_reaches(consultation, customer):
        raise EngagementRuleBroken("This consultation is not for your home.")
    today = timezone.localdate()
    if consultation.published_at is None or not (
        consultation.opens_on <= today <= consultation.closes_on
    ):
        raise EngagementRuleBroken("This consultation is closed.")
    if not view.strip():
        raise EngagementRuleBroken("Tell us your view.")
    try:
        with transaction.atomic():
            return ConsultationResponse.objects.create(
                consultation=consultation,
                customer=customer,
                view=view,
                responded_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise EngagementRuleBroken("You have already given your view. Thank you.") from exc


def consultation_reaches(consultation: Consultation, customer: Customer) -> bool:
    """The one rule for who a consultation is for (used by the selectors' query too)."""
    home = customer.household.property
    if consultation.tenure and consultation.tenure != home.tenure:
        return False
    block_ids = {b.pk for b in consultation.blocks.all()}
    return not block_ids or home.block_id in block_ids


@transaction.atomic
def you_said_we_did_publish(*, entry: YouSaidWeDid, actor: User) -> YouSaidWeDid:
    if entry.published_at is None:
        entry.published_at = timezone.now()
        entry.save(update_fields=["published_at"])
    return entry


@transaction.atomic
def involvement_register(
    *,
    customer: Customer,
    activities: list[str],
    disability: str = "",
    ethnic_group: str = "",
) -> int:
    """Register interest in ways of getting involved (kept once per activity) and, if given,
    the optional equality answers used only to report how representative involvement is.
    Returns how many new interests were registered."""
    unknown = [a for a in activities if a not in Activity.values]
    if unknown or not activities:
        raise EngagementRuleBroken("Choose at least one way to get involved.")
    now = timezone.now()
    already = set(
        InvolvementInterest.objects.filter(customer=customer).values_list("activity", flat=True)
    )
    new = [a for a in activities if a not in already]
    InvolvementInterest.objects.bulk_create(
        InvolvementInterest(customer=customer, activity=a, registered_at=now) for a in new
    )
    if disability or ethnic_group:
        EqualityAnswers.objects.update_or_create(
            customer=customer,
            defaults={"disability": disability, "ethnic_group": ethnic_group, "answered_at": now},
        )
    return len(new)
