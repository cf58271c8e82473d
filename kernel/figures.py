"""How every published figure is rounded: one rule for every dashboard and measures page.

The Regulator of Social Housing's Tenant Satisfaction Measures technical requirements report
percentages (and rates per 1,000 homes) to one decimal place with halves rounded up, so 6.25%
is 6.3%, never 6.2%. Python's ``round`` and ``Decimal.quantize``'s default round halves to the
nearest even digit, and a float cannot hold most halves exactly; hence ``Decimal`` throughout.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def rounded(value: Decimal) -> Decimal:
    """``value`` to one decimal place, halves up."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded as published; None when there is no whole."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole))


def per_thousand(count: int, homes: int) -> Decimal | None:
    """``count`` per 1,000 ``homes`` (CH01, NM01), rounded as published; None with no homes."""
    if not homes:
        return None
    return rounded(Decimal(count) * 1000 / Decimal(homes))
