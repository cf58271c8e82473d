"""The 22 Tenant Satisfaction Measures as the regulator defines them, versioned by reporting year.

The definitions change (the Technical Requirements were revised on 15 March 2024 for the 2024
Complaint Handling Code, and a TSM Direction is due from 1 October 2026), so each reporting year
reads the latest version that had started by its first day (``definitions_for``). A new version
is a new entry in ``VERSIONS``; a year already reported keeps the version it was reported under.

Each measure with two parts (CH01, CH02, NM01, RP02) is two lines of the return, as the
regulator's data collection asks for both parts.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from kernel.reporting import ReportingYear


class Unit(enum.StrEnum):
    PERCENT = "percent"
    PER_THOUSAND_HOMES = "per 1,000 homes"


class Source(enum.StrEnum):
    MANAGEMENT_INFORMATION = "management information"
    PERCEPTION_SURVEY = "tenant perception survey"


@dataclass(frozen=True)
class MeasureDefinition:
    """One line of the return. ``code`` is the measure (``CH01``), which the provider registry
    is keyed by; ``part`` is the line (``CH01(1)``); a one-part measure's part is its code."""

    code: str
    part: str
    name: str
    numerator: str
    denominator: str
    exclusions: str
    unit: Unit
    source: Source
    # The column of the regulator's data collection template this line fills.
    template_reference: str
    # Snapshot measures are taken at 31 March; flow measures count the whole year.
    snapshot: bool = False

    @property
    def is_perception(self) -> bool:
        return self.source == Source.PERCEPTION_SURVEY


MI = Source.MANAGEMENT_INFORMATION
TP = Source.PERCEPTION_SURVEY
PCT = Unit.PERCENT
PER_1000 = Unit.PER_THOUSAND_HOMES

_BUILDING_SAFETY = [
    (
        "BS01",
        "gas safety checks",
        "Units requiring gas safety checks (in the dwelling, or served by communal gas)",
    ),
    ("BS02", "fire risk assessments", "Units in properties that require a fire risk assessment"),
    (
        "BS03",
        "asbestos management surveys or re-inspections",
        "Units requiring asbestos surveys or re-inspections",
    ),
    ("BS04", "legionella risk assessments", "Units requiring legionella risk assessments"),
    ("BS05", "communal passenger lift safety checks", "Units served by communal passenger lifts"),
]

_PERCEPTION = [
    ("TP01", "Overall satisfaction with the service provided", "Valid responses"),
    ("TP02", "Satisfaction with repairs", "Respondents who had a repair in the last 12 months"),
    (
        "TP03",
        "Satisfaction with the time taken to complete the most recent repair",
        "Respondents who had a repair in the last 12 months",
    ),
    ("TP04", "Satisfaction that the home is well maintained", "Valid responses"),
    ("TP05", "Satisfaction that the home is safe", "Valid responses"),
    (
        "TP06",
        "Satisfaction that the landlord listens to tenant views and acts upon them",
        "Valid responses",
    ),
    (
        "TP07",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "Valid responses",
    ),
    (
        "TP08",
        "Agreement that the landlord treats tenants fairly and with respect",
        "Valid responses",
    ),
    (
        "TP09",
        "Satisfaction with the landlord's approach to handling complaints",
        "Respondents who complained in the last 12 months",
    ),
    (
        "TP10",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "Respondents living in a building with communal areas",
    ),
    (
        "TP11",
        "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "Valid responses",
    ),
    (
        "TP12",
        "Satisfaction with the landlord's approach to handling anti-social behaviour",
        "Valid responses",
    ),
]


def _first_version() -> tuple[MeasureDefinition, ...]:
    homes = (
        "Low-cost rental and low-cost home ownership homes owned at 31 March "
        "(tenancy.selectors.homes_counted_for_tsms)"
    )
    lines = [
        MeasureDefinition(
            code,
            code,
            f"Proportion of homes for which all required {what} have been carried out",
            f"Units where all required {what} were carried out and in date at 31 March",
            denominator,
            "Completion of remedial actions is not required; units served by communal systems "
            "are included.",
            PCT,
            MI,
            code,
            snapshot=True,
        )
        for code, what, denominator in _BUILDING_SAFETY
    ]
    lines += [
        MeasureDefinition(
            "CH01",
            "CH01(1)",
            "Number of stage one complaints received per 1,000 homes",
            "Stage one complaints received in the year",
            homes,
            "Complaints refused (not accepted into the process) are not counted.",
            PER_1000,
            MI,
            "CH01_1",
        ),
        MeasureDefinition(
            "CH01",
            "CH01(2)",
            "Number of stage two complaints received per 1,000 homes",
            "Stage two escalations received in the year",
            homes,
            "None.",
            PER_1000,
            MI,
            "CH01_2",
        ),
        MeasureDefinition(
            "CH02",
            "CH02(1)",
            "Proportion of stage one complaints responded to within the Complaint Handling "
            "Code timescales",
            "Stage one responses in the year acknowledged within 5 working days and answered "
            "within 10 working days of acknowledgement (or a Code-compliant extension)",
            "Stage one complaints responded to in the year",
            "Complaints not yet answered are not counted until they are.",
            PCT,
            MI,
            "CH02_1",
        ),
        MeasureDefinition(
            "CH02",
            "CH02(2)",
            "Proportion of stage two complaints responded to within the Complaint Handling "
            "Code timescales",
            "Stage two responses in the year acknowledged within 5 working days and answered "
            "within 20 working days of acknowledgement (or a Code-compliant extension)",
            "Stage two complaints responded to in the year",
            "Complaints not yet answered are not counted until they are.",
            PCT,
            MI,
            "CH02_2",
        ),
        MeasureDefinition(
            "NM01",
            "NM01(1)",
            "Number of anti-social behaviour cases opened per 1,000 homes",
            "ASB cases (hate incidents included) opened in the year",
            homes,
            "Further reports about the same matter while a case is open are not new cases.",
            PER_1000,
            MI,
            "NM01_1",
        ),
        MeasureDefinition(
            "NM01",
            "NM01(2)",
            "Number of anti-social behaviour cases that involve hate incidents opened per "
            "1,000 homes",
            "ASB cases involving hate incidents opened in the year",
            homes,
            "As NM01(1).",
            PER_1000,
            MI,
            "NM01_2",
        ),
        MeasureDefinition(
            "RP01",
            "RP01",
            "Proportion of homes that do not meet the Decent Homes Standard",
            "Relevant homes failing the Decent Homes Standard at 31 March",
            "All relevant low-cost rental homes",
            "Homes with an agreed exemption are counted as the Standard directs.",
            PCT,
            MI,
            "RP01",
            snapshot=True,
        ),
        MeasureDefinition(
            "RP02",
            "RP02(1)",
            "Proportion of non-emergency responsive repairs completed within the landlord's "
            "target timescale",
            "Non-emergency responsive repairs completed within target in the year",
            "Non-emergency responsive repairs completed in the year (low-cost rental homes)",
            "Repairs not completed in the year, and repairs in homes that are not low-cost "
            "rental, are not counted.",
            PCT,
            MI,
            "RP02_1",
        ),
        MeasureDefinition(
            "RP02",
            "RP02(2)",
            "Proportion of emergency responsive repairs completed within the landlord's target "
            "timescale",
            "Emergency responsive repairs completed within target in the year",
            "Emergency responsive repairs completed in the year (low-cost rental homes)",
            "As RP02(1).",
            PCT,
            MI,
            "RP02_2",
        ),
    ]
    lines += [
        MeasureDefinition(
            code,
            code,
            name,
            "Tenant agreement" if code == "TP08" else "Very or fairly satisfied",
            denominator,
            "'Don't know' and 'not applicable' answers are left out of the base where the "
            "survey requirements allow them.",
            PCT,
            TP,
            code,
        )
        for code, name, denominator in _PERCEPTION
    ]
    order = ["BS", "CH", "NM", "RP", "TP"]
    return tuple(sorted(lines, key=lambda d: (order.index(d.code[:2]), d.part)))


def _revised_for_2024_code(lines: tuple[MeasureDefinition, ...]) -> tuple[MeasureDefinition, ...]:
    """15 March 2024: CH01 and CH02 follow the 2024 Complaint Handling Code (statutory from
    1 April 2024), whose stage two response is due within 20 working days."""
    revised = []
    for line in lines:
        if line.code in {"CH01", "CH02"}:
            line = dataclasses.replace(
                line, exclusions=line.exclusions + " Timescales of the 2024 Code."
            )
        revised.append(line)
    return tuple(revised)


FIRST = _first_version()
# First reporting year each version applies to, oldest first.
VERSIONS: tuple[tuple[int, str, tuple[MeasureDefinition, ...]], ...] = (
    (2023, "Technical Requirements, April 2022", FIRST),
    (
        2024,
        "Technical Requirements, revised 15 March and 2 April 2024",
        _revised_for_2024_code(FIRST),
    ),
)

MEASURE_CODES: tuple[str, ...] = tuple(dict.fromkeys(d.code for d in FIRST))


@dataclass(frozen=True)
class DefinitionVersion:
    first_year: int
    title: str
    lines: tuple[MeasureDefinition, ...]


def definitions_for(year: ReportingYear) -> DefinitionVersion:
    """The version of the definitions a reporting year is reported under: the latest one that
    had started by that year (the first version for any year before it)."""
    chosen = VERSIONS[0]
    for version in VERSIONS:
        if version[0] <= year.first_year:
            chosen = version
    return DefinitionVersion(*chosen)
