"""Writes for complaints: one service per step of the Complaint Handling Code.

Every service is keyword-only and atomic: the status change (through casework's
``case_transition``, which writes the CaseEvent), the clocks it starts and meets, the letter and
the message to the customer are one transaction, so the timeline, the clocks and what the
customer was told can never disagree.

The clocks (sla catalogue codes):

- Quick Resolution: ``complaint.quick_resolution`` (2 working days from the QR being opened,
  which is when the complaint was received).
- Formal stage 1: ``complaint.stage1.acknowledge`` (3 WD) and its Code twin ``.code`` (5 WD)
  from receipt; ``complaint.stage1.respond`` (15 WD) from receipt; ``complaint.stage1.respond
  .code`` (10 WD) from the *actual* acknowledgement (Code 6.3). A Quick Resolution that turns
  formal starts the formal clocks from the original receipt: it was a stage 1 complaint all
  along, never a new one (Code 5.2).
- Stage 2 likewise from the escalation, with ``complaint.stage2.respond.code`` 20 WD from the
  actual acknowledgement.
"""

from __future__ import annotations

from complaints.services._common import (
    ALLOWED_TRANSITIONS,
    INVESTIGATING,
    QUICK_RESOLUTION_CLOCK,
    ComplaintRuleBroken,
    S,
    acknowledge_code,
    respond_code,
)
from complaints.services.actions import (
    AlreadyRated,
    complaint_action_update,
    complaint_assign,
    complaint_learning_record,
    complaint_rate,
)
from complaints.services.closing import complaint_close, complaint_escalate, complaint_refuse
from complaints.services.definition import RECEIVED, complaint_acknowledge, complaint_define
from complaints.services.extensions import MAX_FURTHER_WORKING_DAYS, complaint_extend
from complaints.services.feedback import (
    SERVICE_AREA_ROLES,
    feedback_submit,
    ombudsman_record_save,
    team_for_service_area,
)
from complaints.services.quick_resolution import (
    complaint_continue_as_formal,
    quick_resolutions_overdue,
)
from complaints.services.receiving import (
    COMPLAINTS_TEAM_NAME,
    complaint_create,
    complaint_create_from_case,
    complaints_team,
)
from complaints.services.responses import (
    RESPONDED,
    LetterIncomplete,
    PointDecision,
    PromisedAction,
    ResponseDraft,
    complaint_respond,
    complaint_response_save_draft,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "AlreadyRated",
    "COMPLAINTS_TEAM_NAME",
    "ComplaintRuleBroken",
    "INVESTIGATING",
    "LetterIncomplete",
    "MAX_FURTHER_WORKING_DAYS",
    "PointDecision",
    "PromisedAction",
    "QUICK_RESOLUTION_CLOCK",
    "RECEIVED",
    "RESPONDED",
    "ResponseDraft",
    "S",
    "SERVICE_AREA_ROLES",
    "acknowledge_code",
    "complaint_acknowledge",
    "complaint_action_update",
    "complaint_assign",
    "complaint_close",
    "complaint_continue_as_formal",
    "complaint_create",
    "complaint_create_from_case",
    "complaint_define",
    "complaint_escalate",
    "complaint_extend",
    "complaint_learning_record",
    "complaint_rate",
    "complaint_refuse",
    "complaint_respond",
    "complaint_response_save_draft",
    "complaints_team",
    "feedback_submit",
    "ombudsman_record_save",
    "quick_resolutions_overdue",
    "respond_code",
    "team_for_service_area",
]
