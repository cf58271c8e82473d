"""Where each Tenant Satisfaction Measure's figures come from: one provider per area.

A provider is a function of the reporting year returning, for each line (part) of the return it
can answer, a ``PartFigures``: numerator, denominator, the published figure, and a callable
listing the cases counted, for the staff drill-down. It is registered under each measure code it
answers (``register_provider("CH01", ...)``), once per process, by ``performance.tsm.providers``.

A measure with no provider, or a part its provider does not return, is "not yet recorded":
never 0, never 100%. A provider is called at most once per computation of the return however
many measure codes it is registered under (BS01 to BS05 share one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kernel.reporting import ReportingYear


@dataclass(frozen=True)
class CountedCase:
    """One case in a measure's drill-down: counted in the denominator, and ``in_numerator``
    when it also counts towards the figure (met the target, was a hate incident...)."""

    reference: str
    kind: str
    in_numerator: bool
    detail: str = ""
    admin_url: str | None = None


def _no_cases(limit: int) -> Sequence[CountedCase]:
    return ()


@dataclass(frozen=True)
class PartFigures:
    """One line's figures. ``figure`` is already rounded as published (``kernel.figures``);
    None when the denominator is 0. ``counted_cases(limit)`` is called only for a drill-down
    and returns at most ``limit`` cases, oldest first."""

    numerator: int
    denominator: int
    figure: Decimal | None
    counted_cases: Callable[[int], Sequence[CountedCase]] = field(default=_no_cases, compare=False)
    # Why the drill-down lists nothing although things were counted (sensitive cases,
    # anonymous answers); empty when the cases are listed.
    cases_not_listed: str = ""


# A provider: the reporting year in, figures by part code ("CH01(1)", "BS03") out.
MeasureProvider = Callable[[ReportingYear], Mapping[str, PartFigures]]

_providers: dict[str, MeasureProvider] = {}


def register_provider(code: str, provider: MeasureProvider) -> MeasureProvider:
    """Make ``provider`` the source of measure ``code`` (``CH01``, ``BS03``, ``TP07``).
    Registering the same provider again changes nothing; a second provider for a code
    replaces the first (the area that owns the measure has landed)."""
    _providers[code] = provider
    return provider


def unregister_provider(code: str) -> None:
    _providers.pop(code, None)


def provider_for(code: str) -> MeasureProvider | None:
    return _providers.get(code)


def registered_codes() -> set[str]:
    return set(_providers)
