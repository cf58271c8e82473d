"""Celery tasks of the compliance register. Thin: one service call each, safe to run again."""

from __future__ import annotations

from celery import shared_task

from safety import services


@shared_task(name="safety.tasks.send_check_invitations", ignore_result=True)
def send_check_invitations() -> int:
    """Invite households to book checks falling due, and remind them; once per check and clock.
    Put the alarms check of each home whose tenancy starts soon on its first day."""
    services.tenancy_start_alarms_due()
    return services.invitations_send()
