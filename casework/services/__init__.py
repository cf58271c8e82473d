"""Writes every case shares: open, move status, note, assign, link, attach files, and the
events that record what the clock engine did (met, extended, due soon, missed).

Each writes its ``CaseEvent`` in the same transaction as the change it records, so the
timeline can never disagree with the case. Service apps call these from their own services
(``enquiry_create`` calls ``case_open``) with their own transition maps.
"""

from __future__ import annotations

from casework.services.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS_PER_CASE,
    CheckedFile,
    attachment_add,
    attachment_check,
    stored_files_without_record_remove,
)
from casework.services.deadlines import (
    case_deadline_extend,
    case_deadline_meet,
    case_deadlines_breached,
    case_deadlines_due_soon,
)
from casework.services.lifecycle import (
    InvalidTransition,
    case_add_note,
    case_assign,
    case_link,
    case_open,
    case_reference_next,
    case_transition,
)

__all__ = [
    "MAX_ATTACHMENTS_PER_CASE",
    "MAX_ATTACHMENT_BYTES",
    "CheckedFile",
    "InvalidTransition",
    "attachment_add",
    "attachment_check",
    "case_add_note",
    "case_assign",
    "case_deadline_extend",
    "case_deadline_meet",
    "case_deadlines_breached",
    "case_deadlines_due_soon",
    "case_link",
    "case_open",
    "case_reference_next",
    "case_transition",
    "stored_files_without_record_remove",
]
