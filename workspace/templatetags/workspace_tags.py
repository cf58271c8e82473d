"""The workspace's lists draw a case's clock in every row: a filter, not an ``{% include %}``
per row (an include renders a template of its own each time: a page of 150 rows paid for 150)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from casework.selectors import ClockState

register = template.Library()


@register.filter
def clock_badge(state: ClockState) -> SafeString:
    """Red, amber or green as a word and a colour; "No clock" plainly."""
    state = ClockState(state)
    if state == ClockState.NO_CLOCK:
        return format_html(
            '<span class="casework-clock casework-clock-no_clock">{}</span>', "No clock"
        )
    return format_html(
        '<strong class="casework-clock casework-clock-{}">{}</strong>', state.value, state.label
    )
