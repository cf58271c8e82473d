"""Run the deadline sweep now, e.g. after restoring a backup or to check a backlog.

``--dry-run`` counts what the sweep would mark at this moment and writes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from sla import selectors, services


class Command(BaseCommand):
    help = "Mark every passed deadline as breached and send due-soon warnings (--dry-run: count)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report how many deadlines would breach or be warned of, without writing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        if dry_run:
            breaches, warnings = selectors.sweep_preview(now=now)
            self.stdout.write(
                f"Dry run at {now:%Y-%m-%d %H:%M:%S} UTC: would mark {breaches} breached "
                f"and warn of {warnings}. Nothing was written."
            )
            return
        result = services.sweep_deadlines(now=now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Swept at {now:%Y-%m-%d %H:%M:%S} UTC: {result.breached} breached, "
                f"{result.warned} warned."
            )
        )
