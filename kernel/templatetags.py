"""The date and time filters of every template (a builtin library, see ``TEMPLATES`` in the
settings), so that no template formats a date its own way: ``{{ repair.opened_at|london_date }}``.

The filters are the functions of ``kernel.formatting``; a letter rendered from a template and a
text message built in Python read the same.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from kernel import formatting

register = template.Library()

for _format in (
    formatting.london_time,
    formatting.london_date,
    formatting.london_datetime,
    formatting.london_short_date,
    formatting.london_short_datetime,
    formatting.london_month,
    formatting.iso_date,
    formatting.iso_datetime,
):
    register.filter(_format.__name__, _format, is_safe=True)


@register.simple_tag
def london_now() -> str:
    """``Tuesday 8 December 2026 at 11:51pm``, the moment the page was made."""
    return formatting.london_datetime(timezone.now())
