"""Keeping in Touch pages: the customer's contact options, enquiries, call backs, web chat and
home visits, and the staff pages that log and work them. Every view declares who may see it and
reads through an ``access_*`` selector, so another household's record is a 404.

The chat works without JavaScript (a form that posts and a page that is reloaded); with it,
``static/src/enquiries/chat.js`` sends and receives over a WebSocket (``consumers.py``) and falls
back to the JSON views here, polled every 2 seconds.
"""

from __future__ import annotations

from enquiries.views._common import DRAFT_SESSION_KEY, ENQUIRY_STAFF_ROLES, VISIT_STAFF_ROLES
from enquiries.views.callbacks import (
    callback_done,
    callback_new,
    staff_callback,
    staff_callback_new,
    staff_callback_queue,
)
from enquiries.views.chat import (
    chat_detail,
    chat_end,
    chat_leave_enquiry,
    chat_messages,
    chat_send,
    chat_start,
    staff_chat,
    staff_chat_convert,
    staff_chat_end,
    staff_chat_messages,
    staff_chat_pick_up,
    staff_chat_queue,
    staff_chat_queue_json,
    staff_chat_send,
)
from enquiries.views.contact import contact_us, staff_customer_search, staff_home, staff_log_contact
from enquiries.views.enquiries import (
    enquiry_add_file,
    enquiry_detail,
    enquiry_list,
    enquiry_new,
    staff_enquiry,
    staff_enquiry_acknowledge,
    staff_enquiry_answer,
    staff_enquiry_complaint,
    staff_enquiry_contact_back,
    staff_enquiry_extend,
    staff_enquiry_refer,
)
from enquiries.views.figures import staff_call_import, staff_dashboard
from enquiries.views.visits import (
    staff_visit,
    staff_visit_book,
    staff_visit_cancel,
    staff_visit_complete,
    staff_visit_late,
    staff_visit_list,
    staff_visit_no_access,
    visit_list,
)

__all__ = [
    "DRAFT_SESSION_KEY",
    "ENQUIRY_STAFF_ROLES",
    "VISIT_STAFF_ROLES",
    "callback_done",
    "callback_new",
    "chat_detail",
    "chat_end",
    "chat_leave_enquiry",
    "chat_messages",
    "chat_send",
    "chat_start",
    "contact_us",
    "enquiry_add_file",
    "enquiry_detail",
    "enquiry_list",
    "enquiry_new",
    "staff_call_import",
    "staff_callback",
    "staff_callback_new",
    "staff_callback_queue",
    "staff_chat",
    "staff_chat_convert",
    "staff_chat_end",
    "staff_chat_messages",
    "staff_chat_pick_up",
    "staff_chat_queue",
    "staff_chat_queue_json",
    "staff_chat_send",
    "staff_customer_search",
    "staff_dashboard",
    "staff_enquiry",
    "staff_enquiry_acknowledge",
    "staff_enquiry_answer",
    "staff_enquiry_complaint",
    "staff_enquiry_contact_back",
    "staff_enquiry_extend",
    "staff_enquiry_refer",
    "staff_home",
    "staff_log_contact",
    "staff_visit",
    "staff_visit_book",
    "staff_visit_cancel",
    "staff_visit_complete",
    "staff_visit_late",
    "staff_visit_list",
    "staff_visit_no_access",
    "visit_list",
]
