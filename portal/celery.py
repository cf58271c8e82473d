"""The Celery application and the one beat schedule of the portal.

Every periodic job is listed here with the reason it exists. No job carries a clock: deadlines
are rows in the database and the sweep finds them, so a stopped beat loses nothing.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_to_start_without_secret_key(**kwargs) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from kernel.env import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:
        # Celery logs and swallows exceptions from signal handlers; SystemExit stops the process.
        raise SystemExit(str(exc)) from exc


app.conf.beat_schedule = {
    # Marks every deadline that has passed as breached and escalates it; sends "due soon"
    # warnings. Idempotent, and catches up after any downtime on its next run.
    "sla-sweep": {"task": "sla.tasks.sweep_deadlines", "schedule": 60.0},
    # Delivers any outbox message left behind (broker down when it was written, worker crash).
    "notifications-sweep": {"task": "notifications.tasks.deliver_pending", "schedule": 60.0},
    # Reminds customers of tomorrow's repair appointments by their channel; hourly in the day so
    # later bookings are reminded too; idempotent per appointment.
    "repairs-appointment-reminders": {
        "task": "repairs.tasks.send_appointment_reminders",
        "schedule": crontab(minute=0, hour="9-20"),
    },
    # Keeps four weeks of appointment slots open from the capacity plans.
    "repairs-open-slots": {
        "task": "repairs.tasks.open_appointment_slots",
        "schedule": crontab(minute=30, hour=1),
    },
    # Removes photos of repair reports started but never sent (over a week old), and draft
    # photo files whose upload rolled back.
    "repairs-discard-draft-photos": {
        "task": "repairs.tasks.discard_stale_draft_photos",
        "schedule": crontab(minute=45, hour=2),
    },
    # Invites households to book the safety checks of their home falling due (8 weeks ahead) and
    # reminds them (3 weeks ahead); once per check and clock, so a rerun sends nothing twice.
    "safety-check-invitations": {
        "task": "safety.tasks.send_check_invitations",
        "schedule": crontab(minute=0, hour=10),
    },
    # Deletes stored attachment files whose upload rolled back (nothing refers to them).
    "casework-remove-orphan-files": {
        "task": "casework.tasks.remove_orphan_attachment_files",
        "schedule": crontab(minute=15, hour=3),
    },
    # Reminds officers of estate inspections due today or overdue; once a day per schedule.
    "neighbourhoods-inspections-due": {
        "task": "neighbourhoods.tasks.remind_inspections_due",
        "schedule": crontab(minute=0, hour=7),
    },
    # Posts each rent period's charges once, on the period's first day; hourly, so a run missed
    # (beat down) is caught up within the hour, and later runs the same day post nothing.
    "rent-post-charges": {
        "task": "rent.tasks.post_due_charges",
        "schedule": crontab(minute=5),
    },
    # Checks payment arrangements against the payments received, after the night's files.
    "rent-check-arrangements": {
        "task": "rent.tasks.check_payment_arrangements",
        "schedule": crontab(minute=0, hour=7),
    },
    # Keeps the performance rollups fresh for the manager dashboard.
    "performance-rollup": {
        "task": "performance.tasks.refresh_rollups",
        "schedule": crontab(minute="*/5"),
    },
    # Closes adverts whose closing time has passed, so shortlisting can begin; the offer clock
    # runs from the closing time itself, so a late run moves no date. Idempotent.
    "lettings-close-adverts": {"task": "lettings.tasks.close_adverts", "schedule": 300.0},
    # Anonymises or deletes what the retention schedule says has expired, in short batches
    # that never lock a table; logs and records a count per rule. Idempotent: what is done no
    # longer matches.
    "dataprotection-retention": {
        "task": "dataprotection.tasks.apply_retention_schedule",
        "schedule": crontab(minute=30, hour=4),
    },
    # Tells each ASB officer (or the team's lead) of the cases whose review date is today;
    # idempotent per case and day, so a second run that morning sends nothing more.
    "asb-review-reminders": {
        "task": "asb.tasks.remind_reviews_due",
        "schedule": crontab(minute=0, hour=8),
    },
    # The TSM figures the public performance page shows, recomputed once a night.
    "performance-published-figures": {
        "task": "performance.tasks.refresh_published_figures",
        "schedule": crontab(hour=3, minute=20),
    },
    # Last month's Board report, generated and kept on the 1st (after the night's rollups).
    "performance-board-report": {
        "task": "performance.tasks.generate_board_report",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
    # The Complaint Handling Code pack of the year just ended and its submission clock.
    "performance-complaint-handling-clock": {
        "task": "performance.tasks.start_complaint_handling_clock",
        "schedule": crontab(hour=3, minute=40),
    },
}
