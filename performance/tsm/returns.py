"""The TSM return for a reporting year: every line of the version of the definitions the year
is reported under, each with its figures from its provider or "not yet recorded"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kernel.reporting import ReportingYear
from performance.tsm.definitions import MeasureDefinition, Unit, definitions_for
from performance.tsm.registry import PartFigures, provider_for

NOT_YET_RECORDED = "not yet recorded"


@dataclass(frozen=True)
class ReturnLine:
    definition: MeasureDefinition
    figures: PartFigures | None  # None: the records this measure needs do not exist yet

    @property
    def recorded(self) -> bool:
        return self.figures is not None

    @property
    def figure_text(self) -> str:
        """The figure as a person reads it: "66.7%", "12.5 per 1,000 homes", "no cases in
        the year" (nothing to divide by), or "not yet recorded"."""
        if self.figures is None:
            return NOT_YET_RECORDED
        if self.figures.figure is None:
            return "none to count"
        return format_figure(self.figures.figure, self.definition.unit)


def format_figure(figure: Decimal, unit: Unit) -> str:
    if unit == Unit.PERCENT:
        return f"{figure}%"
    return f"{figure} per 1,000 homes"


@dataclass(frozen=True)
class TsmReturn:
    year: ReportingYear
    version_title: str
    lines: tuple[ReturnLine, ...]

    def line(self, part: str) -> ReturnLine:
        for line in self.lines:
            if line.definition.part == part:
                return line
        raise KeyError(part)

    @property
    def recorded_count(self) -> int:
        return sum(1 for line in self.lines if line.recorded)

    def measure_codes(self) -> list[str]:
        return list(dict.fromkeys(line.definition.code for line in self.lines))


def tsm_return(year: ReportingYear) -> TsmReturn:
    """All 22 measures (26 lines) for ``year``. Each provider runs once, whatever the number
    of codes it answers; its queries are its own (complaints five, repairs two)."""
    version = definitions_for(year)
    answers: dict[int, dict[str, PartFigures]] = {}
    lines = []
    for definition in version.lines:
        provider = provider_for(definition.code)
        figures = None
        if provider is not None:
            if id(provider) not in answers:
                answers[id(provider)] = dict(provider(year))
            figures = answers[id(provider)].get(definition.part)
        lines.append(ReturnLine(definition=definition, figures=figures))
    return TsmReturn(year=year, version_title=version.title, lines=tuple(lines))


# The regulator's data collection template: one line per measure part, in its order, with the
# numbers a person types into the form.
TEMPLATE_HEADER = [
    "Reporting year",
    "Measure",
    "Template reference",
    "Description",
    "Source",
    "Numerator",
    "Denominator",
    "Result",
    "Unit",
    "Status",
]


def template_rows(tsm: TsmReturn) -> Iterator[list]:
    yield TEMPLATE_HEADER
    for line in tsm.lines:
        d = line.definition
        f = line.figures
        yield [
            tsm.year.label,
            d.part,
            d.template_reference,
            d.name,
            str(d.source),
            "" if f is None else f.numerator,
            "" if f is None else f.denominator,
            "" if f is None or f.figure is None else f.figure,
            str(d.unit),
            NOT_YET_RECORDED
            if f is None
            else ("recorded" if f.figure is not None else "none to count"),
        ]
