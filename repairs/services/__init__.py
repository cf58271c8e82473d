"""Writes of the repairs service: report, book, attend, complete, reopen; the Awaab's Law steps
of a hazard; builders' defects; slots and reminders; planned works.

One write path per action: the customer's pages, the staff admin and the management commands
call these functions and nothing else. Each is one transaction; each status change goes through
``case_transition`` with ``ALLOWED`` (which writes the timeline event), each clock through the
sla services, each message through ``notify_customer`` with a key, so a retried request sends
nothing twice.
"""

from __future__ import annotations

# The admin, the pages and the forms reach these two through this package.
from repairs import catalogue
from repairs.models import slot_label
from repairs.services._common import ALLOWED, REPAIR_CLOCK, RepairRefused, S, repair_url
from repairs.services.after_completion import (
    repair_record_satisfaction,
    repair_reopen,
    repair_report_not_fixed,
)
from repairs.services.appointments import (
    BOOKABLE_STATUSES,
    FIRST_BOOKABLE_DAY,
    SLOT_HORIZON_DAYS,
    VISIT_CLOCKS,
    SlotAfterDue,
    SlotFull,
    appointment_book,
    appointment_cancel,
    appointment_record_missed,
    appointment_record_no_access,
    appointment_reminders_send,
    report_visit_due_day,
    slots_open,
    visit_due_day,
)
from repairs.services.defects import repair_record_builder_response
from repairs.services.hazards import (
    HAZARD_EMERGENCY,
    HAZARD_INVESTIGATE,
    HAZARD_MAKE_SAFE,
    HAZARD_SUMMARY,
    HAZARD_WORKS_LONG_STOP,
    HAZARD_WORKS_START,
    HazardAnswers,
    awaabs_law_applies,
    hazard_classify,
    hazard_first_clock,
    hazard_record_further_works,
    hazard_record_further_works_completed,
    hazard_record_investigation,
    hazard_record_made_safe,
    hazard_send_summary,
)
from repairs.services.planned_works import (
    LEASEHOLDER_OBSERVATION_DAYS,
    planned_work_book,
    planned_work_book_inspection,
    planned_work_complete,
    planned_work_end_consultation,
    planned_work_record_inspection,
    programme_add_homes,
    programme_consult_leaseholders,
)
from repairs.services.reporting import (
    DRAFT_PHOTO_MAX_AGE,
    MAX_PHOTOS,
    TEAM_NAME,
    _what_happens_next,
    draft_photo_add,
    draft_photo_remove,
    draft_photos_discard_stale,
    repair_create,
    repair_priority,
    repairs_team,
    reportable_locations,
)
from repairs.services.working import (
    FollowOn,
    repair_assign,
    repair_cancel,
    repair_record_attended,
    repair_record_completed,
)

__all__ = [
    "ALLOWED",
    "BOOKABLE_STATUSES",
    "DRAFT_PHOTO_MAX_AGE",
    "FIRST_BOOKABLE_DAY",
    "FollowOn",
    "HAZARD_EMERGENCY",
    "HAZARD_INVESTIGATE",
    "HAZARD_MAKE_SAFE",
    "HAZARD_SUMMARY",
    "HAZARD_WORKS_LONG_STOP",
    "HAZARD_WORKS_START",
    "HazardAnswers",
    "LEASEHOLDER_OBSERVATION_DAYS",
    "MAX_PHOTOS",
    "REPAIR_CLOCK",
    "RepairRefused",
    "S",
    "SLOT_HORIZON_DAYS",
    "SlotAfterDue",
    "SlotFull",
    "TEAM_NAME",
    "VISIT_CLOCKS",
    "_what_happens_next",
    "appointment_book",
    "appointment_cancel",
    "appointment_record_missed",
    "appointment_record_no_access",
    "appointment_reminders_send",
    "awaabs_law_applies",
    "catalogue",
    "draft_photo_add",
    "draft_photo_remove",
    "draft_photos_discard_stale",
    "hazard_classify",
    "hazard_first_clock",
    "hazard_record_further_works",
    "hazard_record_further_works_completed",
    "hazard_record_investigation",
    "hazard_record_made_safe",
    "hazard_send_summary",
    "planned_work_book",
    "planned_work_book_inspection",
    "planned_work_complete",
    "planned_work_end_consultation",
    "planned_work_record_inspection",
    "programme_add_homes",
    "programme_consult_leaseholders",
    "repair_assign",
    "repair_cancel",
    "repair_create",
    "repair_priority",
    "repair_record_attended",
    "repair_record_builder_response",
    "repair_record_completed",
    "repair_record_satisfaction",
    "repair_reopen",
    "repair_report_not_fixed",
    "repair_url",
    "repairs_team",
    "report_visit_due_day",
    "reportable_locations",
    "slot_label",
    "slots_open",
    "visit_due_day",
]
