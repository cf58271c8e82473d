"""The weekly trend as an inline SVG, drawn on the server.

No JavaScript and no style attributes (the Content-Security-Policy allows neither): only SVG
presentation attributes. The chart is one image to assistive technology (``role="img"`` with a
title and description); the table beside it on the page holds the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kernel.formatting import london_date
from performance.selectors import TrendWeek

# Drawn for a half-width column (about 450 px), so 14-unit text shows at about 13 px.
WIDTH = 480
HEIGHT = 400
LEFT = 56  # room for the count axis
RIGHT = 56  # room for the percentage axis
TOP = 70  # room for the legend, one entry a line
BOTTOM = 70  # room for the slanted week labels
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
# Both pass 3:1 against white for graphical objects (WCAG 2.2, 1.4.11).
BAR = "#5694ca"
LINE = "#0b0c0c"
TARGET = "#d4351c"
GRIDLINES = 4
# The site's font stack (assets/portal.scss): an attribute, since a style would break the CSP.
FONT = "system-ui, -apple-system, &quot;Segoe UI&quot;, Roboto, Arial, sans-serif"


def nice_ceiling(value: int) -> int:
    """The top of the count axis: ``GRIDLINES`` equal whole steps of 1, 2, 2.5 or 5 times a
    power of ten, reaching at least ``value``."""
    if value <= GRIDLINES:
        return GRIDLINES
    raw_step = value / GRIDLINES
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw_step and float(step).is_integer():
            return int(step) * GRIDLINES
    return 10 * magnitude * GRIDLINES  # unreachable: 10 times the magnitude always fits


def _plain(number: Decimal) -> str:
    """95.00 as 95, 92.50 as 92.5."""
    return format(number.normalize(), "f")


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def week_label(week: TrendWeek) -> str:
    return london_date(week.week_start)


def describe(weeks: Sequence[TrendWeek], subject: str) -> str:
    """The chart's text alternative: what it shows, and its extremes."""
    if not weeks:
        return f"No weeks to show for {subject}."
    text = (
        f"Deadlines due each week (bars, left axis) and the percentage met on time (line, "
        f"right axis) for {subject}, for the {len(weeks)} weeks from the week commencing "
        f"{week_label(weeks[0])} to the week commencing {week_label(weeks[-1])}."
    )
    with_data = [w for w in weeks if w.percent_met_on_time is not None]
    if with_data:
        lowest = min(with_data, key=lambda w: (w.percent_met_on_time, w.week_start))
        highest = max(with_data, key=lambda w: (w.percent_met_on_time, w.week_start))
        text += (
            f" Lowest: {lowest.percent_met_on_time}% in the week commencing "
            f"{week_label(lowest)}. Highest: {highest.percent_met_on_time}% in the week "
            f"commencing {week_label(highest)}."
        )
    return text + " The table beside the chart gives every figure."


def trend_chart_svg(
    weeks: Sequence[TrendWeek],
    *,
    subject: str,
    chart_id: str = "trend-chart",
    target_percent: Decimal | None = None,
) -> SafeString:
    """An SVG bar and line chart of ``weeks``. Every bar and point carries its figures in
    ``data-*`` attributes and a ``<title>`` (a tooltip for sighted mouse users)."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    count_max = nice_ceiling(max((w.due for w in weeks), default=0))
    band = plot_width / max(len(weeks), 1)

    def y_count(count: int) -> float:
        return baseline - plot_height * count / count_max

    def y_percent(value: Decimal) -> float:
        return baseline - plot_height * float(value) / 100

    title = f"Weekly trend: {subject}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" id="{escape(chart_id)}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="14">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(describe(weeks, subject))}</desc>',
    ]
    # Gridlines with both axes' labels.
    for step in range(GRIDLINES + 1):
        y = baseline - plot_height * step / GRIDLINES
        parts.append(
            f'<line x1="{LEFT}" y1="{_number(y)}" x2="{LEFT + plot_width}" '
            f'y2="{_number(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{_number(y + 4)}" text-anchor="end" '
            f'fill="{TEXT}">{count_max * step // GRIDLINES}</text>'
        )
        parts.append(
            f'<text x="{LEFT + plot_width + 6}" y="{_number(y + 4)}" fill="{TEXT}">'
            f"{100 * step // GRIDLINES}%</text>"
        )
    # Legend.
    parts.append(f'<rect x="{LEFT}" y="4" width="14" height="14" fill="{BAR}"/>')
    parts.append(f'<text x="{LEFT + 22}" y="16" fill="{TEXT}">Deadlines due (left axis)</text>')
    parts.append(
        f'<line x1="{LEFT}" y1="29" x2="{LEFT + 16}" y2="29" stroke="{LINE}" stroke-width="2"/>'
    )
    parts.append(f'<text x="{LEFT + 22}" y="34" fill="{TEXT}">% met on time (right axis)</text>')
    if target_percent is not None:
        y = y_percent(target_percent)
        parts.append(
            f'<line x1="{LEFT}" y1="{_number(y)}" x2="{LEFT + plot_width}" '
            f'y2="{_number(y)}" stroke="{TARGET}" stroke-width="2" '
            f'stroke-dasharray="6 4" data-target="{target_percent}"/>'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="47" x2="{LEFT + 16}" y2="47" stroke="{TARGET}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + 22}" y="52" fill="{TEXT}">Target: {_plain(target_percent)}% '
            "(dashed line)</text>"
        )

    points: list[tuple[float, float, TrendWeek]] = []
    for index, week in enumerate(weeks):
        centre = LEFT + band * (index + 0.5)
        bar_width = band * 0.6
        top = y_count(week.due)
        label = week_label(week)
        parts.append(
            f'<rect class="portal-chart__bar" x="{_number(centre - bar_width / 2)}" '
            f'y="{_number(top)}" width="{_number(bar_width)}" '
            f'height="{_number(baseline - top)}" fill="{BAR}" '
            f'data-week="{week.week_start.isoformat()}" data-due="{week.due}">'
            f"<title>Week commencing {escape(label)}: {week.due} due</title></rect>"
        )
        # Slanted, so twelve or more labels fit side by side.
        label_x, label_y = _number(centre + 4), baseline + 14
        parts.append(
            f'<text x="{label_x}" y="{label_y}" text-anchor="end" '
            f'transform="rotate(-45 {label_x} {label_y})" fill="{TEXT}">'
            f"{week.week_start.day} {week.week_start:%b}</text>"
        )
        if week.percent_met_on_time is not None:
            points.append((centre, y_percent(week.percent_met_on_time), week))
    parts.append(
        f'<text x="{LEFT + plot_width / 2}" y="{HEIGHT - 6}" text-anchor="middle" '
        f'fill="{TEXT}">Week commencing</text>'
    )

    # The line breaks where a week had nothing due: no figure is invented for it.
    segment: list[str] = []
    for index, week in enumerate(weeks):
        if week.percent_met_on_time is None:
            parts.extend(_polyline(segment))
            segment = []
            continue
        centre = LEFT + band * (index + 0.5)
        segment.append(f"{_number(centre)},{_number(y_percent(week.percent_met_on_time))}")
    parts.extend(_polyline(segment))
    for centre, y, week in points:
        parts.append(
            f'<circle class="portal-chart__point" cx="{_number(centre)}" cy="{_number(y)}" r="4" '
            f'fill="{LINE}" data-week="{week.week_start.isoformat()}" '
            f'data-percent="{week.percent_met_on_time}">'
            f"<title>Week commencing {escape(week_label(week))}: {week.percent_met_on_time}% "
            f"met on time</title></circle>"
        )
    parts.append("</svg>")
    # Every interpolated text was escaped above; numbers and dates are ours.
    return mark_safe("".join(parts))  # noqa: S308


def _polyline(points: list[str]) -> list[str]:
    """A line through two or more points; nothing for fewer (a lone point is drawn alone)."""
    if len(points) < 2:
        return []
    return [f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" stroke-width="2"/>']


# ---------------------------------------------------------------------------------------------
# The public page: one chart per service area
# ---------------------------------------------------------------------------------------------

AREA_WIDTH = 640
AREA_LABEL = 260  # room for the commitment's title
AREA_ROW = 34
AREA_TOP = 40
AREA_BOTTOM = 30


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def area_chart_svg(area, *, chart_id: str) -> SafeString:
    """Horizontal bars: each commitment's share met on time this year to date, with its target
    marked. A withheld figure (fewer than 5 due) has no bar and says so. The table beneath the
    chart on the page gives every figure in words."""
    lines = area.lines
    plot_left = AREA_LABEL
    plot_width = AREA_WIDTH - AREA_LABEL - 60
    height = AREA_TOP + AREA_BOTTOM + AREA_ROW * max(len(lines), 1)
    title = f"{area.title}: share met on time, year to date"
    described = "; ".join(f"{line.title}: {line.year_to_date.percent_text}" for line in lines)
    description = (
        f"Bars show the percentage of each commitment met on time this reporting year to date, "
        f"with its target marked. {described}. The table below gives every figure."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="portal-chart" id="{escape(chart_id)}" '
        f'width="{AREA_WIDTH}" height="{height}" viewBox="0 0 {AREA_WIDTH} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="14">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for step in range(0, 101, 25):
        x = plot_left + plot_width * step / 100
        parts.append(
            f'<line x1="{_number(x)}" y1="{AREA_TOP - 8}" x2="{_number(x)}" '
            f'y2="{height - AREA_BOTTOM}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_number(x)}" y="{AREA_TOP - 14}" text-anchor="middle" '
            f'fill="{TEXT}">{step}%</text>'
        )
    for index, line in enumerate(lines):
        top = AREA_TOP + AREA_ROW * index
        middle = top + AREA_ROW / 2
        parts.append(
            f'<text x="{plot_left - 8}" y="{_number(middle + 5)}" text-anchor="end" '
            f'fill="{TEXT}">{escape(_short(line.title))}</text>'
        )
        value = line.year_to_date.percent
        if value is None:
            parts.append(
                f'<text x="{plot_left + 6}" y="{_number(middle + 5)}" fill="{TEXT}" '
                f'data-code="{escape(line.code)}" data-withheld="true">'
                f"{escape(line.year_to_date.percent_text)}</text>"
            )
        else:
            width = plot_width * float(value) / 100
            parts.append(
                f'<rect class="portal-chart__bar" x="{plot_left}" y="{_number(top + 6)}" '
                f'width="{_number(width)}" height="{AREA_ROW - 12}" fill="{BAR}" '
                f'data-code="{escape(line.code)}" data-percent="{value}">'
                f"<title>{escape(line.title)}: {value}% on time</title></rect>"
            )
            parts.append(
                f'<text x="{_number(plot_left + width + 6)}" y="{_number(middle + 5)}" '
                f'fill="{TEXT}">{value}%</text>'
            )
        target_x = plot_left + plot_width * float(line.target_percent) / 100
        parts.append(
            f'<line x1="{_number(target_x)}" y1="{_number(top + 2)}" x2="{_number(target_x)}" '
            f'y2="{_number(top + AREA_ROW - 2)}" stroke="{TARGET}" stroke-width="3" '
            f'data-target="{line.target_percent}"/>'
        )
    parts.append(
        f'<line x1="{AREA_LABEL}" y1="{height - 12}" x2="{AREA_LABEL + 16}" y2="{height - 12}" '
        f'stroke="{TARGET}" stroke-width="3"/>'
    )
    parts.append(
        f'<text x="{AREA_LABEL + 22}" y="{height - 7}" fill="{TEXT}">Target (red mark)</text>'
    )
    parts.append("</svg>")
    # Every interpolated text was escaped above; numbers are ours.
    return mark_safe("".join(parts))  # noqa: S308
