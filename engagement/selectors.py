"""Reads for news and the perception survey, and the TSM perception measures TP01 to TP12."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from engagement.models import (
    Audience,
    CaseSurvey,
    CaseSurveyKind,
    Consultation,
    ConsultationResponse,
    EqualityAnswers,
    InvolvementInterest,
    LearningSource,
    NewsItem,
    PerceptionTally,
    Satisfaction,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    YouSaidWeDid,
)
from engagement.questions import (
    QUESTIONS,
    QUESTIONS_BY_CODE,
    SATISFACTION_SCALE,
    SATISFIED,
    PerceptionQuestion,
)
from kernel import personal_data
from kernel.caching import generation_cached
from kernel.figures import percent
from kernel.reporting import ReportingYear
from sla.calendar import add_months
from tenancy.models import Customer, Property, StockClass, Tenure

HOME_PAGE_NEWS = 3
FEED_ITEMS = 20


# ---------------------------------------------------------------------------------------------
# News
# ---------------------------------------------------------------------------------------------


def _news_visible_to(customer: Customer | None) -> Q:
    """The one rule for who sees a published item: everyone's items to all; residents' items
    to signed-in customers, of their tenure when the item names one."""
    public = Q(audience=Audience.EVERYONE)
    if customer is None or not customer.has_household:
        # A visitor, or an applicant with no home of ours: not a resident (yet).
        return public
    # The home's tenure as a subquery: the home page asks once, not for tenancy and home.
    tenure = Property.objects.filter(tenancies=customer.tenancy_id).values("tenure")
    return public | (Q(audience=Audience.RESIDENTS) & (Q(tenure="") | Q(tenure__in=tenure)))


def news_published_for(customer: Customer | None) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(
        _news_visible_to(customer), published_at__isnull=False, published_at__lte=timezone.now()
    ).order_by("-published_at", "-id")


# The home page's news is cached per household (visitors share one answer) until news is
# saved, published or withdrawn (``engagement.services``), and at most this long.
HOME_PAGE_NEWS_SCOPE = "home-news"
HOME_PAGE_CACHE_SECONDS = 300


def news_for_home_page(customer: Customer | None) -> list[NewsItem]:
    def newest() -> list[NewsItem]:
        return list(
            news_published_for(customer).only("id", "title", "summary", "published_at")[
                :HOME_PAGE_NEWS
            ]
        )

    return generation_cached(
        scope=HOME_PAGE_NEWS_SCOPE,
        key=f"tenancy:{customer.tenancy_id}"
        if customer is not None and customer.has_household
        else "visitor",
        compute=newest,
        timeout=HOME_PAGE_CACHE_SECONDS,
    )


def news_for_feed() -> QuerySet[NewsItem]:
    """The public RSS feed: items for everyone only (a feed reader has signed in as nobody)."""
    return news_published_for(None)[:FEED_ITEMS]


def access_news_item(customer: Customer | None, item_id: int) -> NewsItem:
    item = news_published_for(customer).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such news item.")
    return item


# ---------------------------------------------------------------------------------------------
# The perception survey, for the customer
# ---------------------------------------------------------------------------------------------


def surveys_open_for_customer(customer: Customer) -> list[Survey]:
    """Surveys this person was invited to, open today, that they have not yet answered."""
    today = timezone.localdate()
    return list(
        Survey.objects.filter(
            invitations__customer=customer, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(responses__customer=customer)
        .order_by("closes_on", "pk")
    )


def access_survey(customer: Customer, survey_id: int) -> Survey:
    """A survey this person was invited to (open or not): 404 for anyone else."""
    invitation = (
        SurveyInvitation.objects.filter(survey_id=survey_id, customer=customer)
        .select_related("survey")
        .first()
    )
    if invitation is None:
        raise Http404("No such survey.")
    return invitation.survey


def has_answered(customer: Customer, survey: Survey) -> bool:
    return SurveyResponse.objects.filter(survey=survey, customer=customer).exists()


# ---------------------------------------------------------------------------------------------
# TP01 to TP12
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerceptionFigure:
    """One measure for one stock class: how many were satisfied (or agreed) of how many valid
    responses, and the published percentage (None when nobody gave a valid answer)."""

    code: str
    name: str
    stock_class: str
    numerator: int
    denominator: int
    figure: Decimal | None

    @property
    def stock_class_label(self) -> str:
        return StockClass(self.stock_class).label


def _counts_in_base(question: PerceptionQuestion, answer: str, filter_answer: str) -> bool:
    """A response the measure's base counts: an answer on the five-point scale, from someone
    the filter question let through. Blanks are never tallied."""
    if answer not in question.scale:
        return False
    return question.filter is None or filter_answer == question.filter.counts_when


def perception_measures(year: ReportingYear) -> list[PerceptionFigure]:
    """TP01 to TP12 for the reporting year, LCRA and LCHO separately (TP02 and TP03 for LCRA
    only), from the answers to that year's perception surveys, counted as the regulator's
    Technical Requirements define (see ``engagement.questions``).

    Read from the tallies the response service keeps (a few hundred rows, one query, whatever
    the number of responses); anonymous by construction (counts only). None as the figure when
    a measure has no valid response."""
    tallies = PerceptionTally.objects.filter(survey__first_year=year.first_year).values_list(
        "stock_class", "question", "answer", "filter_answer", "responses"
    )
    numerators: dict[tuple[str, str], int] = {}
    denominators: dict[tuple[str, str], int] = {}
    for stock_class, code, answer, filter_answer, responses in tallies:
        question = QUESTIONS_BY_CODE.get(code)
        if question is None or not _counts_in_base(question, answer, filter_answer):
            continue
        key = (code, stock_class)
        denominators[key] = denominators.get(key, 0) + responses
        if answer in question.positive:
            numerators[key] = numerators.get(key, 0) + responses
    figures = []
    for question in QUESTIONS:
        for stock_class in question.stock_classes:
            numerator = numerators.get((question.code, stock_class), 0)
            denominator = denominators.get((question.code, stock_class), 0)
            figures.append(
                PerceptionFigure(
                    code=question.code,
                    name=question.name,
                    stock_class=stock_class,
                    numerator=numerator,
                    denominator=denominator,
                    figure=percent(numerator, denominator),
                )
            )
    return figures


# ---------------------------------------------------------------------------------------------
# "How did we do?" after a case
# ---------------------------------------------------------------------------------------------


def case_surveys_open_for_customer(customer: Customer) -> list[CaseSurvey]:
    """The "how did we do?" questions this person (not their household) has still to answer."""
    return list(
        CaseSurvey.objects.filter(customer=customer, answered_at__isnull=True).order_by(
            "-invited_at", "-pk"
        )[:20]
    )


def access_case_survey(customer: Customer, survey_id: int) -> CaseSurvey:
    """The survey if it was sent to this person, else 404: a household member never sees
    another's, whose case may be one only its reporter may see."""
    survey = CaseSurvey.objects.filter(pk=survey_id, customer=customer).first()
    if survey is None:
        raise Http404
    return survey


@dataclass(frozen=True)
class CaseSurveyFigure:
    """One kind of case's "how did we do?" results for a year: counts only, nobody named.
    ``figure`` is the percentage very or fairly satisfied of those who answered."""

    kind: str
    label: str
    invited: int
    answered: int
    satisfied: int
    figure: Decimal | None
    answers: tuple[tuple[str, int], ...]

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.answered, self.invited)


def case_survey_figures(year: ReportingYear) -> list[CaseSurveyFigure]:
    """Satisfaction after a repair, a complaint, an ASB case and a move-in, for those asked in
    the reporting year: one grouped query. For the staff page and the manager's dashboard."""
    counts: dict[tuple[str, str], int] = {
        (kind, answer): n
        for kind, answer, n in CaseSurvey.objects.filter(year.within("invited_at"))
        .values_list("kind", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    }
    labels = dict(Satisfaction.choices)
    figures = []
    for kind in CaseSurveyKind:
        answers = tuple((labels[a], counts.get((kind.value, a), 0)) for a in SATISFACTION_SCALE)
        answered = sum(n for _, n in answers)
        satisfied = sum(counts.get((kind.value, a), 0) for a in SATISFIED)
        figures.append(
            CaseSurveyFigure(
                kind=kind.value,
                label=str(kind.label),
                invited=answered + counts.get((kind.value, ""), 0),
                answered=answered,
                satisfied=satisfied,
                figure=percent(satisfied, answered),
                answers=answers,
            )
        )
    return figures


@dataclass(frozen=True)
class CommentToReview:
    """A survey comment as staff review it: what it was about, the answer and the words, and
    whether the person agreed to be contacted. Never their name or their case's reference."""

    source: str  # "case" or "perception"
    pk: int
    about: str
    answered_on: dt.date
    answer: str
    comments: str
    consent: bool
    sensitive: bool
    followed_up_as: str
    followed_up_reference: str


COMMENTS_TO_REVIEW = 50


def comments_to_review(year: ReportingYear) -> list[CommentToReview]:
    """The year's survey comments, newest first: "how did we do?" answers and the perception
    survey's comments, at most ``COMMENTS_TO_REVIEW`` of each."""
    labels = dict(Satisfaction.choices)
    rows = [
        CommentToReview(
            source="case",
            pk=s.pk,
            about=f"How did we do? {s.get_kind_display()}",
            answered_on=timezone.localdate(s.answered_at),
            answer=labels.get(s.satisfaction, ""),
            comments=s.comments,
            consent=s.consent_to_follow_up,
            sensitive=s.about_sensitive_case,
            followed_up_as=s.followed_up_as,
            followed_up_reference=s.followed_up_reference,
        )
        for s in CaseSurvey.objects.filter(year.within("answered_at"))
        .exclude(comments="")
        .order_by("-answered_at", "-pk")[:COMMENTS_TO_REVIEW]
    ]
    rows += [
        CommentToReview(
            source="perception",
            pk=r.pk,
            about=f"Perception survey: {r.survey.title}",
            answered_on=timezone.localdate(r.responded_at),
            answer=labels.get(r.tp01, ""),
            comments=r.comments,
            consent=r.consent_to_follow_up,
            sensitive=False,
            followed_up_as=r.followed_up_as,
            followed_up_reference=r.followed_up_reference,
        )
        for r in SurveyResponse.objects.filter(year.within("responded_at"))
        .exclude(comments="")
        .select_related("survey")
        .order_by("-responded_at", "-pk")[:COMMENTS_TO_REVIEW]
    ]
    return sorted(rows, key=lambda row: (row.answered_on, row.pk), reverse=True)


@dataclass(frozen=True)
class SurveyReach:
    stock_class: str
    invited: int
    responded: int


def survey_reach(year: ReportingYear) -> list[SurveyReach]:
    """How many were invited and answered in each class: part of the survey-approach summary."""
    invited = dict(
        SurveyInvitation.objects.filter(survey__first_year=year.first_year)
        .values_list("stock_class")
        .annotate(n=Count("pk"))
    )
    responded = dict(
        SurveyResponse.objects.filter(survey__first_year=year.first_year)
        .values_list("stock_class")
        .annotate(n=Count("pk"))
    )
    return [
        SurveyReach(code, invited.get(code, 0), responded.get(code, 0))
        for code in (StockClass.LOW_COST_RENTAL, StockClass.LOW_COST_HOME_OWNERSHIP)
    ]


def surveys_for_year(year: ReportingYear) -> list[Survey]:
    return list(Survey.objects.filter(first_year=year.first_year).order_by("opens_on"))


# ---------------------------------------------------------------------------------------------
# Consultations, "You said, we did", involvement
# ---------------------------------------------------------------------------------------------


def _consultations_reaching(customer: Customer) -> QuerySet[Consultation]:
    """Published consultations for this resident's home: for every block or theirs, for every
    tenure or theirs (the same rule as ``engagement.services.consultation_reaches``)."""
    home = customer.household.property
    for_block = Q(blocks__isnull=True)
    if home.block_id is not None:
        for_block |= Q(blocks=home.block_id)
    return (
        Consultation.objects.filter(for_block, published_at__isnull=False)
        .filter(Q(tenure="") | Q(tenure=home.tenure))
        .distinct()
    )


def consultations_for_customer(customer: Customer) -> list[Consultation]:
    return list(_consultations_reaching(customer).order_by("-opens_on", "-id")[:20])


def access_consultation(customer: Customer, consultation_id: int) -> Consultation:
    consultation = _consultations_reaching(customer).filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation.")
    return consultation


def consultation_response_of(customer: Customer, consultation: Consultation):
    return ConsultationResponse.objects.filter(consultation=consultation, customer=customer).first()


def you_said_we_did_published() -> list[YouSaidWeDid]:
    return list(
        YouSaidWeDid.objects.filter(published_at__isnull=False)
        .select_related("consultation")
        .order_by("-published_at", "-id")[:50]
    )


def you_said_we_did_in_year(year: ReportingYear) -> list[tuple[str, str, str]]:
    """The "You said, we did" entries published in the reporting year and still published, as
    (where it came from, you said, we did), oldest first: for the annual report. One query."""
    labels = dict(LearningSource.choices)
    return [
        (labels.get(source, source), you_said, we_did)
        for source, you_said, we_did in YouSaidWeDid.objects.filter(year.within("published_at"))
        .order_by("published_at", "pk")
        .values_list("source", "you_said", "we_did")
    ]


def interests_of(customer: Customer) -> set[str]:
    return set(
        InvolvementInterest.objects.filter(customer=customer).values_list("activity", flat=True)
    )


@dataclass(frozen=True)
class Representation:
    """One group's share of all residents and of involved residents (percentages)."""

    group: str
    all_residents: int
    involved: int
    all_share: Decimal | None
    involved_share: Decimal | None


AGE_BANDS = ((16, 24), (25, 34), (35, 49), (50, 64), (65, 200))


def _age_band_label(low: int, high: int) -> str:
    return f"{low} and over" if high >= 200 else f"{low} to {high}"


def involvement_representation(today) -> dict[str, list[Representation]]:
    """How involved residents compare with all residents, by age band and by tenure (held for
    everyone), to show which groups to encourage. Counts only; nobody is named."""
    involved_ids = InvolvementInterest.objects.values("customer_id")
    bands = []
    for low, high in AGE_BANDS:
        youngest_birth = add_months(today, -12 * low)
        oldest_birth = add_months(today, -12 * (high + 1))
        bands.append((low, high, oldest_birth, youngest_birth))
    band_case = Case(
        *[
            When(date_of_birth__gt=oldest, date_of_birth__lte=youngest, then=Value(index))
            for index, (_, _, oldest, youngest) in enumerate(bands)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )
    residents = Customer.objects.filter(tenancy__end_date__isnull=True)
    by_age = (
        residents.annotate(band=band_case)
        .values("band")
        .annotate(all_count=Count("pk"), involved_count=Count("pk", filter=Q(pk__in=involved_ids)))
    )
    by_tenure = residents.values("tenancy__property__tenure").annotate(
        all_count=Count("pk"), involved_count=Count("pk", filter=Q(pk__in=involved_ids))
    )
    age_rows = {row["band"]: row for row in by_age}
    tenure_rows = {row["tenancy__property__tenure"]: row for row in by_tenure}
    total_all = sum(r["all_count"] for r in age_rows.values())
    total_involved = sum(r["involved_count"] for r in age_rows.values())

    def _row(label: str, row) -> Representation:
        all_count = row["all_count"] if row else 0
        involved = row["involved_count"] if row else 0
        return Representation(
            label,
            all_count,
            involved,
            percent(all_count, total_all),
            percent(involved, total_involved),
        )

    return {
        "age": [
            _row(_age_band_label(low, high), age_rows.get(index))
            for index, (low, high, _, _) in enumerate(bands)
        ],
        "tenure": [_row(label, tenure_rows.get(value)) for value, label in Tenure.choices],
    }


def equality_answers_of_involved() -> dict[str, dict[str, int]]:
    """The self-declared answers of involved residents, as counts."""
    involved_ids = InvolvementInterest.objects.values("customer_id")
    answers = EqualityAnswers.objects.filter(customer_id__in=involved_ids)
    return {
        "disability": dict(answers.values_list("disability").annotate(n=Count("pk"))),
        "ethnic_group": dict(answers.values_list("ethnic_group").annotate(n=Count("pk"))),
    }


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "engagement.SurveyInvitation": "every survey the person was invited to answer",
        "engagement.SurveyResponse": "their own answers to each survey (reports count them and "
        "name nobody, but the answers are kept against the person)",
        "engagement.ConsultationResponse": "their view on each consultation",
        "engagement.InvolvementInterest": "the ways they signed up to be involved",
        "engagement.EqualityAnswers": "the equality questions they answered",
        "engagement.CaseSurvey": 'each "how did we do?" they were asked after a case, and '
        "their answer",
    },
    holds_none={
        "engagement.NewsItem": "news written by staff for residents",
        "engagement.Survey": "a survey and the year it reports",
        "engagement.Consultation": "a consultation and the homes it asks",
        "engagement.YouSaidWeDid": "what residents told us and what changed, published for "
        "everyone and naming nobody",
        "engagement.PerceptionTally": "how many gave each answer, by stock class: counts only",
    },
)


def _answers_labelled_by_question() -> dict[str, str]:
    """The survey's fields as the person was asked them, not their codes ("Tp01")."""
    landlord = settings.ORGANISATION["name"]
    labels: dict[str, str] = {}
    for question in QUESTIONS:
        labels[question.field.capitalize()] = question.text_for(landlord)
        if question.filter is not None:
            answer_field = SurveyResponse._meta.get_field(question.filter.field)
            label = str(getattr(answer_field, "verbose_name", answer_field.name))
            labels[label.capitalize()] = question.filter.text.format(landlord=landlord)
    return labels


def personal_data_for(customer: Customer) -> personal_data.Part:
    """This person's survey invitations and answers, consultation views, involvement sign-ups
    and equality answers."""
    records = personal_data.records_of(
        SurveyInvitation.objects.filter(customer=customer)
        .select_related("survey")
        .order_by("invited_at", "pk"),
        title=lambda i: f"Invited to {i.survey}",
        exclude=("customer",),
    )
    labels = _answers_labelled_by_question()
    records += [
        replace(
            record,
            fields=tuple((labels.get(label, label), value) for label, value in record.fields),
        )
        for record in personal_data.records_of(
            SurveyResponse.objects.filter(customer=customer)
            .select_related("survey", "logged_by")
            .order_by("responded_at", "pk"),
            title=lambda r: f"Your answers to {r.survey}",
            exclude=("customer",),
            staff=lambda r: (r.logged_by,),
        )
    ]
    records += personal_data.records_of(
        CaseSurvey.objects.filter(customer=customer).order_by("invited_at", "pk"),
        title=lambda s: f"How did we do? {s.get_kind_display()}",
        exclude=("customer", "case_type", "case_id"),
    )
    records += personal_data.records_of(
        ConsultationResponse.objects.filter(customer=customer)
        .select_related("consultation")
        .order_by("responded_at", "pk"),
        title=lambda r: f"Your view on {r.consultation}",
        exclude=("customer",),
    )
    records += personal_data.records_of(
        InvolvementInterest.objects.filter(customer=customer).order_by("registered_at", "pk"),
        title=lambda i: f"Signed up: {i.get_activity_display()}",
        exclude=("customer",),
    )
    records += personal_data.records_of(
        EqualityAnswers.objects.filter(customer=customer),
        title=lambda _: "Your equality answers",
        exclude=("customer",),
    )
    return personal_data.Part(
        area="Surveys, consultations and getting involved", records=tuple(records)
    )
