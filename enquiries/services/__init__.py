"""Writes for Keeping in Touch. One service per action, each one transaction: the case change,
its timeline event, its clocks and its messages to the customer commit together or not at all.

The clocks (sla catalogue, "Keeping in Touch"):

- a written contact (portal, email, letter) runs ``enquiry.acknowledge`` (3 working days) and
  ``enquiry.respond`` (10 working days) from the moment it was received;
- a live contact (phone, visit, chat) that is not resolved there and then runs
  ``enquiry.contact_back`` (3 working days); so does a call back, from the day the customer
  asked to be called;
- a web chat opened in service hours runs ``webchat.acknowledge`` (2 minutes).

Referral moves the case to another team's queue and keeps every clock running.
"""

from __future__ import annotations

from enquiries.services._common import CONTACT_BACK, ENQUIRY_TRANSITIONS
from enquiries.services.callbacks import (
    CALLBACK_TRANSITIONS,
    callback_record_outcome,
    callback_request,
)
from enquiries.services.chat import (
    CHAT_ACKNOWLEDGE,
    CHAT_TRANSITIONS,
    ChatClosed,
    chat_convert,
    chat_end,
    chat_pick_up,
    chat_post_message,
    chat_start,
)
from enquiries.services.enquiries import (
    ACKNOWLEDGE,
    RESPOND,
    enquiry_acknowledge,
    enquiry_add_file,
    enquiry_answer,
    enquiry_extend,
    enquiry_log,
    enquiry_record_contact_back,
    enquiry_submit,
)
from enquiries.services.handing_on import (
    enquiry_convert_to_complaint,
    enquiry_record_complaint_offer,
    enquiry_refer,
)
from enquiries.services.telephony import call_statistics_import
from enquiries.services.visits import (
    VISIT_TRANSITIONS,
    visit_book,
    visit_cancel,
    visit_complete,
    visit_no_access,
    visit_running_late,
)

__all__ = [
    "ACKNOWLEDGE",
    "CALLBACK_TRANSITIONS",
    "CHAT_ACKNOWLEDGE",
    "CHAT_TRANSITIONS",
    "CONTACT_BACK",
    "ChatClosed",
    "ENQUIRY_TRANSITIONS",
    "RESPOND",
    "VISIT_TRANSITIONS",
    "call_statistics_import",
    "callback_record_outcome",
    "callback_request",
    "chat_convert",
    "chat_end",
    "chat_pick_up",
    "chat_post_message",
    "chat_start",
    "enquiry_acknowledge",
    "enquiry_add_file",
    "enquiry_answer",
    "enquiry_convert_to_complaint",
    "enquiry_extend",
    "enquiry_log",
    "enquiry_record_complaint_offer",
    "enquiry_record_contact_back",
    "enquiry_refer",
    "enquiry_submit",
    "visit_book",
    "visit_cancel",
    "visit_complete",
    "visit_no_access",
    "visit_running_late",
]
