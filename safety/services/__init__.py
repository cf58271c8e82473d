"""Writes of the safety service: the compliance register (which checks apply, records and their
clocks, remedial work, getting in, invitations, the import) in ``register``, and what households
report and ask (fires, items in shared areas, alterations, evacuation plans) in ``reports``.

One write path per action: the pages, the admin, the tasks and the import call these and
nothing else.
"""

from safety.services.register import (
    IMPORT_COLUMNS,
    INVITATION_LEAD,
    REMINDER_LEAD,
    ImportResult,
    RecordDetails,
    SafetyRefused,
    access_attempt_record,
    block_checks_register,
    check_register,
    check_visit_book,
    home_checks_register,
    invitations_send,
    is_high_rise,
    next_cycle_start,
    record_add,
    record_problems,
    records_import,
    remedial_complete,
    safety_deadlines_breached,
    visit_last_day,
    visit_slots_for,
)
from safety.services.reports import (
    alteration_decide,
    peep_agree,
    peep_request,
    peep_withdraw,
    safety_report_create,
    safety_report_deal_with,
)

__all__ = [
    "IMPORT_COLUMNS",
    "INVITATION_LEAD",
    "REMINDER_LEAD",
    "ImportResult",
    "RecordDetails",
    "SafetyRefused",
    "access_attempt_record",
    "alteration_decide",
    "block_checks_register",
    "check_register",
    "check_visit_book",
    "home_checks_register",
    "invitations_send",
    "is_high_rise",
    "next_cycle_start",
    "peep_agree",
    "peep_request",
    "peep_withdraw",
    "record_add",
    "record_problems",
    "records_import",
    "remedial_complete",
    "safety_deadlines_breached",
    "safety_report_create",
    "safety_report_deal_with",
    "visit_last_day",
    "visit_slots_for",
]
