"""Benchmarking against peer landlords: their published TSM figures, imported from a CSV (the
regulator publishes every landlord's as a spreadsheet), and our figure beside the peers'
median and quartiles."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from import_export import fields

from kernel.figures import rounded
from kernel.reporting import EARLIEST_FIRST_YEAR, ReportingYear
from kernel.spreadsheets import SpreadsheetSafeResource
from performance.models import PeerFigure, PublishedTsmFigure
from performance.tsm.definitions import VERSIONS, MeasureDefinition, definitions_for

KNOWN_PARTS = frozenset(d.part for _, _, lines in VERSIONS for d in lines)
HIGHEST_FIGURE = Decimal("1000")  # a percentage is at most 100; a rate per 1,000 homes, 1000
LANDLORD_MAX_LENGTH = 200


class PeerFigureResource(SpreadsheetSafeResource):
    """One line of the peers' file: ``landlord,year,measure,figure``. Each cell is checked
    before the row is saved; a bad cell makes the row invalid with a message saying which."""

    landlord = fields.Field(attribute="landlord", column_name="landlord")
    year = fields.Field(attribute="first_year", column_name="year")
    measure = fields.Field(attribute="part", column_name="measure")
    figure = fields.Field(attribute="figure", column_name="figure")

    class Meta:
        model = PeerFigure
        fields = ("landlord", "year", "measure", "figure")
        import_id_fields = ("landlord", "year", "measure")
        skip_unchanged = False

    def __init__(self, *, imported_at=None, **kwargs):
        super().__init__(**kwargs)
        self.imported_at = imported_at

    def before_import_row(self, row, **kwargs):
        problems = {}
        landlord = (row.get("landlord") or "").strip()
        if not landlord:
            problems["landlord"] = "Enter the landlord's name."
        elif len(landlord) > LANDLORD_MAX_LENGTH:
            problems["landlord"] = f"A landlord's name is at most {LANDLORD_MAX_LENGTH} characters."
        row["landlord"] = landlord
        year = (row.get("year") or "").strip()
        if not year.isdigit() or not EARLIEST_FIRST_YEAR <= int(year) <= 2100:
            problems["year"] = "The year is the first year of the reporting year, like 2025."
        row["year"] = year
        measure = (row.get("measure") or "").strip().upper()
        if measure not in KNOWN_PARTS:
            problems["measure"] = (
                f"{measure or 'An empty cell'} is not a TSM, like CH01(1) or TP01."
            )
        row["measure"] = measure
        text = (row.get("figure") or "").strip().rstrip("%")
        try:
            figure = Decimal(text)
        except InvalidOperation:
            figure = None
        if figure is None or not figure.is_finite() or not 0 <= figure <= HIGHEST_FIGURE:
            problems["figure"] = "The figure is a number from 0 to 1000, like 12.5."
        else:
            row["figure"] = str(rounded(figure))
        if problems:
            raise ValidationError(problems)

    def before_save_instance(self, instance, row, **kwargs):
        instance.imported_at = self.imported_at


def peer_import_errors(result) -> list[tuple[int, str]]:
    """Every bad row of an import's result as (line of the file, message), the header being
    line 1."""
    errors: list[tuple[int, str]] = []
    for invalid in result.invalid_rows:
        messages = "; ".join(
            f"{name}: {' '.join(str(m) for m in found)}"
            for name, found in invalid.error.message_dict.items()
        )
        errors.append((invalid.number + 1, messages))
    for number, row_errors in result.row_errors():
        errors.append((number + 1, "; ".join(str(e.error) for e in row_errors)))
    if result.has_validation_errors() is False and not errors and result.base_errors:
        errors.append((1, "; ".join(str(e.error) for e in result.base_errors)))
    return sorted(errors)


@dataclass(frozen=True)
class BenchmarkLine:
    definition: MeasureDefinition
    ours: PublishedTsmFigure | None
    peers: int
    lower_quartile: Decimal | None
    median: Decimal | None
    upper_quartile: Decimal | None


def _quantise(value) -> Decimal:
    # As every published figure: one decimal place, halves up (kernel.figures).
    return rounded(Decimal(value))


def latest_peer_year(offered: list[ReportingYear]) -> ReportingYear | None:
    """The newest of the ``offered`` years that has peers' figures: peers publish a year's
    figures after it ends, so the benchmark opens on the last year they cover. One query."""
    years = {y.first_year: y for y in offered}
    latest = (
        PeerFigure.objects.filter(first_year__in=list(years))
        .order_by("-first_year")
        .values_list("first_year", flat=True)
        .first()
    )
    return years.get(latest) if latest is not None else None


def benchmark(year: ReportingYear) -> list[BenchmarkLine]:
    """Every line of ``year``'s return: our published figure, and the peers' median and
    quartiles (inclusive method, as a spreadsheet's QUARTILE.INC) where at least one peer
    published it. Two queries."""
    peers: dict[str, list[Decimal]] = {}
    for part, figure in PeerFigure.objects.filter(first_year=year.first_year).values_list(
        "part", "figure"
    ):
        peers.setdefault(part, []).append(figure)
    ours = {row.part: row for row in PublishedTsmFigure.objects.filter(first_year=year.first_year)}
    lines = []
    for definition in definitions_for(year).lines:
        values = sorted(peers.get(definition.part, []))
        quartiles: tuple[Decimal | None, Decimal | None, Decimal | None]
        if len(values) >= 2:
            q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
            quartiles = (_quantise(q1), _quantise(q2), _quantise(q3))
        elif values:
            quartiles = (values[0], values[0], values[0])
        else:
            quartiles = (None, None, None)
        lines.append(
            BenchmarkLine(
                definition=definition,
                ours=ours.get(definition.part),
                peers=len(values),
                lower_quartile=quartiles[0],
                median=quartiles[1],
                upper_quartile=quartiles[2],
            )
        )
    return lines
