"""Money in whole pence shown as pounds: 12345 is £123.45."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pence = abs(int(pence))
    return f"{sign}£{pence // 100:,}.{pence % 100:02d}"
