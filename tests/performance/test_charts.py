"""The weekly trend chart, drawn on the server as SVG."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from performance.charts import nice_ceiling, trend_chart_svg
from performance.selectors import TrendWeek


def weeks(*figures: tuple[int, int]) -> list[TrendWeek]:
    first = dt.date(2026, 9, 7)
    return [
        TrendWeek(week_start=first + dt.timedelta(weeks=n), due=due, met_on_time=on_time)
        for n, (due, on_time) in enumerate(figures)
    ]


def test_the_count_axis_ends_on_a_round_number_divisible_into_gridlines():
    assert [nice_ceiling(n) for n in (0, 3, 7, 19, 41, 130, 12785, 16161)] == [
        4,
        4,
        8,
        20,
        80,
        200,
        20000,
        20000,
    ]


def test_a_week_with_nothing_due_breaks_the_line_and_gets_no_point():
    svg = trend_chart_svg(weeks((10, 9), (8, 8), (0, 0), (5, 4), (6, 3)), subject="all")
    assert svg.count("<polyline") == 2
    assert re.findall(r'data-percent="([\d.]+)"', svg) == ["90.0", "100.0", "80.0", "50.0"]
    assert re.findall(r'data-due="(\d+)"', svg) == ["10", "8", "0", "5", "6"]


def test_the_description_names_the_extremes():
    svg = trend_chart_svg(weeks((10, 9), (4, 1), (5, 5)), subject="all commitments")
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert (
        "for all commitments, for the 3 weeks from the week commencing Monday 7 September 2026"
        in desc
    )
    assert "Lowest: 25.0% in the week commencing Monday 14 September 2026" in desc
    assert "Highest: 100.0% in the week commencing Monday 21 September 2026" in desc


def test_text_from_the_database_is_escaped():
    svg = trend_chart_svg(weeks((1, 1)), subject='<script>alert("x")</script>')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_the_target_is_drawn_as_a_dashed_line_when_given():
    svg = trend_chart_svg(weeks((1, 1)), subject="one", target_percent=Decimal("92.50"))
    assert 'data-target="92.50"' in svg
    assert "Target: 92.5% (dashed line)" in svg
    assert "data-target" not in trend_chart_svg(weeks((1, 1)), subject="all")
