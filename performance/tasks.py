"""Celery tasks of the performance app. Thin: one service call each."""

from __future__ import annotations

from celery import shared_task

from performance import services


@shared_task(name="performance.tasks.refresh_rollups", ignore_result=True)
def refresh_rollups() -> int:
    """Every five minutes (portal/celery.py): recompute the rollups of recent closed days, and
    of every day the dashboard reads on the first run of each day."""
    return services.rollups_refresh().rows


@shared_task(name="performance.tasks.refresh_published_figures", ignore_result=True)
def refresh_published_figures() -> int:
    """Daily: the TSM lines the public page shows, this year's and last year's."""
    return services.published_figures_refresh()


@shared_task(name="performance.tasks.generate_board_report", ignore_result=True)
def generate_board_report() -> int:
    """Monthly, on the 1st: last month's Board report, kept."""
    return services.board_report_for_last_month().pk


@shared_task(name="performance.tasks.start_complaint_handling_clock", ignore_result=True)
def start_complaint_handling_clock() -> int:
    """Daily: the reporting year just ended has its Complaint Handling Code pack, and the
    clock to the Ombudsman's submission date is running."""
    return services.chc_submission_clocks_start().pk
