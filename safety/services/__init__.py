"""Writes of the safety service, one module per capability: which checks apply and their missed
clocks (``checks``), a check done with its record and clocks (``records``), remedial work
(``remedial``), getting in: invitations, visits and the no-access procedure (``access``), the
import of last-check dates (``imports``), and what households report and ask: fires, items in
shared areas, alterations, evacuation plans (``reports``).

One write path per action: the pages, the admin, the tasks and the import call these and
nothing else.
"""

from safety.services._common import SafetyRefused
from safety.services.access import (
    INVITATION_LEAD,
    REMINDER_LEAD,
    access_attempt_record,
    check_visit_book,
    invitations_send,
    visit_last_day,
    visit_slots_for,
)
from safety.services.checks import (
    block_checks_register,
    check_register,
    home_checks_register,
    is_high_rise,
    safety_deadlines_breached,
    tenancy_start_alarms_due,
)
from safety.services.imports import IMPORT_COLUMNS, ImportResult, records_import
from safety.services.records import RecordDetails, next_cycle_start, record_add, record_problems
from safety.services.remedial import remedial_complete
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
    "tenancy_start_alarms_due",
    "visit_last_day",
    "visit_slots_for",
]
