"""Cases of every registered type for the workspace's tests, opened through each service area's
own services as a customer or an officer would open them."""

from __future__ import annotations

from collections.abc import Callable

from casework.access import registered_case_models
from casework.models import Case
from complaints.models import Complaint
from enquiries.models import CallBack, ChatSession, Enquiry
from repairs.models import Repair
from tests.complaints.factories import receive
from tests.enquiries.factories import request_callback, start_chat, submit_enquiry
from tests.repairs.conftest import report

# One way to open a case of each registered case model. A service area that registers a new
# case model adds its own here, so every test of "a case of every type" covers it.
OPENERS: dict[type[Case], Callable[..., Case]] = {
    Repair: report,
    Complaint: receive,
    Enquiry: submit_enquiry,
    CallBack: request_callback,
    ChatSession: start_chat,
}


def one_case_of_every_type(customer) -> dict[type[Case], Case]:
    """A case of every registered case model for ``customer``'s household. Fails loudly for a
    registered model nobody has taught these tests to open."""
    missing = [e.model.__name__ for e in registered_case_models() if e.model not in OPENERS]
    assert not missing, f"Add an opener for {', '.join(missing)} to tests/workspace/factories.py"
    return {e.model: OPENERS[e.model](customer) for e in registered_case_models()}


def reload(case: Case) -> Case:
    return type(case)._default_manager.get(pk=case.pk)
