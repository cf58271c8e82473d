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
    # Deletes stored attachment files whose upload rolled back (nothing refers to them).
    "casework-remove-orphan-files": {
        "task": "casework.tasks.remove_orphan_attachment_files",
        "schedule": crontab(minute=15, hour=3),
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
}
