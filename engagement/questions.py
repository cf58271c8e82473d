"""The twelve tenant perception questions, in the regulator's words, and how each is counted.

Wording and response options are those of the Regulator of Social Housing's Tenant Survey
Requirements; ``{landlord}`` is replaced by the association's name. The counting rules follow
the Technical Requirements as summarised in the regulation notes, section (b):

- the figure is the percentage of valid responses that are "very or fairly satisfied" (TP08:
  "strongly or tend to agree");
- a valid response is one on the five-point scale: a blank answer and "not applicable / don't
  know" (offered only for TP11 and TP12) are left out of the base;
- TP02 and TP03 count only those who said a repair was carried out in the last 12 months,
  TP09 only those who complained in the last 12 months, and TP10 only those who said "yes" to
  living in a building with communal areas;
- LCRA and LCHO are reported separately; TP02 and TP03 are LCRA only.

This module is the one statement of those rules: the survey form, the measures and the tests
all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.models import Agreement, Satisfaction, YesNo, YesNoDontKnow
from tenancy.models import StockClass

SATISFIED = (Satisfaction.VERY_SATISFIED.value, Satisfaction.FAIRLY_SATISFIED.value)
SATISFACTION_SCALE = (
    Satisfaction.VERY_SATISFIED.value,
    Satisfaction.FAIRLY_SATISFIED.value,
    Satisfaction.NEITHER.value,
    Satisfaction.FAIRLY_DISSATISFIED.value,
    Satisfaction.VERY_DISSATISFIED.value,
)
AGREE = (Agreement.STRONGLY_AGREE.value, Agreement.TEND_TO_AGREE.value)
AGREEMENT_SCALE = tuple(Agreement.values)

BOTH_CLASSES = (StockClass.LOW_COST_RENTAL.value, StockClass.LOW_COST_HOME_OWNERSHIP.value)
LCRA_ONLY = (StockClass.LOW_COST_RENTAL.value,)


@dataclass(frozen=True)
class FilterQuestion:
    field: str
    text: str
    choices: tuple[tuple[str, str], ...]
    # The answer that lets the measure count the respondent.
    counts_when: str = YesNo.YES.value


@dataclass(frozen=True)
class PerceptionQuestion:
    code: str
    name: str
    text: str
    positive: tuple[str, ...]
    scale: tuple[str, ...]
    stock_classes: tuple[str, ...] = BOTH_CLASSES
    filter: FilterQuestion | None = None
    offers_not_applicable: bool = False

    @property
    def field(self) -> str:
        return self.code.lower()

    def text_for(self, landlord: str) -> str:
        return self.text.format(landlord=landlord)

    def choices(self) -> list[tuple[str, str]]:
        # Each scale's own labels: both scales have a "neither" answer, worded differently.
        labels = dict(Agreement.choices if self.scale == AGREEMENT_SCALE else Satisfaction.choices)
        offered = [(value, labels[value]) for value in self.scale]
        if self.offers_not_applicable:
            offered.append((Satisfaction.NOT_APPLICABLE.value, Satisfaction.NOT_APPLICABLE.label))
        return offered


HAD_REPAIR = FilterQuestion(
    field="had_repair",
    text="Has {landlord} carried out a repair to your home in the last 12 months?",
    choices=tuple(YesNo.choices),
)
MADE_COMPLAINT = FilterQuestion(
    field="made_complaint",
    text="Have you made a complaint to {landlord} in the last 12 months?",
    choices=tuple(YesNo.choices),
)
HAS_COMMUNAL_AREAS = FilterQuestion(
    field="has_communal_areas",
    text="Do you live in a building with communal areas, either inside or outside, that "
    "{landlord} is responsible for maintaining?",
    choices=tuple(YesNoDontKnow.choices),
)


def _satisfaction(code, name, text, **kwargs) -> PerceptionQuestion:
    return PerceptionQuestion(
        code=code, name=name, text=text, positive=SATISFIED, scale=SATISFACTION_SCALE, **kwargs
    )


QUESTIONS: tuple[PerceptionQuestion, ...] = (
    _satisfaction(
        "TP01",
        "Overall satisfaction",
        "Taking everything into account, how satisfied or dissatisfied are you with the "
        "service provided by {landlord}?",
    ),
    _satisfaction(
        "TP02",
        "Satisfaction with repairs",
        "How satisfied or dissatisfied are you with the overall repairs service from "
        "{landlord} over the last 12 months?",
        stock_classes=LCRA_ONLY,
        filter=HAD_REPAIR,
    ),
    _satisfaction(
        "TP03",
        "Satisfaction with the time taken to complete the most recent repair",
        "How satisfied or dissatisfied are you with the time taken to complete your most "
        "recent repair after you reported it?",
        stock_classes=LCRA_ONLY,
        filter=HAD_REPAIR,
    ),
    _satisfaction(
        "TP04",
        "Satisfaction that the home is well maintained",
        "How satisfied or dissatisfied are you that {landlord} provides a home that is well "
        "maintained?",
    ),
    _satisfaction(
        "TP05",
        "Satisfaction that the home is safe",
        "Thinking about the condition of the property or building you live in, how satisfied "
        "or dissatisfied are you that {landlord} provides a home that is safe?",
    ),
    _satisfaction(
        "TP06",
        "Satisfaction that the landlord listens to tenant views and acts upon them",
        "How satisfied or dissatisfied are you that {landlord} listens to your views and acts "
        "upon them?",
    ),
    _satisfaction(
        "TP07",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "How satisfied or dissatisfied are you that {landlord} keeps you informed about things "
        "that matter to you?",
    ),
    PerceptionQuestion(
        code="TP08",
        name="Agreement that the landlord treats tenants fairly and with respect",
        text="To what extent do you agree or disagree with the following: "
        '"{landlord} treats me fairly and with respect"?',
        positive=AGREE,
        scale=AGREEMENT_SCALE,
    ),
    _satisfaction(
        "TP09",
        "Satisfaction with the landlord's approach to handling complaints",
        "How satisfied or dissatisfied are you with {landlord}'s approach to complaints handling?",
        filter=MADE_COMPLAINT,
    ),
    _satisfaction(
        "TP10",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "How satisfied or dissatisfied are you that {landlord} keeps these communal areas "
        "clean and well maintained?",
        filter=HAS_COMMUNAL_AREAS,
    ),
    _satisfaction(
        "TP11",
        "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "How satisfied or dissatisfied are you that {landlord} makes a positive contribution "
        "to your neighbourhood?",
        offers_not_applicable=True,
    ),
    _satisfaction(
        "TP12",
        "Satisfaction with the landlord's approach to handling anti-social behaviour",
        "How satisfied or dissatisfied are you with {landlord}'s approach to handling "
        "anti-social behaviour?",
        offers_not_applicable=True,
    ),
)

QUESTIONS_BY_CODE = {question.code: question for question in QUESTIONS}
